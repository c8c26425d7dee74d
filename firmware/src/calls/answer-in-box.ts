import { randomUUID } from 'node:crypto';
import type { CallDeps } from './call-deps.ts';
import { tagOf, type Dialog, type SrfRequest, type SrfResponse } from './sip-types.ts';
import { CallMedia } from '../media/call-media.ts';

/** The box answering a call itself (queue, feature code): the caller's media is anchored with no far party yet. */
export interface AnsweredCall {
  dialog: Dialog;
  media: CallMedia;
  callerTag: string;
  /** The tag the box answered under; whoever takes the call later answers under it too. */
  holdTag: string;
  /** rtpengine's SDP for a future far party (agent, extension, trunk). */
  offerSdp: string;
  legId: string;
  /** Where the caller's requests come from, as an outbound-proxy URI. */
  nextHop: string;
}

/**
 * A stand-in far side for rtpengine's answer: the caller's own audio formats at port 9 (discard), so the caller
 * gets an answer it accepts while nobody is connected yet.
 */
export function placeholderAnswer(offer: string): string {
  const lines = offer.replace(/\r/g, '').split('\n');
  const m = lines.find((l) => l.startsWith('m=audio ')) ?? 'm=audio 9 RTP/AVP 0';
  const formats = m.split(' ').slice(3);
  const keep = lines.filter((l) => {
    const pt = /^a=(?:rtpmap|fmtp):(\d+)/.exec(l)?.[1];
    return pt !== undefined && formats.includes(pt);
  });
  return ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio 9 RTP/AVP ${formats.join(' ')}`, ...keep, 'a=sendrecv', ''].join('\r\n');
}

/**
 * Offers the caller's SDP to rtpengine, answers it with the placeholder and sends 200 OK. `onMedia` runs as
 * soon as rtpengine has the call, so the caller can count as a live call before anything can fail.
 */
export async function answerInBox(deps: CallDeps, req: SrfRequest, res: SrfResponse, onMedia: (media: CallMedia) => void): Promise<AnsweredCall> {
  const legId = req.get('Call-ID') ?? randomUUID();
  const callerTag = tagOf(req.get('From')) ?? randomUUID();
  const holdTag = `q${randomUUID().replace(/-/g, '').slice(0, 15)}`;
  const media = new CallMedia(deps.ng, legId);
  onMedia(media);
  const offerSdp = await media.offer(callerTag, req.body);
  const callerSdp = await media.answer(callerTag, holdTag, placeholderAnswer(req.body));
  const dialog = await deps.srf.createUAS(req, res, { localSdp: callerSdp });
  const nextHop = `sip:${req.source_address.includes(':') ? `[${req.source_address}]` : req.source_address}:${req.source_port};transport=${req.protocol}`;
  return { dialog, media, callerTag, holdTag, offerSdp, legId, nextHop };
}
