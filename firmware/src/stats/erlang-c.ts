/**
 * Erlang C: the textbook model of a call-center queue (Poisson arrivals, exponential handle times,
 * callers wait and do not abandon). Used for staffing forecasts next to the measured KPIs.
 * `trafficErlangs` is arrivals per second times average handle time in seconds.
 */

/** Erlang B blocking probability, by the stable recurrence B(n) = A·B(n−1) / (n + A·B(n−1)). */
export function erlangB(agents: number, trafficErlangs: number): number {
  let b = 1;
  for (let n = 1; n <= agents; n++) b = (trafficErlangs * b) / (n + trafficErlangs * b);
  return b;
}

/** Probability that a caller has to wait at all. 1 when the agents cannot keep up (A >= N). */
export function erlangC(agents: number, trafficErlangs: number): number {
  if (agents <= 0 || trafficErlangs >= agents) return 1;
  if (trafficErlangs <= 0) return 0;
  const b = erlangB(agents, trafficErlangs);
  return (agents * b) / (agents - trafficErlangs * (1 - b));
}

export interface ErlangInput {
  agents: number;
  /** Calls per hour. */
  callsPerHour: number;
  /** Average handle time (talk + wrap-up), seconds. */
  ahtS: number;
}

export function trafficOf(input: ErlangInput): number {
  return (input.callsPerHour / 3600) * input.ahtS;
}

/** Share of callers answered within `targetS` seconds. */
export function serviceLevel(input: ErlangInput, targetS: number): number {
  const a = trafficOf(input);
  if (input.agents <= a) return 0;
  const c = erlangC(input.agents, a);
  return 1 - c * Math.exp((-(input.agents - a) * targetS) / input.ahtS);
}

/** Average speed of answer over all callers, seconds. Infinite when the agents cannot keep up. */
export function averageSpeedOfAnswer(input: ErlangInput): number {
  const a = trafficOf(input);
  if (input.agents <= a) return Number.POSITIVE_INFINITY;
  return (erlangC(input.agents, a) * input.ahtS) / (input.agents - a);
}

export function occupancy(input: ErlangInput): number {
  return Math.min(1, trafficOf(input) / input.agents);
}

/** Fewest agents reaching `targetShare` answered within `targetS` (e.g. 80 % in 20 s). */
export function agentsFor(callsPerHour: number, ahtS: number, targetS: number, targetShare: number, maxAgents = 10_000): number | null {
  const a = (callsPerHour / 3600) * ahtS;
  for (let n = Math.max(1, Math.floor(a) + 1); n <= maxAgents; n++) {
    if (serviceLevel({ agents: n, callsPerHour, ahtS }, targetS) >= targetShare) return n;
  }
  return null;
}
