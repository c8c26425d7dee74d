import type { AcdCommand, OfferFailure } from '../acd/index.ts';
import { Bridge } from '../calls/bridge.ts';
import { dialLegs, type DialAttempt } from '../calls/dial-legs.ts';
import { quoteName } from '../calls/sip-types.ts';
import type { AdapterContext } from './adapter-context.ts';
import { dropLeg, type AgentLeg } from './queued-caller.ts';

type Offer = Extract<AcdCommand, { type: 'offer' }>;

/** How long an agent on another call "rings" before it is reported busy (see onOtherCall). */
const BUSY_REPORT_MS = 1000;

/** A SIP answer as the distributor's reason: busy and rejected delay the agent, no-answer counts towards auto-pause. */
export function offerFailure(status: number): OfferFailure {
  if (status === 486 || status === 600) return 'busy';
  if (status === 603 || status === 403) return 'rejected';
  if (status === 480 || status === 408 || status === 487) return 'no-answer';
  return 'error';
}

/**
 * Rings every registered phone of the agent with the caller's number, and the queue name and caller in the
 * display name, e.g. `"Support: Alice" <sip:1005@…>`. Reports ringing, the answer or why not. The distributor
 * keeps its own ring timeout; the SIP one is a little longer so that the distributor decides.
 */
export async function ringAgent(ctx: AdapterContext, cmd: Offer): Promise<void> {
  const caller = ctx.callers.get(cmd.callId);
  const failed = (reason: OfferFailure) => ctx.submit({ type: 'offer-failed', agentId: cmd.agentId, callId: cmd.callId, reason });
  if (caller === undefined || caller.phase !== 'waiting') {
    failed('error');
    return;
  }
  const bindings = ctx.deps.registrar.lookup(cmd.agentId);
  if (bindings.length === 0) {
    // Agents take calls while registered (agent-presence.ts); one whose phone went without an un-REGISTER is
    // logged out, which withdraws the offer, rather than being offered the call again and again.
    ctx.log.warn({ agent: cmd.agentId }, 'agent has no registered phone: logging it out');
    ctx.submit({ type: 'agent-logout', agentId: cmd.agentId });
    return;
  }
  if (onOtherCall(ctx, cmd.agentId)) {
    // The distributor does not see calls outside the queues: an agent talking on one is busy, and a phone with
    // call waiting must not ring. Reported after a pause so that a busy delay of 0 cannot make a tight loop.
    await new Promise((r) => setTimeout(r, BUSY_REPORT_MS));
    failed('busy');
    return;
  }
  const queueName = ctx.site().queues.get(cmd.queue)?.name ?? cmd.queue;
  const number = cmd.callerNumber ?? caller.party.number;
  const from = `${quoteName(`${queueName}: ${cmd.callerName ?? number}`)} <sip:${number}@localhost>`;
  const attempts: DialAttempt[] = bindings.map((b) => ({
    uri: b.contact,
    proxy: `sip:${b.receivedAddress.includes(':') ? `[${b.receivedAddress}]` : b.receivedAddress}:${b.receivedPort};transport=${b.receivedProto}`,
    headers: { From: from, To: `<sip:${cmd.agentId}@localhost>`, 'P-Asserted-Identity': from },
    cdr: { direction: caller.party.trunk ? 'inbound' : 'internal', callee: cmd.agentId, extension: cmd.agentId },
  }));
  const leg: AgentLeg = { abort: new AbortController() };
  caller.offers.set(cmd.agentId, leg);
  let rang = false;
  const result = await dialLegs(
    {
      deps: ctx.deps,
      interactionId: cmd.interactionId,
      callerNumber: number,
      offerSdp: caller.offerSdp,
      signal: leg.abort.signal,
      onRinging: () => {
        if (rang || leg.abort.signal.aborted) return;
        rang = true;
        ctx.submit({ type: 'agent-ringing', agentId: cmd.agentId, callId: cmd.callId });
      },
    },
    attempts,
    cmd.timeoutS * 1000 + 3000,
  );
  if (leg.abort.signal.aborted) {
    // Withdrawn while ringing (another agent answered, the caller left): a phone that answered anyway goes.
    if (result.ok) {
      leg.dialog = result.dialog;
      leg.legId = result.legId;
      dropLeg(ctx, leg, 'answered after the offer was withdrawn', cmd.agentId);
    }
    return;
  }
  if (!result.ok) {
    const reason = offerFailure(result.status);
    caller.offers.delete(cmd.agentId);
    if (!leg.abort.signal.aborted) failed(reason);
    return;
  }
  leg.dialog = result.dialog;
  leg.legId = result.legId;
  leg.nextHop = result.nextHop;
  ctx.submit({ type: 'agent-answered', agentId: cmd.agentId, callId: cmd.callId });
}

/** Stops ringing the agent for the call, or hangs up its leg if it answered too late. */
export function cancelOffer(ctx: AdapterContext, callId: string, agentId: string): void {
  const caller = ctx.callers.get(callId);
  const leg = caller?.offers.get(agentId);
  if (caller === undefined || leg === undefined) return;
  caller.offers.delete(agentId);
  dropLeg(ctx, leg, 'offer withdrawn', agentId);
}

/** True while the agent's extension is a party of a connected call (a queue call or any other). */
function onOtherCall(ctx: AdapterContext, agentId: string): boolean {
  // A called extension's leg carries the dialled number only; a trunk party's number is never an extension.
  const isAgent = (p: { number: string; extension?: string | undefined; trunk?: string | undefined }) => p.extension === agentId || (p.trunk === undefined && p.number === agentId);
  return ctx.deps.live.all().some((c) => c instanceof Bridge && c.legs().some((l) => isAgent(l.party)));
}
