import type { AcdCommand } from '../acd/index.ts';
import { dialTarget } from '../calls/route-call.ts';
import { playSequence } from '../media/prompt-player.ts';
import type { AdapterContext } from './adapter-context.ts';
import { connectCaller } from './connect-caller.ts';
import { endCaller, type QueuedCaller } from './queued-caller.ts';

type Route = Extract<AcdCommand, { type: 'route' }>;

/**
 * The distributor let the caller go (overflow, max wait, full or empty queue, exit key, callback registered).
 * Extensions and external numbers are rung while the caller keeps hearing music, and connected on answer;
 * `callback` confirms with a prompt and hangs up; `hangup:PROMPT` plays the prompt first. Destinations this box
 * cannot reach from a queue (an IVR flow) and failed rings end with the "no one is available" prompt.
 */
export async function routeOut(ctx: AdapterContext, cmd: Route): Promise<void> {
  const caller = ctx.callers.get(cmd.callId);
  if (caller === undefined || caller.phase !== 'waiting') return;
  caller.phase = 'leaving';
  clearInterval(caller.periodic);
  const to = cmd.to;
  ctx.log.info({ interaction: caller.interactionId, queue: caller.queue, reason: cmd.reason, to }, 'caller leaves the queue');
  if (to.kind === 'callback') {
    await goodbye(ctx, caller, ['callback-confirmed'], 'callback registered');
    return;
  }
  if (to.kind === 'hangup') {
    await goodbye(ctx, caller, to.prompt === undefined ? [] : [to.prompt], `queue ${cmd.reason}`);
    return;
  }
  if (to.kind === 'extension' || to.kind === 'external') {
    const routing = new AbortController();
    caller.routing = routing;
    const target = to.kind === 'extension' ? ({ kind: 'extension', number: to.target } as const) : ({ kind: 'external', e164: to.target } as const);
    const result = await dialTarget(
      { deps: ctx.deps, interactionId: caller.interactionId, callerNumber: caller.party.number, caller: caller.party, offerSdp: caller.offerSdp, signal: routing.signal },
      target,
      0,
    );
    if (routing.signal.aborted || caller.phase !== 'leaving') {
      if (result.ok) {
        result.dialog.destroy();
        ctx.deps.cdrs.ended(result.legId, 'cancelled', 'caller hung up');
      }
      return;
    }
    if (result.ok) {
      const ok = await connectCaller(ctx, caller, { dialog: result.dialog, legId: result.legId, party: { number: to.target, ...(to.kind === 'extension' && { extension: to.target }) }, nextHop: result.nextHop });
      if (ok) ctx.log.info({ interaction: caller.interactionId, to: to.target }, 'queue overflow connected');
      return;
    }
    ctx.log.info({ interaction: caller.interactionId, to: to.target, status: result.status }, 'queue overflow destination did not answer');
  }
  await goodbye(ctx, caller, ['no-one-available'], `queue ${cmd.reason}: no destination answered`);
}

async function goodbye(ctx: AdapterContext, caller: QueuedCaller, prompts: string[], cause: string): Promise<void> {
  caller.playing?.abort();
  if (prompts.length > 0) {
    const playing = new AbortController();
    caller.playing = playing;
    try {
      await playSequence(ctx.deps.ng, { callId: caller.media.callId, fromTag: caller.callerTag }, ctx.prompts.files(prompts), playing.signal);
    } catch (err) {
      ctx.log.warn({ err: (err as Error).message }, 'goodbye prompt failed');
    }
  }
  await endCaller(ctx, caller, cause, { byCaller: false, tellAcd: false });
}
