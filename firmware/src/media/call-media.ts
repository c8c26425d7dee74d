import type { NgClient } from './ng-client.ts';

/** What every offer/answer asks of rtpengine: anchor all media, hide the parties' addresses from each other. */
const COMMON = {
  replace: ['origin', 'session-connection'],
  ICE: 'remove',
  // Keep the port a party sends to fixed when its leg is re-answered (transfers, queue bridging).
  flags: ['port latching'],
} as const;

export type SdpDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** The audio direction an SDP asks for; c=0.0.0.0 is the RFC 2543 way of saying hold. */
export function sdpDirection(sdp: string): SdpDirection {
  if (/^c=IN IP4 0\.0\.0\.0/m.test(sdp)) return 'inactive';
  const audio = sdp.split(/^m=/m).find((s) => s.startsWith('audio')) ?? sdp;
  const m = /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/m.exec(audio) ?? /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/m.exec(sdp);
  return (m?.[1] as SdpDirection | undefined) ?? 'sendrecv';
}

/** A body good enough to hand to rtpengine: an SDP with a connection line and an audio stream. */
export function isUsableSdp(body: string | undefined): boolean {
  if (!body) return false;
  const b = body.replace(/\r/g, '');
  return /^v=0\s*$/m.test(b) && /^o=\S+ \S+ \S+ IN IP[46] \S+\s*$/m.test(b) && /^c=IN IP[46] \S+\s*$/m.test(b) && /^m=audio [1-9]\d* [A-Z/]+( \d+)+\s*$/m.test(b);
}

/**
 * One call's media in rtpengine, keyed by the call id of the first leg. Parties are named by their tags; the
 * party that made the current offer is `from`. Every SDP going to a party comes from here: phones never see
 * each other's addresses.
 */
export class CallMedia {
  readonly ng: NgClient;
  readonly callId: string;

  constructor(ng: NgClient, callId: string) {
    this.ng = ng;
    this.callId = callId;
  }

  /** The SDP to send to the other party when `fromTag` offers `sdp`. */
  async offer(fromTag: string, sdp: string, toTag?: string): Promise<string> {
    const res = await this.ng.command('offer', { ...COMMON, 'call-id': this.callId, 'from-tag': fromTag, ...(toTag ? { 'to-tag': toTag } : {}), sdp });
    return String(res['sdp']);
  }

  /** The SDP to send back to the offerer `fromTag` once `toTag` answered with `sdp`. */
  async answer(fromTag: string, toTag: string, sdp: string): Promise<string> {
    const res = await this.ng.command('answer', { ...COMMON, 'call-id': this.callId, 'from-tag': fromTag, 'to-tag': toTag, sdp });
    return String(res['sdp']);
  }

  /** Music on hold (or any loop) to the party `hearerTag`. */
  async playLoop(hearerTag: string, file: string): Promise<void> {
    await this.ng.command('playMedia', { 'call-id': this.callId, 'from-tag': hearerTag, file, 'repeat-times': 1000 });
  }

  async stopPlay(hearerTag: string): Promise<void> {
    await this.ng.command('stopMedia', { 'call-id': this.callId, 'from-tag': hearerTag });
  }

  async query(): Promise<Record<string, unknown>> {
    return this.ng.command('query', { 'call-id': this.callId });
  }

  /** Ends the call in rtpengine; a call rtpengine no longer knows (it restarted) counts as deleted. */
  async delete(): Promise<void> {
    try {
      await this.ng.command('delete', { 'call-id': this.callId });
    } catch (err) {
      if (!/unknown call|call-id not found/i.test((err as Error).message)) throw err;
    }
  }
}

/** Call ids rtpengine holds now (for the reconcile that deletes what no dialog owns any more). */
export async function listMediaCalls(ng: NgClient): Promise<string[]> {
  const res = await ng.command('list', { limit: 10000 });
  const calls = res['calls'];
  return Array.isArray(calls) ? calls.map(String) : [];
}
