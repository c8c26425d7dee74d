import { moveAgent } from './agent-state.ts';
import { delayAgent, freeAgent, pauseNow, startWrapUp } from './agent-work.ts';
import { recordHandleTime } from './estimates.ts';
import { at, callEvent, command, wakeCall } from './out.ts';
import { removeEntry } from './queue.ts';
import { SECOND } from './state.ts';
import type { AgentRec, CallRec, MemberRec, State } from './state.ts';
import type { OfferFailure } from './types.ts';

/**
 * An agent whose phone answered an offer with an error (a SIP failure that is neither busy, reject nor no-answer)
 * gets no new offer for this long. Without it a phone that fails at once would be re-offered in a tight loop.
 */
export const ERROR_DELAY_S = 2;

/** Offers the call to the member's agent: reserved until its phone reports ringing, for ring_timeout_s. */
export function offerCall(s: State, call: CallRec, member: MemberRec): void {
  const agent = member.agent;
  // A confirmed callback's agent is already reserved for this call.
  if (agent.state !== 'reserved') moveAgent(agent, 'reserved', s.now);
  agent.offer = { call, kind: 'call' };
  const offer = { at: s.now };
  call.offers.set(agent, offer);
  call.firstOfferAt ??= s.now;
  const timeoutS = call.queue.options.ring_timeout_s;
  command(s, {
    type: 'offer',
    callId: call.callId,
    agentId: agent.id,
    queue: call.queue.id,
    interactionId: call.interactionId,
    ...(call.callerNumber !== undefined && { callerNumber: call.callerNumber }),
    ...(call.callerName !== undefined && { callerName: call.callerName }),
    timeoutS,
  });
  callEvent(s, call, { type: 'offer', agentId: agent.id });
  at(s, s.now + timeoutS * SECOND, () => {
    if (call.offers.get(agent) === offer) failOffer(s, call, agent, 'no-answer', true);
  });
}

/** Takes the offer away from the agent without blaming it (another agent answered, the caller left). */
export function withdrawOffer(s: State, call: CallRec, agent: AgentRec): void {
  call.offers.delete(agent);
  delete agent.offer;
  command(s, { type: 'cancel-offer', callId: call.callId, agentId: agent.id });
  freeAgent(s, agent);
}

export function withdrawAllOffers(s: State, call: CallRec): void {
  for (const agent of [...call.offers.keys()]) withdrawOffer(s, call, agent);
}

/** The agent did not take the offer: the caller keeps their place and is offered again. */
export function failOffer(s: State, call: CallRec, agent: AgentRec, reason: OfferFailure, timedOut: boolean): void {
  const offer = call.offers.get(agent);
  if (offer === undefined) return;
  const options = call.queue.options;
  call.offers.delete(agent);
  call.tried.add(agent);
  delete agent.offer;
  if (timedOut) command(s, { type: 'cancel-offer', callId: call.callId, agentId: agent.id });
  if (reason === 'no-answer') {
    callEvent(s, call, { type: 'ring-no-answer', agentId: agent.id, ringMs: s.now - offer.at });
    agent.unanswered++;
    delayAgent(s, agent, options.no_answer_delay_s);
  } else {
    callEvent(s, call, { type: 'offer-failed', agentId: agent.id, reason });
    delayAgent(s, agent, reason === 'busy' ? options.busy_delay_s : reason === 'rejected' ? options.reject_delay_s : ERROR_DELAY_S);
  }
  if (options.autopause_after !== null && agent.unanswered >= options.autopause_after) {
    delete agent.pending;
    pauseNow(s, agent, 'autopause');
  } else {
    freeAgent(s, agent);
  }
  wakeCall(s, call);
}

/** The agent answered: it gets the call, every other agent ringing for it stops. */
export function connect(s: State, call: CallRec, agent: AgentRec): void {
  call.offers.delete(agent);
  withdrawAllOffers(s, call);
  delete agent.offer;
  moveAgent(agent, 'on-call', s.now);
  agent.call = call;
  agent.unanswered = 0;
  agent.calls++;
  const member = agent.memberOf.find((m) => m.queue === call.queue);
  if (member !== undefined) member.calls++;
  removeEntry(call.queue, call);
  call.phase = 'connected';
  call.agent = agent;
  call.connectedAt = s.now;
  command(s, { type: 'bridge', callId: call.callId, agentId: agent.id });
  const isCallback = call.callback !== undefined;
  if (isCallback) callEvent(s, call, { type: 'callback-connected', agentId: agent.id, attempt: call.callback?.attempts ?? 0 });
  callEvent(s, call, { type: 'connect', agentId: agent.id, waitMs: s.now - call.enteredAt, callback: isCallback });
}

/** The connected call ended; the agent goes to wrap-up (shared by all its queues). */
export function complete(s: State, call: CallRec, by: 'agent' | 'caller' | 'transfer'): void {
  const agent = call.agent as AgentRec;
  const talkMs = s.now - (call.connectedAt as number);
  callEvent(s, call, { type: 'complete', agentId: agent.id, by, talkMs, waitMs: (call.connectedAt as number) - call.enteredAt });
  agent.talkMs += talkMs;
  const member = agent.memberOf.find((m) => m.queue === call.queue);
  if (member !== undefined) member.talkMs += talkMs;
  const wrapupS = call.queue.options.wrapup_s;
  recordHandleTime(call.queue, talkMs + wrapupS * SECOND);
  call.phase = 'gone';
  s.calls.delete(call.callId);
  delete agent.call;
  startWrapUp(s, agent, wrapupS);
}
