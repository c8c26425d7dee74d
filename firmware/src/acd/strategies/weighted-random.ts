import { ONE } from './strategy.ts';
import type { Strategy } from './strategy.ts';

/** Random, with each member's chance proportional to its `weight`. */
export const weightedRandom: Strategy = {
  fanout: ONE,
  choose(candidates, _want, ctx) {
    let total = 0;
    for (const m of candidates) total += m.weight;
    let r = ctx.rng() * total;
    for (const m of candidates) {
      r -= m.weight;
      if (r < 0) return [m];
    }
    const last = candidates[candidates.length - 1];
    return last === undefined ? [] : [last];
  },
};
