import { isAvailable } from './agent-state.ts';
import { placeCallback } from './callbacks.ts';
import { offerCall } from './offers.ts';
import { at, wakeCall } from './out.ts';
import { priorityCapReached, recordDecision } from './queue.ts';
import { meets, requirementAt } from './skills.ts';
import type { CallRec, MemberRec, QueueRec, State, Wake } from './state.ts';
import { strategies } from './strategies/index.ts';
import type { Strategy, StrategyContext } from './strategies/index.ts';

/**
 * Routing: hand available agents to waiting callers in queue order. A caller is skipped (keeping its
 * place) only when no available agent meets its requirement, so within a priority class no caller is
 * served before an earlier one that the same agent could serve.
 */
export function dispatch(s: State): void {
  while (s.dirty.size > 0) {
    const batch = [...s.dirty];
    s.dirty.clear();
    if (batch.length > 1) batch.sort(queueOrder);
    for (const queue of batch) {
      // Wakes raised while this queue routes go to the fresh buffer and bring it back into `dirty`.
      const wake = queue.wake;
      queue.wake = queue.spareWake;
      queue.spareWake = wake;
      routeQueue(s, queue, wake);
      wake.members.length = 0;
      wake.calls.clear();
    }
  }
}

/** Agents in several queues serve higher-weight queues first, then the queue whose head waits longest. */
function queueOrder(a: QueueRec, b: QueueRec): number {
  if (a.options.weight !== b.options.weight) return b.options.weight - a.options.weight;
  const ha = a.entries[0];
  const hb = b.entries[0];
  if (ha === undefined || hb === undefined) return ha === undefined ? 1 : -1;
  if (ha.priority !== hb.priority) return hb.priority - ha.priority;
  return ha.enteredAt - hb.enteredAt;
}

/** How many more agents the call may ring now (0 when it cannot take an offer). */
function wants(call: CallRec, strategy: Strategy, ctx: StrategyContext): number {
  if (call.phase === 'callback') return call.callback !== undefined && call.callback.notBefore <= ctx.now ? 1 : 0;
  if (call.phase !== 'waiting') return 0;
  ctx.call = call;
  return strategy.fanout(ctx) - call.offers.size;
}

/**
 * Available members meeting the call's current requirement, restricted to the lowest penalty among them.
 * Agents that already let this call ring out come last: they are offered it again only when nobody else can.
 */
function eligible(available: readonly MemberRec[], call: CallRec, now: number): MemberRec[] {
  const found = lowestPenalty(available, call, now, true);
  return found.length > 0 || call.tried.size === 0 ? found : lowestPenalty(available, call, now, false);
}

function lowestPenalty(available: readonly MemberRec[], call: CallRec, now: number, skipTried: boolean): MemberRec[] {
  const req = requirementAt(call, now);
  let out: MemberRec[] = [];
  let lowest = Number.POSITIVE_INFINITY;
  for (const m of available) {
    if (!meets(m, req) || (skipTried && call.tried.has(m.agent))) continue;
    if (m.penalty < lowest) {
      lowest = m.penalty;
      out = [m];
    } else if (m.penalty === lowest) {
      out.push(m);
    }
  }
  return out;
}

/**
 * The queue was settled before `wake`: a caller can only be servable now if it is one of the woken callers
 * or one of the woken members can serve it. Those are the only ones examined in full.
 */
function mayBeServable(call: CallRec, wake: Wake, now: number): boolean {
  if (wake.calls.has(call)) return true;
  if (wake.members.length === 0) return false;
  const req = requirementAt(call, now);
  for (const m of wake.members) if (isAvailable(m.agent, now) && meets(m, req)) return true;
  return false;
}

function routeQueue(s: State, queue: QueueRec, wake: Wake): void {
  const now = s.now;
  if (queue.entries.length === 0) return;
  if (wake.calls.size === 0 && !wake.members.some((m) => isAvailable(m.agent, now))) return;
  const available: MemberRec[] = [];
  for (const m of queue.members) if (isAvailable(m.agent, now)) available.push(m);
  if (available.length === 0) return;
  const strategy = strategies[queue.options.strategy];
  const ctx: StrategyContext = { now, queue, call: queue.entries[0] as CallRec, rng: s.rng };
  while (available.length > 0) {
    // Once the woken members are taken and no caller was woken, the rest of the queue is still settled.
    if (wake.calls.size === 0 && !wake.members.some((m) => isAvailable(m.agent, now))) return;
    const capped = priorityCapReached(queue);
    let chosen: CallRec | undefined;
    let chosenFrom: MemberRec[] = [];
    let want = 0;
    let deferred: CallRec | undefined;
    let deferredFrom: MemberRec[] = [];
    let deferredWant = 0;
    for (const call of queue.entries) {
      const n = wants(call, strategy, ctx);
      if (n <= 0 || !mayBeServable(call, wake, now)) continue;
      const from = eligible(available, call, now);
      if (from.length === 0) continue;
      if (capped && call.priority > 0) {
        if (deferred === undefined) {
          deferred = call;
          deferredFrom = from;
          deferredWant = n;
        }
        continue;
      }
      chosen = call;
      chosenFrom = from;
      want = n;
      break;
    }
    if (chosen === undefined) {
      chosen = deferred;
      chosenFrom = deferredFrom;
      want = deferredWant;
    }
    if (chosen === undefined) return;
    ctx.call = chosen;
    const picked = strategy.choose(chosenFrom, want, ctx);
    if (picked.length === 0) return;
    if (chosen.offers.size === 0) recordDecision(queue, chosen);
    for (const m of picked) {
      if (chosen.phase === 'callback') placeCallback(s, chosen, m);
      else offerCall(s, chosen, m);
      strategy.offered?.(m, ctx);
      available.splice(available.indexOf(m), 1);
    }
    scheduleFanout(s, chosen);
  }
}

/** Ring-progressively rings more agents over time: wake the caller when its fanout grows. */
export function scheduleFanout(s: State, call: CallRec): void {
  const strategy = strategies[call.queue.options.strategy];
  const grows = strategy.fanoutGrowsAt?.({ now: s.now, queue: call.queue, call, rng: s.rng });
  if (grows === undefined || grows === null) return;
  at(s, grows, () => {
    if (call.phase === 'waiting') wakeCall(s, call);
  });
}

/** Callers of the queue that wait although an available member could take them (none once routing ran). */
export function unserved(queue: QueueRec, now: number): CallRec[] {
  const available = queue.members.filter((m) => isAvailable(m.agent, now));
  const ctx: StrategyContext = { now, queue, call: queue.entries[0] as CallRec, rng: () => 0 };
  const strategy = strategies[queue.options.strategy];
  return queue.entries.filter((call) => wants(call, strategy, ctx) > 0 && eligible(available, call, now).length > 0);
}
