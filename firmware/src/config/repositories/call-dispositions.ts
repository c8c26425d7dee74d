import type { Database } from 'better-sqlite3';

export interface CallDisposition {
  id: number;
  interactionId: string;
  extension: string;
  code: string;
  note: string;
  at: string;
  actor: string;
}

export function addDisposition(db: Database, d: Omit<CallDisposition, 'id'>): number {
  return Number(
    db
      .prepare('INSERT INTO call_dispositions (interaction_id, extension, code, note, at, actor) VALUES (?, ?, ?, ?, ?, ?)')
      .run(d.interactionId, d.extension, d.code, d.note, d.at, d.actor).lastInsertRowid,
  );
}

export function listDispositions(db: Database, interactionIds: readonly string[]): CallDisposition[] {
  if (interactionIds.length === 0) return [];
  const rows = db
    .prepare(`SELECT id, interaction_id, extension, code, note, at, actor FROM call_dispositions WHERE interaction_id IN (${interactionIds.map(() => '?').join(',')}) ORDER BY id`)
    .all(...interactionIds) as { id: number; interaction_id: string; extension: string; code: string; note: string; at: string; actor: string }[];
  return rows.map((r) => ({ id: r.id, interactionId: r.interaction_id, extension: r.extension, code: r.code, note: r.note, at: r.at, actor: r.actor }));
}
