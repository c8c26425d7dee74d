import { moveAgent } from './agent-state.ts';
import { freeAgent } from './agent-work.ts';
import { offerCall, withdrawAllOffers } from './offers.ts';
import { at, callEvent, command, wakeCall } from './out.ts';
import { positionOf, removeEntry } from './queue.ts';
import { SECOND } from './state.ts';
import type { AgentRec, CallRec, MemberRec, State } from './state.ts';
import type { CallbackFailure } from './types.ts';

/**
 * Callbacks keep the caller's place: the entry stays in the queue with its `seq` while the caller hangs
 * up. When it is its turn, an agent is reserved, the customer is dialled and only after they press the
 * confirm key is the agent rung (an answering machine never reaches an agent).
 */
export function requestCallback(s: State, call: CallRec, number: string): void {
  withdrawAllOffers(s, call);
  call.phase = 'callback';
  call.callback = { number, attempts: 0, notBefore: s.now, confirmed: false };
  command(s, { type: 'route', callId: call.callId, to: { kind: 'callback' }, reason: 'callback' });
  callEvent(s, call, { type: 'callback-requested', number, position: positionOf(call.queue, call) });
  wakeCall(s, call);
}

/** Its turn came: reserve the agent and dial the customer. */
export function placeCallback(s: State, call: CallRec, member: MemberRec): void {
  const cb = call.callback;
  if (cb === undefined) return;
  const agent = member.agent;
  const options = call.queue.options.callback;
  moveAgent(agent, 'reserved', s.now);
  agent.offer = { call, kind: 'callback' };
  cb.agent = agent;
  cb.attempts++;
  call.phase = 'callback-dialing';
  const attempt = cb.attempts;
  command(s, {
    type: 'dial-callback',
    callId: call.callId,
    number: cb.number,
    agentId: agent.id,
    attempt,
    confirmKey: options.confirm_key,
    timeoutS: options.answer_timeout_s,
  });
  callEvent(s, call, { type: 'callback-placed', agentId: agent.id, attempt });
  at(s, s.now + options.answer_timeout_s * SECOND, () => {
    if (call.phase === 'callback-dialing' && cb.attempts === attempt) callbackFailed(s, call, 'no-confirm', true);
  });
}

/** The customer pressed the confirm key: ring the reserved agent; from here on it is a live caller. */
export function confirmCallback(s: State, call: CallRec): void {
  const cb = call.callback;
  const agent = cb?.agent;
  if (cb === undefined || agent === undefined || call.phase !== 'callback-dialing') return;
  cb.confirmed = true;
  delete cb.agent;
  call.phase = 'waiting';
  const member = agent.memberOf.find((m) => m.queue === call.queue);
  if (member === undefined) {
    // The agent left the queue (new configuration) while the customer was dialled: any member may answer.
    delete agent.offer;
    freeAgent(s, agent);
  } else {
    offerCall(s, call, member);
  }
  // With ring-all or ring-progressively other agents may ring too, as for any live caller.
  wakeCall(s, call);
}

/** The attempt failed: retry later keeping the place, or give up after the last attempt. */
export function callbackFailed(s: State, call: CallRec, reason: CallbackFailure, timedOut: boolean): void {
  const cb = call.callback;
  if (cb === undefined || call.phase !== 'callback-dialing') return;
  if (timedOut) command(s, { type: 'cancel-callback', callId: call.callId });
  releaseReserved(s, call);
  const options = call.queue.options.callback;
  const final = cb.attempts >= options.attempts;
  callEvent(s, call, { type: 'callback-failed', reason, attempt: cb.attempts, final, waitMs: s.now - call.enteredAt });
  if (final) {
    removeEntry(call.queue, call);
    call.phase = 'gone';
    s.calls.delete(call.callId);
    return;
  }
  call.phase = 'callback';
  cb.notBefore = s.now + options.retry_after_s * SECOND;
  at(s, cb.notBefore, () => wakeCall(s, call));
}

/** The reserved agent went away (pause, logout) before the customer confirmed: try again, no attempt lost. */
export function callbackAgentGone(s: State, call: CallRec): void {
  const cb = call.callback;
  if (cb === undefined || call.phase !== 'callback-dialing') return;
  command(s, { type: 'cancel-callback', callId: call.callId });
  delete cb.agent;
  cb.attempts--;
  call.phase = 'callback';
  wakeCall(s, call);
}

function releaseReserved(s: State, call: CallRec): void {
  const agent = call.callback?.agent as AgentRec;
  delete call.callback?.agent;
  delete agent.offer;
  freeAgent(s, agent);
}

/** The queue of a pending callback was removed from the configuration: the callback is given up. */
export function dropCallback(s: State, call: CallRec): void {
  const cb = call.callback;
  if (cb === undefined) return;
  if (call.phase === 'callback-dialing') {
    command(s, { type: 'cancel-callback', callId: call.callId });
    releaseReserved(s, call);
  }
  callEvent(s, call, { type: 'callback-failed', reason: 'error', attempt: cb.attempts, final: true, waitMs: s.now - call.enteredAt });
  removeEntry(call.queue, call);
  call.phase = 'gone';
  s.calls.delete(call.callId);
}
