import { Bridge } from '../calls/bridge.ts';
import type { Party } from '../calls/call-deps.ts';
import type { Dialog } from '../calls/sip-types.ts';
import type { AdapterContext } from './adapter-context.ts';
import { endCaller, type QueuedCaller } from './queued-caller.ts';

export interface FarParty {
  dialog: Dialog;
  legId: string;
  party: Party;
  nextHop?: string | undefined;
}

/**
 * Connects a queued caller with the party that answered (an agent, or an overflow destination): its SDP is the
 * answer under the box's hold tag, music stops, the caller's audio is let through, and a Bridge owns the call
 * from then on (hang-ups, hold, transfers). For an agent, its BYE tells the distributor.
 */
export async function connectCaller(ctx: AdapterContext, caller: QueuedCaller, far: FarParty, agentId?: string): Promise<boolean> {
  caller.playing?.abort();
  clearInterval(caller.periodic);
  const { media } = caller;
  try {
    await media.answer(caller.callerTag, caller.holdTag, far.dialog.remote.sdp);
    await media.stopPlay(caller.callerTag).catch(() => undefined);
    await ctx.deps.ng.command('unblockMedia', { 'call-id': media.callId, 'from-tag': caller.callerTag });
  } catch (err) {
    ctx.log.warn({ err: (err as Error).message, interaction: caller.interactionId }, 'could not connect the caller');
    far.dialog.destroy();
    ctx.deps.cdrs.ended(far.legId, 'failed', 'media could not be connected');
    if (agentId !== undefined) ctx.submit({ type: 'agent-hangup', agentId });
    await endCaller(ctx, caller, 'media could not be connected', { byCaller: false, tellAcd: agentId !== undefined });
    return false;
  }
  // Either side may have hung up while the media was being connected (the Bridge would never hear of it).
  const farGone = (far.dialog as { connected?: boolean }).connected === false;
  if (caller.phase === 'gone' || farGone) {
    if (farGone) ctx.deps.cdrs.ended(far.legId, 'answered', 'hung up before the caller was connected');
    else {
      far.dialog.destroy();
      ctx.deps.cdrs.ended(far.legId, 'cancelled', 'caller hung up');
    }
    if (agentId !== undefined) ctx.submit({ type: 'agent-hangup', agentId });
    await endCaller(ctx, caller, 'the answering party hung up', { byCaller: false, tellAcd: false });
    return false;
  }
  caller.phase = 'connected';
  ctx.deps.live.delete(caller.live);
  caller.bridge = new Bridge(
    ctx.deps,
    media,
    caller.interactionId,
    { dialog: caller.dialog, tag: caller.callerTag, legId: caller.legId, party: caller.party, held: false, nextHop: caller.nextHop },
    { dialog: far.dialog, tag: caller.holdTag, legId: far.legId, party: far.party, held: false, nextHop: far.nextHop },
  );
  if (agentId === undefined) {
    // Out of the distributor: the Bridge alone ends the call.
    ctx.callers.delete(caller.callId);
    return true;
  }
  caller.agentId = agentId;
  far.dialog.on('destroy', () => {
    if (ctx.callers.get(caller.callId) !== caller) return;
    ctx.callers.delete(caller.callId);
    caller.phase = 'gone';
    ctx.submit({ type: 'agent-hangup', agentId });
  });
  return true;
}

/**
 * A connected queue call that ended without a BYE the adapter saw (shutdown, media lost), or whose agent
 * transferred the caller away: the distributor hears the agent is done (`agent-hangup`, or `transfer` when the
 * caller talks to the transfer target now), so it is never left on a call that is gone.
 */
export function settleEndedBridges(ctx: AdapterContext): void {
  const live = new Set(ctx.deps.live.all());
  for (const caller of [...ctx.callers.values()]) {
    if (caller.phase !== 'connected' || caller.bridge === undefined || caller.agentId === undefined) continue;
    const legs = caller.bridge.legs();
    const agentStill = legs.some((l) => l.tag === caller.holdTag);
    if (live.has(caller.bridge) && agentStill) continue;
    ctx.callers.delete(caller.callId);
    caller.phase = 'gone';
    // A transfer leaves the caller talking to someone new: the distributor records it as completed by transfer.
    const callerStill = live.has(caller.bridge) && legs.some((l) => l.tag === caller.callerTag);
    const target = legs.find((l) => l.tag !== caller.callerTag)?.party.number;
    if (callerStill && target !== undefined) ctx.submit({ type: 'transfer', callId: caller.callId, to: `extension:${target}` });
    else ctx.submit({ type: 'agent-hangup', agentId: caller.agentId });
  }
}

export async function bridgeAgent(ctx: AdapterContext, callId: string, agentId: string): Promise<void> {
  const caller = ctx.callers.get(callId);
  const leg = caller?.offers.get(agentId);
  if (caller === undefined || leg?.dialog === undefined || leg.legId === undefined) {
    ctx.log.warn({ callId, agent: agentId }, 'bridge for a call or leg that is gone');
    ctx.submit({ type: 'agent-hangup', agentId });
    return;
  }
  caller.offers.delete(agentId);
  const ok = await connectCaller(ctx, caller, { dialog: leg.dialog, legId: leg.legId, party: { number: agentId, extension: agentId }, nextHop: leg.nextHop }, agentId);
  if (ok) ctx.log.info({ interaction: caller.interactionId, queue: caller.queue, agent: agentId }, 'queue call connected');
}
