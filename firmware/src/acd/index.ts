export { Acd } from './engine.ts';
export type { AcdAgentConfig, AcdConfig, AcdDeps, AcdQueueConfig, AgentView, EntryView, QueueView } from './engine.ts';
export type { Estimate } from './estimates.ts';
export * from './queue-options-schema.ts';
export * from './types.ts';
export { acdConfigFromSite } from './site.ts';
export type { SiteExtension } from './site.ts';
