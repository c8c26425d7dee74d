import type { Database } from 'better-sqlite3';

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  detail: unknown;
}

/** Appends one entry; the table refuses updates and deletes (triggers), so history cannot be rewritten. */
export function appendAudit(db: Database, entry: { actor: string; action: string; target?: string; detail?: unknown }, at = new Date()): number {
  const r = db
    .prepare('INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)')
    .run(at.toISOString(), entry.actor, entry.action, entry.target ?? null, entry.detail === undefined ? null : JSON.stringify(entry.detail));
  return Number(r.lastInsertRowid);
}

/** Newest first. */
export function listAudit(db: Database, limit = 100, beforeId = Number.MAX_SAFE_INTEGER): AuditEntry[] {
  const rows = db.prepare('SELECT * FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?').all(beforeId, limit) as (Omit<AuditEntry, 'detail'> & { detail: string | null })[];
  return rows.map((r) => ({ ...r, detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown) }));
}
