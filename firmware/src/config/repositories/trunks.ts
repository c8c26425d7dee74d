import type { Database } from 'better-sqlite3';
import { trunkSchema, type Trunk } from '../site-schema.ts';
import { readJson } from './json-column.ts';

const optionsSchema = trunkSchema.omit({ name: true, host: true, port: true, transport: true });

export function listTrunks(db: Database): Trunk[] {
  const rows = db.prepare('SELECT * FROM trunks ORDER BY name').all() as { name: string; host: string; port: number; transport: Trunk['transport']; options: string }[];
  return rows.map((r) => ({ name: r.name, host: r.host, port: r.port, transport: r.transport, ...readJson(optionsSchema, r.options, `trunk ${r.name}`) }));
}

export function replaceTrunks(db: Database, trunks: readonly Trunk[]): void {
  db.prepare('DELETE FROM trunks').run();
  const insert = db.prepare('INSERT INTO trunks (name, host, port, transport, options) VALUES (?, ?, ?, ?, ?)');
  for (const t of trunks) {
    const { name, host, port, transport, ...options } = t;
    insert.run(name, host, port, transport, JSON.stringify(options));
  }
}
