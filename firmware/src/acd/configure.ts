import { newAgent } from './agent-state.ts';
import { logout } from './agents.ts';
import { dropCallback } from './callbacks.ts';
import { leaveQueue, scheduleWidening } from './calls.ts';
import type { AcdConfig } from './engine.ts';
import { wakeAgentQueues, wakeCall } from './out.ts';
import { queueOptionsSchema } from './queue-options-schema.ts';
import { scheduleFanout } from './routing.ts';
import type { QueueOptions } from './queue-options-schema.ts';
import { SECOND } from './state.ts';
import type { MemberRec, QueueRec, State } from './state.ts';

interface QueuePlan {
  id: string;
  options: QueueOptions;
  members: Array<{ agentId: string; penalty: number; weight: number }>;
}

/** Checks the whole configuration before anything changes; errors name the path. */
function plan(config: AcdConfig): QueuePlan[] {
  const agentIds = new Set<string>();
  for (const [i, a] of config.agents.entries()) {
    if (agentIds.has(a.id)) throw new Error(`agents.${i}: duplicate agent ${a.id}`);
    agentIds.add(a.id);
  }
  const queueIds = new Set<string>();
  return config.queues.map((q, qi) => {
    if (queueIds.has(q.id)) throw new Error(`queues.${qi}: duplicate queue ${q.id}`);
    queueIds.add(q.id);
    const parsed = queueOptionsSchema.safeParse(q.options ?? {});
    if (!parsed.success) {
      throw new Error(parsed.error.issues.map((i) => `queues.${qi}.options.${i.path.join('.')}: ${i.message}`).join('\n'));
    }
    const seen = new Set<string>();
    const members = q.members.map((m, mi) => {
      if (!agentIds.has(m.agentId)) throw new Error(`queues.${qi}.members.${mi}: unknown agent ${m.agentId}`);
      if (seen.has(m.agentId)) throw new Error(`queues.${qi}.members.${mi}: agent ${m.agentId} listed twice`);
      seen.add(m.agentId);
      return { agentId: m.agentId, penalty: m.penalty ?? 0, weight: m.weight ?? 1 };
    });
    return { id: q.id, options: parsed.data, members };
  });
}

/**
 * Applies a configuration to a running engine without dropping calls. Agents and queues keep their state
 * and statistics; routing (strategy, skills, widening, penalties) follows the new options at once, limits
 * and overflow apply to callers entering from now on. A removed agent is logged out (after its current
 * call); a removed queue's waiting callers leave as if it were empty, and its callbacks are given up.
 */
export function applyConfig(s: State, config: AcdConfig): void {
  const queues = plan(config);
  const wanted = new Set(config.agents.map((a) => a.id));
  for (const a of config.agents) {
    const existing = s.agents.get(a.id);
    if (existing === undefined) s.agents.set(a.id, newAgent(a.id, a.skills ?? {}, s.now));
    else existing.skills = new Map(Object.entries(a.skills ?? {}));
  }
  const keep = new Set(queues.map((q) => q.id));
  for (const q of queues) {
    let queue = s.queues.get(q.id);
    if (queue === undefined) {
      queue = {
        id: q.id,
        options: q.options,
        members: [],
        entries: [],
        rrLast: -1,
        recent: [],
        handleMs: q.options.expected_handle_s * SECOND,
        wake: { members: [], calls: new Set() },
        spareWake: { members: [], calls: new Set() },
      };
      s.queues.set(q.id, queue);
    }
    queue.options = q.options;
    setMembers(s, queue, q.members);
  }
  for (const [id, queue] of [...s.queues]) {
    if (keep.has(id)) continue;
    s.queues.delete(id);
    setMembers(s, queue, []);
    for (const call of [...queue.entries]) {
      if (call.phase === 'waiting') leaveQueue(s, call, 'empty', queue.options.empty_to);
      else dropCallback(s, call);
    }
  }
  for (const agent of s.agents.values()) {
    if (!wanted.has(agent.id)) logout(s, agent);
  }
  for (const call of s.calls.values()) delete call.requirement;
  for (const agent of s.agents.values()) wakeAgentQueues(s, agent);
  for (const queue of s.queues.values()) {
    for (const call of queue.entries) {
      wakeCall(s, call);
      // Widening steps and strategy may have changed: wake the caller at the new steps.
      scheduleWidening(s, call);
      if (call.offers.size > 0) scheduleFanout(s, call);
    }
  }
}

function setMembers(s: State, queue: QueueRec, members: QueuePlan['members']): void {
  const before = new Map(queue.members.map((m) => [m.agent.id, m]));
  const next: MemberRec[] = members.map((m, order) => {
    const agent = s.agents.get(m.agentId);
    if (agent === undefined) throw new Error(`unknown agent ${m.agentId}`);
    const existing = before.get(m.agentId);
    if (existing !== undefined) {
      existing.penalty = m.penalty;
      existing.weight = m.weight;
      existing.order = order;
      before.delete(m.agentId);
      return existing;
    }
    const member: MemberRec = { agent, queue, penalty: m.penalty, weight: m.weight, order, calls: 0, talkMs: 0 };
    agent.memberOf.push(member);
    return member;
  });
  for (const gone of before.values()) gone.agent.memberOf = gone.agent.memberOf.filter((m) => m !== gone);
  queue.members = next;
}
