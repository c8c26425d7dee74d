import type { Database } from 'better-sqlite3';
import type { Phone } from '../site-schema.ts';

export function listPhones(db: Database): Phone[] {
  const rows = db.prepare('SELECT * FROM phones ORDER BY mac').all() as { mac: string; vendor: Phone['vendor']; model: string | null; extension: string }[];
  return rows.map((r) => ({ mac: r.mac, vendor: r.vendor, ...(r.model === null ? {} : { model: r.model }), extension: r.extension }));
}

export function replacePhones(db: Database, phones: readonly Phone[]): void {
  db.prepare('DELETE FROM phones').run();
  const insert = db.prepare('INSERT INTO phones (mac, vendor, model, extension) VALUES (?, ?, ?, ?)');
  for (const p of phones) insert.run(p.mac, p.vendor, p.model ?? null, p.extension);
}
