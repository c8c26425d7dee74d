import { randomUUID } from 'node:crypto';
import { CallMedia } from '../media/call-media.ts';
import { playSequence } from '../media/prompt-player.ts';
import type { CallDeps } from './call-deps.ts';
import type { LiveCall } from './live-calls.ts';
import { tagOf, type SrfRequest, type SrfResponse } from './sip-types.ts';

/**
 * rtpengine needs an answer for the caller's offer although nobody else is on the call: the caller's own formats
 * at the discard port stand in for the far side.
 */
function discardAnswer(offer: string): string {
  const lines = offer.replace(/\r/g, '').split('\n');
  const formats = (lines.find((l) => l.startsWith('m=audio ')) ?? 'm=audio 9 RTP/AVP 0').split(' ').slice(3);
  const attrs = lines.filter((l) => formats.includes(/^a=(?:rtpmap|fmtp):(\d+)/.exec(l)?.[1] ?? ''));
  return ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio 9 RTP/AVP ${formats.join(' ')}`, ...attrs, 'a=sendrecv', ''].join('\r\n');
}

/**
 * Answers a call in the box, plays prompt files to the caller and hangs up (feature code confirmations). A
 * caller hanging up first stops the prompt; the media is always deleted.
 */
export async function answerWithPrompt(deps: CallDeps, req: SrfRequest, res: SrfResponse, files: string[]): Promise<void> {
  const media = new CallMedia(deps.ng, req.get('Call-ID') ?? randomUUID());
  const callerTag = tagOf(req.get('From')) ?? randomUUID();
  const abort = new AbortController();
  const live: LiveCall = { mediaCallId: media.callId, connected: false, end: () => Promise.resolve(abort.abort()) };
  deps.live.add(live);
  try {
    await media.offer(callerTag, req.body);
    const sdp = await media.answer(callerTag, `p${randomUUID().replace(/-/g, '').slice(0, 15)}`, discardAnswer(req.body));
    const dialog = await deps.srf.createUAS(req, res, { localSdp: sdp });
    dialog.on('destroy', () => abort.abort());
    await playSequence(deps.ng, { callId: media.callId, fromTag: callerTag }, files, abort.signal);
    if (!abort.signal.aborted) dialog.destroy();
  } catch (err) {
    deps.log.warn({ err: (err as Error).message }, 'confirmation prompt failed');
    if (!res.finalResponseSent) res.send(500);
  } finally {
    deps.live.delete(live);
    await media.delete().catch(() => undefined);
  }
}
