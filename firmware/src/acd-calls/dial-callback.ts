import { randomUUID } from 'node:crypto';
import type { AcdCommand, CallbackFailure } from '../acd/index.ts';
import type { LiveCall } from '../calls/live-calls.ts';
import { dialTarget, placeCall, resolveDialled } from '../calls/route-call.ts';
import type { DialResult } from '../calls/dial-legs.ts';
import { CallMedia } from '../media/call-media.ts';
import { pressKeyAnnouncement } from '../media/number-prompts.ts';
import { playSequence } from '../media/prompt-player.ts';
import type { AdapterContext } from './adapter-context.ts';
import { placeholderAnswer } from '../calls/answer-in-box.ts';
import { callerHungUp, endCaller, type QueuedCaller } from './queued-caller.ts';

type DialCallback = Extract<AcdCommand, { type: 'dial-callback' }>;

/** The box's own offer to a called-back customer: G.711 and telephone-events (the confirm key must be heard). */
const BOX_OFFER = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 9 RTP/AVP 0 8 101', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15', 'a=sendrecv', ''].join('\r\n');

function callbackFailure(status: number): CallbackFailure {
  if (status === 486 || status === 600) return 'busy';
  if (status === 603 || status === 403) return 'rejected';
  if (status === 480 || status === 408 || status === 487) return 'no-answer';
  return 'error';
}

/** Callback attempts being dialled, so the distributor can cancel one (time-out, agent gone). */
export class CallbackDials {
  readonly #dialling = new Map<string, AbortController>();

  start(callId: string): AbortController {
    const abort = new AbortController();
    this.#dialling.set(callId, abort);
    return abort;
  }

  done(callId: string, abort: AbortController): void {
    if (this.#dialling.get(callId) === abort) this.#dialling.delete(callId);
  }

  /** Stops the attempt: a customer still ringing is cancelled, one who answered but did not confirm is hung up. */
  cancel(ctx: AdapterContext, callId: string): void {
    this.#dialling.get(callId)?.abort();
    this.#dialling.delete(callId);
    const customer = ctx.callers.get(callId);
    if (customer !== undefined && customer.phase === 'waiting' && customer.media.callId !== callId) {
      void endCaller(ctx, customer, 'callback not confirmed', { byCaller: false, tellAcd: false });
    }
  }

  async stopAll(ctx: AdapterContext): Promise<void> {
    for (const id of [...this.#dialling.keys()]) this.cancel(ctx, id);
  }
}

/**
 * Calls the customer back (an extension, an outbound route's number, or E.164 through the trunks) from the
 * queue's number. On answer the customer hears "press <confirm key> to be connected" and becomes a queued caller again:
 * rtpengine is turned round so the customer is the offerer and the agent can answer under the box's tag, and
 * the confirm key reaches the distributor like any key press; the distributor then rings the reserved agent.
 */
export async function dialCallback(ctx: AdapterContext, dials: CallbackDials, cmd: DialCallback): Promise<void> {
  const { deps } = ctx;
  const entry = ctx.acd
    .queueIds()
    .map((q) => ({ q, e: ctx.acd.queue(q).entries.find((x) => x.callId === cmd.callId) }))
    .find((x) => x.e !== undefined);
  if (entry?.e === undefined) return;
  const queue = entry.q;
  const interactionId = entry.e.interactionId;
  const queueName = ctx.site().queues.get(queue)?.name ?? queue;
  const abort = dials.start(cmd.callId);
  const media = new CallMedia(deps.ng, `cb-${randomUUID()}`);
  const boxTag = `q${randomUUID().replace(/-/g, '').slice(0, 15)}`;
  const setup: LiveCall = { mediaCallId: media.callId, connected: false, end: async () => abort.abort() };
  deps.live.add(setup);
  const failed = async (reason: CallbackFailure, why: string) => {
    dials.done(cmd.callId, abort);
    deps.live.delete(setup);
    await media.delete().catch(() => undefined);
    ctx.log.info({ interaction: interactionId, number: cmd.number, attempt: cmd.attempt, why }, 'callback attempt failed');
    if (!abort.signal.aborted) ctx.submit({ type: 'callback-failed', callId: cmd.callId, reason });
  };
  let result: DialResult;
  try {
    const offerSdp = await media.offer(boxTag, BOX_OFFER);
    const env = { deps, interactionId, callerNumber: queue, caller: { number: queue, name: queueName }, offerSdp, signal: abort.signal };
    if (cmd.number.startsWith('+')) result = await dialTarget(env, { kind: 'external', e164: cmd.number }, 0);
    else result = await placeCall(env, resolveDialled(env, cmd.number));
  } catch (err) {
    await failed('error', (err as Error).message);
    return;
  }
  if (!result.ok) {
    await failed(callbackFailure(result.status), `status ${result.status}`);
    return;
  }
  if (abort.signal.aborted) {
    result.dialog.destroy();
    deps.cdrs.ended(result.legId, 'cancelled', 'callback cancelled');
    await failed('error', 'cancelled');
    return;
  }
  const dialog = result.dialog;
  const customerTag = dialog.sip.remoteTag;
  let customerOffer: string;
  try {
    await media.answer(boxTag, customerTag, dialog.remote.sdp);
    // Turned round: as if the customer had offered, answered by the box under boxTag (see queue-entry.ts).
    customerOffer = await media.offer(customerTag, dialog.remote.sdp, boxTag);
    await media.answer(customerTag, boxTag, placeholderAnswer(dialog.remote.sdp));
  } catch (err) {
    dialog.destroy();
    deps.cdrs.ended(result.legId, 'failed', 'media');
    await failed('error', (err as Error).message);
    return;
  }
  dials.done(cmd.callId, abort);
  deps.live.delete(setup);
  const customer: QueuedCaller = {
    callId: cmd.callId,
    interactionId,
    queue,
    media,
    callerTag: customerTag,
    holdTag: boxTag,
    dialog,
    legId: result.legId,
    party: { number: cmd.number },
    offerSdp: customerOffer,
    nextHop: result.nextHop ?? '',
    phase: 'waiting',
    offers: new Map(),
    live: {
      mediaCallId: media.callId,
      connected: true,
      end: (cause) => endCaller(ctx, customer, cause, { byCaller: false, tellAcd: customer.phase === 'waiting' }),
    },
  };
  deps.live.add(customer.live);
  deps.legs.save(interactionId, customer.legId, dialog, result.nextHop);
  ctx.callers.set(cmd.callId, customer);
  dialog.on('destroy', () => callerHungUp(ctx, customer));
  ctx.log.info({ interaction: interactionId, number: cmd.number, attempt: cmd.attempt }, 'callback answered; waiting for the confirm key');
  const playing = new AbortController();
  customer.playing = playing;
  await playSequence(deps.ng, { callId: media.callId, fromTag: customerTag }, ctx.prompts.files(pressKeyAnnouncement('callback-connect', cmd.confirmKey)), playing.signal).catch((err: Error) =>
    ctx.log.warn({ err: err.message }, 'callback prompt failed'),
  );
}
