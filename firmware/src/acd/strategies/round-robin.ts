import { ONE } from './strategy.ts';
import type { Strategy } from './strategy.ts';

/** The next member after the one offered last, in member-list order, wrapping around (rrmemory). */
export const roundRobin: Strategy = {
  fanout: ONE,
  choose(candidates, _want, ctx) {
    const last = ctx.queue.rrLast;
    let after: (typeof candidates)[number] | undefined;
    let first: (typeof candidates)[number] | undefined;
    for (const m of candidates) {
      if (m.order > last && (after === undefined || m.order < after.order)) after = m;
      if (first === undefined || m.order < first.order) first = m;
    }
    const pick = after ?? first;
    return pick === undefined ? [] : [pick];
  },
  offered(member, ctx) {
    ctx.queue.rrLast = member.order;
  },
};
