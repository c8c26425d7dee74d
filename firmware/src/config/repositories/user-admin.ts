import type { Database } from 'better-sqlite3';

/** Removes a user (the web UI's delete; site files only add and update users). Sessions and TOTP go with it. */
export function deleteUser(db: Database, username: string): boolean {
  return db.prepare('DELETE FROM users WHERE username = ?').run(username).changes === 1;
}

/** Keeps exactly these users (a restore brings back the backup's accounts, no others). */
export function deleteUsersExcept(db: Database, usernames: readonly string[]): number {
  return db.prepare('DELETE FROM users WHERE username NOT IN (SELECT value FROM json_each(?))').run(JSON.stringify(usernames)).changes;
}
