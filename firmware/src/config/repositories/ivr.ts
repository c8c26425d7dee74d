import type { Database } from 'better-sqlite3';
import { ivrFlowSchema, type IvrFlow } from '../site-schema.ts';
import { readJson } from './json-column.ts';

export function listIvrFlows(db: Database): IvrFlow[] {
  const rows = db.prepare('SELECT * FROM ivr_flows ORDER BY name').all() as { name: string; definition: string }[];
  return rows.map((r) => readJson(ivrFlowSchema, r.definition, `IVR flow ${r.name}`));
}

export function replaceIvrFlows(db: Database, flows: readonly IvrFlow[]): void {
  db.prepare('DELETE FROM ivr_flows').run();
  const insert = db.prepare('INSERT INTO ivr_flows (name, definition) VALUES (?, ?)');
  for (const f of flows) insert.run(f.name, JSON.stringify(f));
}
