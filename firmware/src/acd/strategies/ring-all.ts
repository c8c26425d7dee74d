import type { Strategy } from './strategy.ts';

/** Every eligible agent rings at once; the first to answer takes the call. */
export const ringAll: Strategy = {
  fanout: () => Number.POSITIVE_INFINITY,
  choose: (candidates, want) => candidates.slice(0, want),
};
