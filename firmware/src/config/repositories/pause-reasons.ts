import type { Database } from 'better-sqlite3';
import type { PauseReason } from '../site-schema.ts';

export function listPauseReasons(db: Database): PauseReason[] {
  const rows = db.prepare('SELECT code, name, paid FROM pause_reasons ORDER BY position').all() as { code: string; name: string; paid: number }[];
  return rows.map((r) => ({ code: r.code, name: r.name, paid: r.paid === 1 }));
}

export function replacePauseReasons(db: Database, reasons: readonly PauseReason[]): void {
  db.prepare('DELETE FROM pause_reasons').run();
  const insert = db.prepare('INSERT INTO pause_reasons (code, name, paid, position) VALUES (?, ?, ?, ?)');
  reasons.forEach((r, i) => insert.run(r.code, r.name, r.paid ? 1 : 0, i));
}
