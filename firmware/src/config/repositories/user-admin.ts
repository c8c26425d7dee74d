import type { Database } from 'better-sqlite3';
import { bumpRevision } from './settings.ts';

/**
 * Removes a user (the web UI's delete; site files only add and update users). Sessions and TOTP go with it.
 * Users are part of the site file, so the removal is a new configuration revision like any other change.
 */
export function deleteUser(db: Database, username: string): boolean {
  return db.transaction(() => {
    const gone = db.prepare('DELETE FROM users WHERE username = ?').run(username).changes === 1;
    if (gone) bumpRevision(db);
    return gone;
  })();
}

/** Keeps exactly these users (a restore brings back the backup's accounts, no others). */
export function deleteUsersExcept(db: Database, usernames: readonly string[]): number {
  return db.transaction(() => {
    const removed = db.prepare('DELETE FROM users WHERE username NOT IN (SELECT value FROM json_each(?))').run(JSON.stringify(usernames)).changes;
    if (removed > 0) bumpRevision(db);
    return removed;
  })();
}
