import type { CallRec, MemberRec, QueueRec } from '../state.ts';

export interface StrategyContext {
  now: number;
  queue: QueueRec;
  call: CallRec;
  /** Injected so tests and replays are deterministic. */
  rng: () => number;
}

/**
 * A distribution strategy chooses among members that are available and eligible for the call (the engine
 * has already applied skills, widening and penalty tiers). `fanout` says how many agents may ring for one
 * call at once; `choose` returns up to `want` members, best first.
 */
export interface Strategy {
  fanout(ctx: StrategyContext): number;
  choose(candidates: readonly MemberRec[], want: number, ctx: StrategyContext): MemberRec[];
  /** Called when a member is offered a call, for strategies with memory. */
  offered?(member: MemberRec, ctx: StrategyContext): void;
  /** When `fanout` grows next for this call, so the engine can wake up then. */
  fanoutGrowsAt?(ctx: StrategyContext): number | null;
}

/** The single best candidate by `better(a, b)` (true when a beats b); ties keep the member-list order. */
export function best(candidates: readonly MemberRec[], better: (a: MemberRec, b: MemberRec) => boolean): MemberRec[] {
  let top: MemberRec | undefined;
  for (const m of candidates) {
    if (top === undefined || better(m, top) || (!better(top, m) && m.order < top.order)) top = m;
  }
  return top === undefined ? [] : [top];
}

export const ONE = (): number => 1;
