import type { Database } from 'better-sqlite3';

export interface UserTotp {
  secret: string;
  enabled: boolean;
  /** The last 30 s step accepted, so one code cannot be used twice. */
  lastStep: number;
}

export function getUserTotp(db: Database, username: string): UserTotp | undefined {
  const r = db.prepare('SELECT secret, enabled, last_step FROM user_totp WHERE username = ?').get(username) as
    | { secret: string; enabled: number; last_step: number }
    | undefined;
  return r === undefined ? undefined : { secret: r.secret, enabled: r.enabled === 1, lastStep: r.last_step };
}

/** A new secret, not enabled until the user proves they can read codes from it. */
export function setPendingTotp(db: Database, username: string, secret: string): void {
  db.prepare(
    `INSERT INTO user_totp (username, secret, enabled, last_step) VALUES (?, ?, 0, 0)
     ON CONFLICT (username) DO UPDATE SET secret = excluded.secret, enabled = 0, last_step = 0`,
  ).run(username, secret);
}

export function enableTotp(db: Database, username: string, step: number): void {
  db.prepare('UPDATE user_totp SET enabled = 1, last_step = ? WHERE username = ?').run(step, username);
}

export function recordTotpStep(db: Database, username: string, step: number): void {
  db.prepare('UPDATE user_totp SET last_step = ? WHERE username = ?').run(step, username);
}

export function removeTotp(db: Database, username: string): void {
  db.prepare('DELETE FROM user_totp WHERE username = ?').run(username);
}

export function listTotp(db: Database): (UserTotp & { username: string })[] {
  return (db.prepare('SELECT * FROM user_totp ORDER BY username').all() as { username: string; secret: string; enabled: number; last_step: number }[]).map((r) => ({
    username: r.username,
    secret: r.secret,
    enabled: r.enabled === 1,
    lastStep: r.last_step,
  }));
}

export function replaceTotp(db: Database, rows: readonly (UserTotp & { username: string })[]): void {
  db.prepare('DELETE FROM user_totp').run();
  const ins = db.prepare('INSERT INTO user_totp (username, secret, enabled, last_step) VALUES (?, ?, ?, ?)');
  for (const r of rows) ins.run(r.username, r.secret, r.enabled ? 1 : 0, r.lastStep);
}
