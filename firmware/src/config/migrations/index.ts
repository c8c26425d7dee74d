import type { Database } from 'better-sqlite3';
import type { Migration } from './types.ts';
import { migration as m001 } from './001-base.ts';
import { migration as m002 } from './002-pause-reasons-cdrs.ts';
import { migration as m003 } from './003-registrations.ts';
import { migration as m004 } from './004-web.ts';
import { migration as m005 } from './005-queue-member-weight.ts';
import { migration as m006 } from './006-call-legs.ts';
import { migration as m007 } from './007-queue-events.ts';

// Static imports (not a directory scan) so the bundled single-file firmware carries every migration.
export const migrations: readonly Migration[] = [m001, m002, m003, m004, m005, m006, m007];

/** The schema version this firmware writes; a file above it comes from a newer firmware. */
export const SCHEMA_VERSION = migrations.length;

/**
 * Brings the schema from its `user_version` up to `target`, one transaction per version, so a power cut
 * leaves the file at some whole version and the next start resumes from there.
 */
export function migrate(db: Database, target = SCHEMA_VERSION): number[] {
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version > target) break;
    const step = db.transaction(() => {
      const current = db.pragma('user_version', { simple: true }) as number;
      if (current >= m.version) return false;
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
      return true;
    });
    if (step.immediate()) applied.push(m.version);
  }
  return applied;
}
