import { moveAgent } from './agent-state.ts';
import { agentEvent, at, wakeAgentQueues } from './out.ts';
import { SECOND } from './state.ts';
import type { AgentRec, State } from './state.ts';
import { leaveIfEmpty } from './calls.ts';

/**
 * What happens to an agent once it is free of an offer or a call: a pause or logout asked for meanwhile
 * takes effect, otherwise the agent is available again and its queues are woken up.
 */
export function freeAgent(s: State, agent: AgentRec): void {
  const pending = agent.pending;
  delete agent.pending;
  if (pending?.type === 'logout') {
    logoutNow(s, agent);
  } else if (pending?.type === 'pause') {
    pauseNow(s, agent, pending.reason);
  } else {
    moveAgent(agent, 'available', s.now);
    wakeAgentQueues(s, agent);
  }
}

export function pauseNow(s: State, agent: AgentRec, reason: string): void {
  moveAgent(agent, 'paused', s.now);
  agent.pauseReason = reason;
  agentEvent(s, agent, { type: 'agent-pause', reason });
  checkEmpty(s, agent);
}

export function logoutNow(s: State, agent: AgentRec): void {
  moveAgent(agent, 'logged-out', s.now);
  agentEvent(s, agent, { type: 'agent-logout' });
  checkEmpty(s, agent);
}

function checkEmpty(s: State, agent: AgentRec): void {
  for (const m of agent.memberOf) leaveIfEmpty(s, m.queue);
}

/** Delays a new offer to this agent (busy, reject, no-answer delays). */
export function delayAgent(s: State, agent: AgentRec, delayS: number): void {
  if (delayS <= 0) return;
  agent.notBefore = Math.max(agent.notBefore, s.now + delayS * SECOND);
  at(s, agent.notBefore, () => wakeAgentQueues(s, agent));
}

/** After a call: wrap-up for the queue's wrapup_s, shared across all the agent's queues. */
export function startWrapUp(s: State, agent: AgentRec, wrapupS: number): void {
  agent.idleSince = s.now;
  if (wrapupS <= 0) {
    finishWrapUp(s, agent);
    return;
  }
  moveAgent(agent, 'wrap-up', s.now);
  agent.wrapUntil = s.now + wrapupS * SECOND;
  agentEvent(s, agent, { type: 'agent-wrapup', untilAt: agent.wrapUntil });
  const token = agent.token;
  at(s, agent.wrapUntil, () => {
    if (agent.token === token && agent.state === 'wrap-up') finishWrapUp(s, agent);
  });
}

export function finishWrapUp(s: State, agent: AgentRec): void {
  if (agent.pending === undefined) agentEvent(s, agent, { type: 'agent-available' });
  freeAgent(s, agent);
}
