export { agentsFor, averageSpeedOfAnswer, erlangB, erlangC, occupancy, serviceLevel, trafficOf } from './erlang-c.ts';
export type { ErlangInput } from './erlang-c.ts';
export { KpiCollector } from './kpis.ts';
export type { AgentInterval, KpiOptions, QueueInterval } from './kpis.ts';
