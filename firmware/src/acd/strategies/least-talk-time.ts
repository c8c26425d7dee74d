import { best, ONE } from './strategy.ts';
import type { Strategy } from './strategy.ts';

/** The agent with the least talk time so far, over all queues (talk time is the agent's, not the queue's). */
export const leastTalkTime: Strategy = {
  fanout: ONE,
  choose: (candidates) => best(candidates, (a, b) => a.agent.talkMs < b.agent.talkMs),
};
