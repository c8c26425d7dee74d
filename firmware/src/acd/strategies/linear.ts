import { best, ONE } from './strategy.ts';
import type { Strategy } from './strategy.ts';

/** Top-down: always the first available member in member-list order. */
export const linear: Strategy = {
  fanout: ONE,
  choose: (candidates) => best(candidates, () => false),
};
