import type { Database } from 'better-sqlite3';
import { getRevision } from './repositories/settings.ts';

/** The configuration revision in force: 0 until the first site file (or UI change) was applied. */
export function currentRevision(db: Database): number {
  return getRevision(db);
}
