import { codecFlags, sdpCodecs, type Codec, type CodecFlags } from './codec-policy.ts';
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

/** An offer with no codec its sender may use (the codec policy of its extension or trunk): 488. */
export class NoAllowedCodecError extends Error {}

/**
 * One call's media in rtpengine, keyed by the call id of the first leg. Parties are named by their tags; the
 * party that made the current offer is `from`. Every SDP going to a party comes from here: phones never see
 * each other's addresses. Every offer follows the codec policy of both parties as far as they are known (see
 * codec-policy.ts), re-offers (hold, resume) included, so a transcoded call stays transcoded.
 */
export class CallMedia {
  readonly ng: NgClient;
  readonly callId: string;
  /** Each party's allowed codecs, by tag. */
  readonly #allowed = new Map<string, readonly Codec[]>();
  /** The codecs each party's last SDP listed, by tag. */
  readonly #seen = new Map<string, Codec[]>();
  /** The policy of the party the current first offer is for, until its answer names its tag. */
  #pendingFar: readonly Codec[] | undefined;

  constructor(ng: NgClient, callId: string) {
    this.ng = ng;
    this.callId = callId;
  }

  /** The codecs the party `tag` may use (its extension's or trunk's `codecs`). */
  allow(tag: string, codecs: readonly Codec[]): void {
    this.#allowed.set(tag, codecs);
  }

  /**
   * The SDP to send to the other party when `fromTag` offers `sdp`. `farCodecs` is the policy of a party not
   * known by tag yet (the extension or trunk about to be rung).
   */
  async offer(fromTag: string, sdp: string, toTag?: string, farCodecs?: readonly Codec[]): Promise<string> {
    if (farCodecs) this.#pendingFar = farCodecs;
    const flags = codecFlags(sdp, this.#allowed.get(fromTag), farCodecs ?? (toTag === undefined ? undefined : this.#farCodecs(toTag)));
    if (!flags) throw new NoAllowedCodecError(`the offer holds none of the allowed codecs ${this.#allowed.get(fromTag)?.join(', ')}`);
    const res = await this.ng.command('offer', { ...COMMON, 'call-id': this.callId, 'from-tag': fromTag, ...(toTag ? { 'to-tag': toTag } : {}), sdp, ...codecDict(flags) });
    this.#seen.set(fromTag, sdpCodecs(sdp));
    return String(res['sdp']);
  }

  /** The SDP to send back to the offerer `fromTag` once `toTag` answered with `sdp`. */
  async answer(fromTag: string, toTag: string, sdp: string): Promise<string> {
    const res = await this.ng.command('answer', { ...COMMON, 'call-id': this.callId, 'from-tag': fromTag, 'to-tag': toTag, sdp });
    if (this.#pendingFar && !this.#allowed.has(toTag)) this.#allowed.set(toTag, this.#pendingFar);
    this.#pendingFar = undefined;
    this.#seen.set(toTag, sdpCodecs(sdp));
    return String(res['sdp']);
  }

  /** What a party can take: its policy, narrowed to what its last SDP listed. */
  #farCodecs(tag: string): readonly Codec[] | undefined {
    const allowed = this.#allowed.get(tag);
    const seen = this.#seen.get(tag);
    if (!allowed) return undefined;
    const both = seen ? allowed.filter((c) => seen.includes(c)) : allowed;
    return both.length > 0 ? both : allowed;
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

function codecDict(f: CodecFlags): { codec?: Partial<CodecFlags> } {
  const codec = Object.fromEntries(Object.entries(f).filter(([, v]) => (v as Codec[]).length > 0)) as Partial<CodecFlags>;
  return Object.keys(codec).length > 0 ? { codec } : {};
}
