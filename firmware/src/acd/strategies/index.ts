import type { StrategyName } from '../queue-options-schema.ts';
import { fewestCalls } from './fewest-calls.ts';
import { leastTalkTime } from './least-talk-time.ts';
import { linear } from './linear.ts';
import { longestIdle } from './longest-idle.ts';
import { random } from './random.ts';
import { ringAll } from './ring-all.ts';
import { ringProgressively } from './ring-progressively.ts';
import { roundRobin } from './round-robin.ts';
import { skillsBestMatch } from './skills-best-match.ts';
import type { Strategy } from './strategy.ts';
import { weightedRandom } from './weighted-random.ts';

export type { Strategy, StrategyContext } from './strategy.ts';

export const strategies: Readonly<Record<StrategyName, Strategy>> = {
  'ring-all': ringAll,
  'longest-idle': longestIdle,
  'round-robin': roundRobin,
  'fewest-calls': fewestCalls,
  'least-talk-time': leastTalkTime,
  linear,
  random,
  'weighted-random': weightedRandom,
  'ring-progressively': ringProgressively,
  skills: skillsBestMatch,
};
