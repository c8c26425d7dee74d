import type { Database } from 'better-sqlite3';
import { queueObject, type Queue } from '../site-schema.ts';
import { readJson } from './json-column.ts';

export interface QueueMemberConfig {
  extension: string;
  penalty: number;
  weight: number;
}

/** A queue as the ACD reads it: members in their configured order, each with its penalty. */
export type QueueConfig = Omit<Queue, 'members'> & { members: QueueMemberConfig[] };

const optionsSchema = queueObject.omit({ number: true, name: true, strategy: true, members: true });

interface Row {
  number: string;
  name: string;
  strategy: Queue['strategy'];
  options: string;
}

export function listQueues(db: Database): QueueConfig[] {
  const members = new Map<string, QueueMemberConfig[]>();
  for (const m of db.prepare('SELECT * FROM queue_members ORDER BY queue, position').all() as { queue: string; extension: string; penalty: number; weight: number }[]) {
    const list = members.get(m.queue) ?? [];
    list.push({ extension: m.extension, penalty: m.penalty, weight: m.weight });
    members.set(m.queue, list);
  }
  const rows = db.prepare('SELECT * FROM queues ORDER BY number').all() as Row[];
  return rows.map((r) => ({
    number: r.number,
    name: r.name,
    strategy: r.strategy,
    members: members.get(r.number) ?? [],
    ...readJson(optionsSchema, r.options, `queue ${r.number}`),
  }));
}

export function replaceQueues(db: Database, queues: readonly Queue[]): void {
  db.prepare('DELETE FROM queue_members').run();
  db.prepare('DELETE FROM queues').run();
  const insert = db.prepare('INSERT INTO queues (number, name, strategy, options) VALUES (?, ?, ?, ?)');
  const insertMember = db.prepare('INSERT INTO queue_members (queue, extension, penalty, weight, position) VALUES (?, ?, ?, ?, ?)');
  for (const q of queues) {
    const { number, name, strategy, members, ...options } = q;
    insert.run(number, name, strategy, JSON.stringify(options));
    members.forEach((m, i) => {
      const member = typeof m === 'string' ? { extension: m, penalty: 0, weight: 1 } : m;
      insertMember.run(number, member.extension, member.penalty, member.weight, i);
    });
  }
}
