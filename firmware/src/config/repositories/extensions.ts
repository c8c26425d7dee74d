import type { Database } from 'better-sqlite3';
import { extensionSchema, type Extension } from '../site-schema.ts';
import { readJson } from './json-column.ts';
import { listAgents, replaceAgents } from './agents.ts';

/** An extension as stored: the password is always set (generated when the site file had none). */
export type ExtensionConfig = Extension & { password: string };

const optionsSchema = extensionSchema.omit({ number: true, name: true, password: true, agent: true });

interface Row {
  number: string;
  name: string;
  password: string;
  options: string;
}

export function listExtensions(db: Database): ExtensionConfig[] {
  const agents = new Map(listAgents(db).map((a) => [a.extension, a.agent]));
  const rows = db.prepare('SELECT * FROM extensions ORDER BY number').all() as Row[];
  return rows.map((r) => {
    const agent = agents.get(r.number);
    return {
      number: r.number,
      name: r.name,
      password: r.password,
      ...readJson(optionsSchema, r.options, `extension ${r.number}`),
      ...(agent === undefined ? {} : { agent }),
    };
  });
}

/** Number -> SIP password, without reading the options (so it works even when a row's options are damaged). */
export function extensionPasswords(db: Database): Map<string, string> {
  const rows = db.prepare('SELECT number, password FROM extensions').all() as { number: string; password: string }[];
  return new Map(rows.map((r) => [r.number, r.password]));
}

export function getExtension(db: Database, number: string): ExtensionConfig | undefined {
  return listExtensions(db).find((e) => e.number === number);
}

/** Replaces every extension (and its agent part); call inside a transaction with deferred foreign keys. */
export function replaceExtensions(db: Database, extensions: readonly ExtensionConfig[]): void {
  db.prepare('DELETE FROM extensions').run();
  const insert = db.prepare('INSERT INTO extensions (number, name, password, options) VALUES (?, ?, ?, ?)');
  for (const e of extensions) {
    const { number, name, password, agent: _agent, ...options } = e;
    insert.run(number, name, password, JSON.stringify(options));
  }
  replaceAgents(
    db,
    extensions.flatMap((e) => (e.agent === undefined ? [] : [{ extension: e.number, agent: e.agent }])),
  );
}
