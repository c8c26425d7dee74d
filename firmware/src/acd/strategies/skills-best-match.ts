import { matchScore } from '../skills.ts';
import { best, ONE } from './strategy.ts';
import type { Strategy } from './strategy.ts';

/** The agent with the highest proficiency in the skills the call asks for; ties go to the longest idle. */
export const skillsBestMatch: Strategy = {
  fanout: ONE,
  choose(candidates, _want, ctx) {
    return best(candidates, (a, b) => {
      const sa = matchScore(a, ctx.call);
      const sb = matchScore(b, ctx.call);
      return sa > sb || (sa === sb && a.agent.idleSince < b.agent.idleSince);
    });
  },
};
