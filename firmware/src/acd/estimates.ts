import { isStaffed } from './agent-state.ts';
import { positionOf } from './queue.ts';
import { SECOND } from './state.ts';
import type { AgentRec, CallRec, QueueRec } from './state.ts';

/** Weight of the newest handle time in the smoothed average used by wait estimates. */
const SMOOTHING = 0.2;

export function recordHandleTime(queue: QueueRec, handleMs: number): void {
  queue.handleMs = queue.handleMs + SMOOTHING * (handleMs - queue.handleMs);
}

/** When the agent is expected to be free for a new call, given what it does now. */
function freeAt(agent: AgentRec, queue: QueueRec, now: number): number {
  const wrap = queue.options.wrapup_s * SECOND;
  switch (agent.state) {
    case 'available':
      return Math.max(now, agent.notBefore);
    case 'wrap-up':
      return Math.max(now, agent.wrapUntil);
    case 'on-call':
      return now + Math.max(0, queue.handleMs - wrap - (now - agent.since)) + wrap;
    default:
      // Reserved or ringing: about to start a call.
      return now + queue.handleMs;
  }
}

/**
 * Estimated remaining wait of a caller, from the live queue: the callers ahead of it that no agent is
 * ringing for yet are handed, one by one, to whichever staffed member is free first; each call takes the
 * queue's measured handle time. Null when no member is staffed (nobody will answer). With `call` null:
 * the wait of a caller joining now (the wallboard's expected wait).
 */
export function estimateWaitMs(queue: QueueRec, call: CallRec | null, now: number): number | null {
  let ahead = 0;
  for (const other of queue.entries) {
    if (other === call) break;
    if (other.offers.size === 0 && other.phase !== 'callback-dialing') ahead++;
  }
  return waitBehind(queue, ahead, now);
}

function waitBehind(queue: QueueRec, ahead: number, now: number): number | null {
  const free: number[] = [];
  for (const m of queue.members) if (isStaffed(m.agent)) free.push(freeAt(m.agent, queue, now));
  if (free.length === 0) return null;
  free.sort((a, b) => a - b);
  // Each agent serves callers back to back, so agent i is free for its k-th next call at free[i] + k*handle.
  // The caller's start is the (ahead+1)-th smallest of those times.
  const handle = queue.handleMs;
  const rounds = Math.floor(ahead / free.length);
  let lo = now;
  let hi = (free[free.length - 1] as number) + (rounds + 1) * handle;
  const startsBy = (t: number): number => {
    let n = 0;
    for (const f of free) if (f <= t) n += 1 + Math.floor((t - f) / handle);
    return n;
  };
  if (startsBy(now) >= ahead + 1) return 0;
  while (hi - lo > SECOND) {
    const mid = (lo + hi) / 2;
    if (startsBy(mid) >= ahead + 1) hi = mid;
    else lo = mid;
  }
  // The start we look for is the first one after `lo`.
  let exact = hi;
  for (const f of free) exact = Math.min(exact, f > lo ? f : f + (Math.floor((lo - f) / handle) + 1) * handle);
  return Math.round(exact - now);
}

export interface Estimate {
  position: number;
  ewtMs: number | null;
}

export function estimate(call: CallRec, now: number): Estimate {
  return { position: positionOf(call.queue, call), ewtMs: estimateWaitMs(call.queue, call, now) };
}
