import { playSequence } from '../media/prompt-player.ts';
import type { CallMedia } from '../media/call-media.ts';
import { answerInBox } from './answer-in-box.ts';
import type { CallDeps } from './call-deps.ts';
import type { LiveCall } from './live-calls.ts';
import type { SrfRequest, SrfResponse } from './sip-types.ts';

/**
 * Answers a call in the box, plays prompt files to the caller and hangs up (feature code confirmations). A
 * caller hanging up first stops the prompt; the media is always deleted.
 */
export async function answerWithPrompt(deps: CallDeps, req: SrfRequest, res: SrfResponse, files: string[]): Promise<void> {
  const abort = new AbortController();
  let media: CallMedia | undefined;
  let live: LiveCall | undefined;
  try {
    const answered = await answerInBox(deps, req, res, (m) => {
      media = m;
      live = { mediaCallId: m.callId, connected: false, end: () => Promise.resolve(abort.abort()) };
      deps.live.add(live);
    });
    answered.dialog.on('destroy', () => abort.abort());
    await playSequence(deps.ng, { callId: answered.media.callId, fromTag: answered.callerTag }, files, abort.signal);
    if (!abort.signal.aborted) answered.dialog.destroy();
  } catch (err) {
    deps.log.warn({ err: (err as Error).message }, 'confirmation prompt failed');
    if (!res.finalResponseSent) res.send(500);
  } finally {
    if (live) deps.live.delete(live);
    await media?.delete().catch(() => undefined);
  }
}
