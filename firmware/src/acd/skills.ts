import { SECOND } from './state.ts';
import type { CallRec, MemberRec } from './state.ts';

/** What a call requires of an agent at a given moment, after the queue's widening steps. */
export interface Requirement {
  skills: ReadonlyArray<readonly [string, number]>;
  maxPenalty: number;
}

const NO_SKILLS: ReadonlyArray<readonly [string, number]> = [];

/**
 * Widening relaxes the requirement as the caller waits; it never touches the caller's `seq`, so the
 * caller keeps their position while more agents become eligible.
 */
export function requirementAt(call: CallRec, now: number): Requirement {
  const cached = call.requirement;
  if (cached !== undefined && now >= cached.from && now < cached.until) return cached.req;
  const req = computeRequirement(call, now);
  call.requirement = { req, from: now, until: nextWideningAt(call, now) ?? Number.POSITIVE_INFINITY };
  return req;
}

function computeRequirement(call: CallRec, now: number): Requirement {
  const options = call.queue.options;
  const waited = now - call.enteredAt;
  let minProficiency = 5;
  let anyMember = false;
  let maxPenalty = options.max_penalty ?? Number.POSITIVE_INFINITY;
  for (const step of options.widening) {
    if (step.after_s * SECOND > waited) break;
    if (step.min_proficiency !== undefined) minProficiency = Math.min(minProficiency, step.min_proficiency);
    if (step.any_member) anyMember = true;
    if (step.max_penalty !== undefined) maxPenalty = Math.max(maxPenalty, step.max_penalty);
  }
  if (anyMember) return { skills: NO_SKILLS, maxPenalty };
  const wanted = call.skills ?? options.skills;
  const skills: Array<readonly [string, number]> = [];
  for (const name in wanted) skills.push([name, Math.min(wanted[name] as number, minProficiency)]);
  return { skills, maxPenalty };
}

export function meets(member: MemberRec, req: Requirement): boolean {
  if (member.penalty > req.maxPenalty) return false;
  const have = member.agent.skills;
  for (const [name, level] of req.skills) {
    if ((have.get(name) ?? 0) < level) return false;
  }
  return true;
}

/** Next time the call's requirement widens, or null when it is as wide as it gets. */
export function nextWideningAt(call: CallRec, now: number): number | null {
  for (const step of call.queue.options.widening) {
    const at = call.enteredAt + step.after_s * SECOND;
    if (at > now) return at;
  }
  return null;
}

/** Sum of the agent's proficiency over the call's (unwidened) skills: the best match has the highest. */
export function matchScore(member: MemberRec, call: CallRec): number {
  const wanted = call.skills ?? call.queue.options.skills;
  let score = 0;
  for (const name in wanted) score += member.agent.skills.get(name) ?? 0;
  return score;
}
