import type { Database } from 'better-sqlite3';
import type { AcdEvent } from '../../acd/index.ts';

export interface QueueEventRow {
  id: number;
  at: string;
  type: string;
  queue: string | null;
  callId: string | null;
  interactionId: string | null;
  agent: string | null;
  /** The event's other fields (waitMs, reason, position, ...). */
  data: Record<string, unknown>;
}

/** Appends the distributor's events to the queue log, in one transaction. */
export function insertQueueEvents(db: Database, events: readonly AcdEvent[]): void {
  if (events.length === 0) return;
  const insert = db.prepare('INSERT INTO queue_events (at, type, queue, call_id, interaction_id, agent, data) VALUES (?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const e of events) {
      const { at, type, ...rest } = e;
      const f = e as Partial<Record<'queue' | 'callId' | 'interactionId' | 'agentId', string>>;
      insert.run(new Date(at).toISOString(), type, f.queue ?? null, f.callId ?? null, f.interactionId ?? null, f.agentId ?? null, JSON.stringify(rest));
    }
  })();
}

interface Row {
  id: number;
  at: string;
  type: string;
  queue: string | null;
  call_id: string | null;
  interaction_id: string | null;
  agent: string | null;
  data: string;
}

/** Events at or after `since` (ISO time), oldest first; optionally of one interaction or some types only. */
export function listQueueEvents(db: Database, o: { since?: string; interactionId?: string; types?: readonly string[] } = {}): QueueEventRow[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (o.since !== undefined) {
    where.push('at >= ?');
    args.push(o.since);
  }
  if (o.interactionId !== undefined) {
    where.push('interaction_id = ?');
    args.push(o.interactionId);
  }
  if (o.types !== undefined) {
    where.push(`type IN (${o.types.map(() => '?').join(', ')})`);
    args.push(...o.types);
  }
  const rows = db.prepare(`SELECT * FROM queue_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`).all(...args) as Row[];
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    type: r.type,
    queue: r.queue,
    callId: r.call_id,
    interactionId: r.interaction_id,
    agent: r.agent,
    data: JSON.parse(r.data) as Record<string, unknown>,
  }));
}
