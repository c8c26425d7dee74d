import { moveAgent } from './agent-state.ts';
import { finishWrapUp, logoutNow, pauseNow } from './agent-work.ts';
import { callbackAgentGone } from './callbacks.ts';
import { agentEvent, command, wakeAgentQueues, wakeCall } from './out.ts';
import type { AgentRec, State } from './state.ts';

/** Agent actions from the desk phone (feature codes), the web UI or the adapter. */

export function login(s: State, agent: AgentRec, pausedReason?: string): void {
  if (agent.state !== 'logged-out') return;
  agent.unanswered = 0;
  agent.idleSince = s.now;
  agent.notBefore = 0;
  moveAgent(agent, 'available', s.now);
  agentEvent(s, agent, { type: 'agent-login' });
  if (pausedReason !== undefined) pauseNow(s, agent, pausedReason);
  else wakeAgentQueues(s, agent);
}

/** Stops an offer or a callback reservation because the agent itself goes away. */
function dropOffer(s: State, agent: AgentRec): void {
  const offer = agent.offer;
  if (offer === undefined) return;
  delete agent.offer;
  if (offer.kind === 'callback') {
    callbackAgentGone(s, offer.call);
  } else {
    offer.call.offers.delete(agent);
    command(s, { type: 'cancel-offer', callId: offer.call.callId, agentId: agent.id });
    wakeCall(s, offer.call);
  }
}

/** During a call the logout waits for the call and its wrap-up to end; otherwise it is immediate. */
export function logout(s: State, agent: AgentRec): void {
  if (agent.state === 'logged-out') return;
  if (agent.state === 'on-call') {
    agent.pending = { type: 'logout' };
    return;
  }
  dropOffer(s, agent);
  logoutNow(s, agent);
}

export function pause(s: State, agent: AgentRec, reason: string): void {
  if (agent.state === 'logged-out') return;
  if (agent.state === 'on-call') {
    agent.pending = { type: 'pause', reason };
    return;
  }
  dropOffer(s, agent);
  pauseNow(s, agent, reason);
}

export function unpause(s: State, agent: AgentRec): void {
  if (agent.pending?.type === 'pause') delete agent.pending;
  if (agent.state !== 'paused') return;
  agent.unanswered = 0;
  moveAgent(agent, 'available', s.now);
  agentEvent(s, agent, { type: 'agent-unpause' });
  wakeAgentQueues(s, agent);
}

/** The agent ends wrap-up early from the phone or the web UI. */
export function endWrapUp(s: State, agent: AgentRec): void {
  if (agent.state === 'wrap-up') finishWrapUp(s, agent);
}
