export { Acd } from './engine.ts';
export type { AcdAgentConfig, AcdConfig, AcdDeps, AcdQueueConfig, AgentView, EntryView, QueueView } from './engine.ts';
export type { Estimate } from './estimates.ts';
export * from './queue-options-schema.ts';
export * from './types.ts';
