import type { Database } from 'better-sqlite3';
import { acdConfigFromSite, type AcdConfig, type SiteQueue } from '../acd/index.ts';
import { listAgents } from '../config/repositories/agents.ts';
import { listExtensions } from '../config/repositories/extensions.ts';
import { listQueues, type QueueConfig } from '../config/repositories/queues.ts';

/** What the adapter reads from the store: the distributor's configuration and what only the calls need. */
export interface QueueSite {
  acd: AcdConfig;
  queues: ReadonlyMap<string, QueueConfig>;
  /** Extension number -> name, for the console's agent list. */
  extensionNames: ReadonlyMap<string, string>;
}

export function readQueueSite(db: Database): QueueSite {
  const queues = listQueues(db);
  const agents = listAgents(db).map((a) => ({ number: a.extension, agent: { skills: a.agent.skills } }));
  // The stored queue carries the site file's fields, members already in their object form.
  const acd = acdConfigFromSite(agents, queues as unknown as (SiteQueue & Record<string, unknown>)[]);
  return { acd, queues: new Map(queues.map((q) => [q.number, q])), extensionNames: new Map(listExtensions(db).map((e) => [e.number, e.name])) };
}
