import type { AgentRec } from './state.ts';
import type { AgentState } from './types.ts';

/**
 * The agent state machine. Every change goes through `moveAgent`, which refuses transitions not in this
 * table: an agent can only reach reserved/ringing from available, and every path out of an offer leads
 * back to a state that takes or refuses calls explicitly, so no agent is left stuck in between.
 */
const ALLOWED: Readonly<Record<AgentState, readonly AgentState[]>> = {
  'logged-out': ['available', 'paused'],
  available: ['reserved', 'paused', 'logged-out'],
  reserved: ['ringing', 'on-call', 'available', 'paused', 'logged-out'],
  ringing: ['on-call', 'available', 'paused', 'logged-out'],
  'on-call': ['wrap-up', 'available', 'paused', 'logged-out'],
  'wrap-up': ['available', 'paused', 'logged-out'],
  paused: ['available', 'paused', 'logged-out'],
};

export function canMove(from: AgentState, to: AgentState): boolean {
  return ALLOWED[from].includes(to);
}

export function moveAgent(agent: AgentRec, to: AgentState, now: number): void {
  if (!canMove(agent.state, to)) throw new Error(`agent ${agent.id}: no transition ${agent.state} -> ${to}`);
  agent.state = to;
  agent.since = now;
  agent.token++;
  if (to !== 'paused') delete agent.pauseReason;
}

/** Can be offered a call right now (in any of its queues). */
export function isAvailable(agent: AgentRec, now: number): boolean {
  return agent.state === 'available' && agent.notBefore <= now;
}

/** Logged in and not paused: counts for join-empty, leave-when-empty and wait estimates. */
export function isStaffed(agent: AgentRec): boolean {
  return agent.state !== 'logged-out' && agent.state !== 'paused';
}

export function newAgent(id: string, skills: Readonly<Record<string, number>>, now: number): AgentRec {
  return {
    id,
    skills: new Map(Object.entries(skills)),
    state: 'logged-out',
    since: now,
    memberOf: [],
    notBefore: 0,
    wrapUntil: 0,
    idleSince: now,
    unanswered: 0,
    calls: 0,
    talkMs: 0,
    token: 0,
  };
}
