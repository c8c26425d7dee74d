import { best, ONE } from './strategy.ts';
import type { Strategy } from './strategy.ts';

/** The agent who finished their last call longest ago (or logged in longest ago, if no call yet). */
export const longestIdle: Strategy = {
  fanout: ONE,
  choose: (candidates) => best(candidates, (a, b) => a.agent.idleSince < b.agent.idleSince),
};
