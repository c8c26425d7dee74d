import { best, ONE } from './strategy.ts';
import type { Strategy } from './strategy.ts';

/** The member who answered the fewest calls from this queue. */
export const fewestCalls: Strategy = {
  fanout: ONE,
  choose: (candidates) => best(candidates, (a, b) => a.calls < b.calls),
};
