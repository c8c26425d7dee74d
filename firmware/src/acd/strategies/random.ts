import { ONE } from './strategy.ts';
import type { Strategy } from './strategy.ts';

/** Uniformly random among the candidates. */
export const random: Strategy = {
  fanout: ONE,
  choose(candidates, _want, ctx) {
    if (candidates.length === 0) return [];
    const i = Math.min(candidates.length - 1, Math.floor(ctx.rng() * candidates.length));
    return [candidates[i] as (typeof candidates)[number]];
  },
};
