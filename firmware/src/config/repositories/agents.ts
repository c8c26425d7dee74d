import type { Database } from 'better-sqlite3';
import { agentSchema, type Agent } from '../site-schema.ts';
import { readJson } from './json-column.ts';

export interface AgentConfig {
  extension: string;
  agent: Agent;
}

const optionsSchema = agentSchema.omit({ skills: true });

export function listAgents(db: Database): AgentConfig[] {
  const skills = new Map<string, Record<string, number>>();
  for (const s of db.prepare('SELECT * FROM agent_skills ORDER BY extension, skill').all() as { extension: string; skill: string; proficiency: number }[]) {
    const m = skills.get(s.extension) ?? {};
    m[s.skill] = s.proficiency;
    skills.set(s.extension, m);
  }
  const rows = db.prepare('SELECT * FROM agents ORDER BY extension').all() as { extension: string; options: string }[];
  return rows.map((r) => ({
    extension: r.extension,
    agent: { skills: skills.get(r.extension) ?? {}, ...readJson(optionsSchema, r.options, `agent ${r.extension}`) },
  }));
}

export function replaceAgents(db: Database, agents: readonly AgentConfig[]): void {
  db.prepare('DELETE FROM agent_skills').run();
  db.prepare('DELETE FROM agents').run();
  const insertAgent = db.prepare('INSERT INTO agents (extension, options) VALUES (?, ?)');
  const insertSkill = db.prepare('INSERT INTO agent_skills (extension, skill, proficiency) VALUES (?, ?, ?)');
  for (const { extension, agent } of agents) {
    const { skills, ...options } = agent;
    insertAgent.run(extension, JSON.stringify(options));
    for (const [skill, proficiency] of Object.entries(skills)) insertSkill.run(extension, skill, proficiency);
  }
}
