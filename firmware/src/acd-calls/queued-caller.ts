import type { CallMedia } from '../media/call-media.ts';
import type { Bridge } from '../calls/bridge.ts';
import type { Party } from '../calls/call-deps.ts';
import type { LiveCall } from '../calls/live-calls.ts';
import type { Dialog } from '../calls/sip-types.ts';
import type { AdapterContext } from './adapter-context.ts';

/** One agent's phone being rung for a caller; `dialog` is set once it answered. */
export interface AgentLeg {
  abort: AbortController;
  dialog?: Dialog;
  legId?: string;
  nextHop?: string | undefined;
}

/**
 * A caller the box answered for a queue. In rtpengine the caller is the offerer (tag `callerTag`) and the box
 * answered with a placeholder under `holdTag`; whoever takes the call later answers under that same tag, so the
 * caller never needs a re-INVITE (rtpengine-notes.md, "queue, then bridge").
 */
export interface QueuedCaller {
  callId: string;
  interactionId: string;
  queue: string;
  media: CallMedia;
  callerTag: string;
  holdTag: string;
  dialog: Dialog;
  legId: string;
  party: Party;
  /** rtpengine's SDP for whoever takes the call. */
  offerSdp: string;
  nextHop: string;
  /**
   * waiting: in the distributor, hearing music; leaving: the distributor let go (overflow, callback, hang-up
   * prompt) and the adapter finishes the call; connected: a Bridge owns both legs; gone: ended.
   */
  phase: 'waiting' | 'leaving' | 'connected' | 'gone';
  offers: Map<string, AgentLeg>;
  /** The prompt sequence playing now (announcements), aborted when something else must be heard. */
  playing?: AbortController;
  /** The queue's own periodic prompt (announce.periodic_prompt), while waiting. */
  periodic?: NodeJS.Timeout;
  /** Ringing a destination after leaving the queue. */
  routing?: AbortController;
  bridge?: Bridge;
  agentId?: string;
  live: LiveCall;
}

/** Hangs up every agent leg rung for the caller: ringing ones are cancelled, answered ones get BYE. */
export function dropOffers(ctx: AdapterContext, caller: QueuedCaller, cause: string): void {
  for (const [agentId, leg] of caller.offers) dropLeg(ctx, leg, cause, agentId);
  caller.offers.clear();
}

export function dropLeg(ctx: AdapterContext, leg: AgentLeg, cause: string, agentId: string): void {
  leg.abort.abort();
  if (leg.dialog) {
    ctx.log.info({ agent: agentId }, `hanging up an agent leg: ${cause}`);
    leg.dialog.destroy();
    if (leg.legId) ctx.deps.cdrs.ended(leg.legId, 'cancelled', cause);
  }
}

/**
 * Ends a caller that is not connected to anyone: every agent leg, the announcement, the caller's dialog (BYE
 * unless they hung up themselves) and the media. `tellAcd` is false once the distributor already let the call go.
 */
export async function endCaller(ctx: AdapterContext, caller: QueuedCaller, cause: string, o: { byCaller: boolean; tellAcd: boolean }): Promise<void> {
  if (caller.phase === 'gone' || caller.phase === 'connected') return;
  caller.phase = 'gone';
  // A callback for the same call may already hold its place in the map.
  if (ctx.callers.get(caller.callId) === caller) ctx.callers.delete(caller.callId);
  ctx.deps.live.delete(caller.live);
  clearInterval(caller.periodic);
  caller.playing?.abort();
  caller.routing?.abort();
  dropOffers(ctx, caller, cause);
  if (o.tellAcd) ctx.submit({ type: 'caller-hangup', callId: caller.callId });
  ctx.deps.cdrs.ended(caller.legId, 'answered', cause);
  ctx.deps.legs.remove(caller.legId);
  if (!o.byCaller) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 3000);
      try {
        caller.dialog.destroy({ headers: { Reason: `SIP;cause=200;text="${cause.replace(/"/g, "'")}"` } }, () => {
          clearTimeout(timer);
          resolve();
        });
      } catch {
        clearTimeout(timer);
        resolve();
      }
    });
  }
  await caller.media.delete().catch((err: Error) => ctx.log.warn({ err: err.message }, 'rtpengine delete failed; the reconcile will retry'));
}

/** The caller's BYE: while waiting or leaving everything of theirs ends; once connected the Bridge ends the call. */
export function callerHungUp(ctx: AdapterContext, caller: QueuedCaller): void {
  if (caller.phase === 'connected') {
    if (ctx.callers.get(caller.callId) === caller) ctx.callers.delete(caller.callId);
    caller.phase = 'gone';
    ctx.submit({ type: 'caller-hangup', callId: caller.callId });
    return;
  }
  ctx.log.info({ interaction: caller.interactionId, queue: caller.queue }, 'caller hung up in the queue');
  void endCaller(ctx, caller, 'caller hung up', { byCaller: true, tellAcd: caller.phase === 'waiting' });
}
