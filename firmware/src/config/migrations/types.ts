import type { Database } from 'better-sqlite3';

/** One schema step. `up` runs inside a transaction opened by the runner; it must not open its own. */
export interface Migration {
  version: number;
  description: string;
  up(db: Database): void;
}
