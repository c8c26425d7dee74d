import { randomUUID } from 'node:crypto';
import type { InviteContext } from '../calls/invite-context.ts';
import type { LiveCall } from '../calls/live-calls.ts';
import type { CallMedia } from '../media/call-media.ts';
import { startMusic } from '../media/prompt-player.ts';
import type { AdapterContext } from './adapter-context.ts';
import { mohFile, startPeriodicPrompt } from './announce.ts';
import { answerInBox } from '../calls/answer-in-box.ts';
import { callerHungUp, endCaller, type QueuedCaller } from './queued-caller.ts';

/**
 * A call for a queue: the box answers it with media anchored in rtpengine, the caller's audio is blocked (nobody
 * listens yet) and they hear the queue's music, then the distributor learns of them (`caller-entered`). From
 * here the caller's BYE at any moment ends every agent leg rung for them and the media.
 */
export async function enterQueue(ctx: AdapterContext, invite: InviteContext, queue: string): Promise<void> {
  const { req, res, deps } = invite;
  const caller = invite.caller ?? { number: 'anonymous' };
  // Only a number the box can call back identifies the caller: anonymous callers get no callback offer and do
  // not take over each other's abandoned places.
  const callerNumber = /^\+?\d+$/.test(caller.number) ? caller.number : undefined;
  // A call forwarded here continues the interaction its CDR was started under; a caller resuming an abandoned
  // place continues that interaction, so this call's CDRs carry its id too.
  const interactionId =
    invite.interactionId ?? (callerNumber !== undefined ? ctx.acd.resumableInteraction(queue, callerNumber, ctx.now()) : undefined) ?? randomUUID();
  let media: CallMedia | undefined;
  let cancelled = false;
  // Until the answer is out, a fault ends the set-up; the queued caller replaces this once answered.
  const setup: LiveCall = {
    mediaCallId: req.get('Call-ID') ?? interactionId,
    connected: false,
    end: async () => {
      if (!res.finalResponseSent) res.send(503, { headers: { 'Retry-After': '30' } });
    },
  };
  deps.live.add(setup);
  req.on('cancel', () => {
    cancelled = true;
  });
  if (invite.interactionId === undefined) {
    deps.cdrs.start({
      interactionId,
      legId: setup.mediaCallId,
      direction: caller.trunk ? 'inbound' : 'internal',
      caller: caller.number,
      callee: invite.dialled || queue,
      trunk: caller.trunk,
      extension: caller.extension,
    });
  }
  let answered;
  try {
    answered = await answerInBox(deps, req, res, (m) => {
      media = m;
    });
  } catch (err) {
    deps.live.delete(setup);
    deps.log.warn({ err: (err as Error).message, queue }, 'could not answer a queue call');
    if (!res.finalResponseSent) res.send(/rtpengine/.test((err as Error).message) ? 503 : 500, { headers: { 'Retry-After': '30' } });
    deps.cdrs.ended(setup.mediaCallId, cancelled ? 'cancelled' : 'failed', cancelled ? 'caller cancelled' : (err as Error).message);
    await media?.delete().catch(() => undefined);
    return;
  }
  deps.live.delete(setup);
  deps.cdrs.answered(answered.legId);
  const queued: QueuedCaller = {
    callId: answered.legId,
    interactionId,
    queue,
    media: answered.media,
    callerTag: answered.callerTag,
    holdTag: answered.holdTag,
    dialog: answered.dialog,
    legId: answered.legId,
    party: caller,
    offerSdp: answered.offerSdp,
    nextHop: answered.nextHop,
    phase: 'waiting',
    offers: new Map(),
    live: {
      mediaCallId: answered.media.callId,
      // Its media exists in rtpengine: if rtpengine loses it, the caller is ended rather than left in silence.
      connected: true,
      end: (cause) => endCaller(ctx, queued, cause, { byCaller: false, tellAcd: queued.phase === 'waiting' }),
    },
  };
  deps.live.add(queued.live);
  deps.legs.save(interactionId, queued.legId, queued.dialog, queued.nextHop);
  ctx.callers.set(queued.callId, queued);
  queued.dialog.on('destroy', () => callerHungUp(ctx, queued));

  const leg = { callId: queued.media.callId, fromTag: queued.callerTag };
  try {
    await deps.ng.command('blockMedia', { 'call-id': leg.callId, 'from-tag': leg.fromTag });
    await startMusic(deps.ng, leg, mohFile(ctx, queue));
  } catch (err) {
    deps.log.warn({ err: (err as Error).message, queue }, 'queue music could not start');
  }
  if (queued.phase !== 'waiting') return;
  deps.log.info({ interaction: interactionId, queue, from: caller.number }, 'caller entered the queue');
  startPeriodicPrompt(ctx, queued);
  ctx.submit({
    type: 'caller-entered',
    callId: queued.callId,
    queue,
    interactionId,
    ...(callerNumber !== undefined && { callerNumber }),
    ...(caller.name !== undefined && { callerName: caller.name }),
  });
}
