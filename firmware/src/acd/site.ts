import type { AcdConfig } from './engine.ts';
import type { SiteQueue } from './queue-options-schema.ts';

/** The part of an extension in the site file that the ACD needs. */
export interface SiteExtension {
  number: string;
  agent?: { skills?: Record<string, number> };
}

/**
 * Builds the engine's configuration from validated site-file sections. Extensions with an `agent` block
 * are agents; a queue member that is not an agent is reported with its path, like every config error.
 */
export function acdConfigFromSite(extensions: readonly SiteExtension[], queues: readonly SiteQueue[]): AcdConfig {
  const agents = extensions.filter((e) => e.agent !== undefined).map((e) => ({ id: e.number, skills: e.agent?.skills ?? {} }));
  const known = new Set(agents.map((a) => a.id));
  const errors: string[] = [];
  const config: AcdConfig = {
    agents,
    queues: queues.map((q, qi) => {
      const { number, name: _name, members, ...options } = q;
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
