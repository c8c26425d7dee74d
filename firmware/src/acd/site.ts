import type { AcdConfig } from './engine.ts';
import { queueOptionsObject, type SiteQueue } from './queue-options-schema.ts';

/** The part of an extension in the site file that the ACD needs. */
export interface SiteExtension {
  number: string;
  agent?: { skills?: Record<string, number> };
}

/**
 * Builds the engine's configuration from validated site-file sections. Extensions with an `agent` block
 * are agents; a queue member that is not an agent is reported with its path, like every config error.
 */
export function acdConfigFromSite(extensions: readonly SiteExtension[], queues: readonly (SiteQueue & Record<string, unknown>)[]): AcdConfig {
  const agents = extensions.filter((e) => e.agent !== undefined).map((e) => ({ id: e.number, skills: e.agent?.skills ?? {} }));
  const known = new Set(agents.map((a) => a.id));
  const errors: string[] = [];
  const config: AcdConfig = {
    agents,
    queues: queues.map((q, qi) => {
      const { number, members } = q;
      // The site file's queue also holds what only the call adapters use (announcements, music, service level):
      // the distributor takes its own options and nothing else.
      const options = Object.fromEntries(Object.keys(queueOptionsObject.shape).filter((k) => k in q).map((k) => [k, q[k]]));
      return {
        id: number,
        options,
        members: members.map((m, mi) => {
          const member = typeof m === 'string' ? { agentId: m, penalty: 0, weight: 1 } : { agentId: m.extension, penalty: m.penalty, weight: m.weight };
          if (!known.has(member.agentId)) errors.push(`queues.${qi}.members.${mi}: extension ${member.agentId} has no agent block`);
          return member;
        }),
      };
    }),
  };
  if (errors.length > 0) throw new Error(errors.join('\n'));
  return config;
}
