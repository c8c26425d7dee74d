import type { Database } from 'better-sqlite3';

export type SessionStage = 'totp' | 'ok';

export interface WebSession {
  tokenHash: string;
  username: string;
  csrfToken: string;
  /** `totp`: the password was right, the second factor is still owed; `ok`: fully signed in. */
  stage: SessionStage;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  address: string | null;
}

interface Row {
  token_hash: string;
  username: string;
  csrf_token: string;
  stage: SessionStage;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  address: string | null;
}

const fromRow = (r: Row): WebSession => ({
  tokenHash: r.token_hash,
  username: r.username,
  csrfToken: r.csrf_token,
  stage: r.stage,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  expiresAt: r.expires_at,
  address: r.address,
});

export function insertSession(db: Database, s: WebSession): void {
  db.prepare(
    `INSERT INTO web_sessions (token_hash, username, csrf_token, stage, created_at, last_seen_at, expires_at, address)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(s.tokenHash, s.username, s.csrfToken, s.stage, s.createdAt, s.lastSeenAt, s.expiresAt, s.address);
}

export function getSession(db: Database, tokenHash: string): WebSession | undefined {
  const r = db.prepare('SELECT * FROM web_sessions WHERE token_hash = ?').get(tokenHash) as Row | undefined;
  return r === undefined ? undefined : fromRow(r);
}

export function touchSession(db: Database, tokenHash: string, lastSeenAt: string, expiresAt: string): void {
  db.prepare('UPDATE web_sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?').run(lastSeenAt, expiresAt, tokenHash);
}

export function setSessionStage(db: Database, tokenHash: string, stage: SessionStage): void {
  db.prepare('UPDATE web_sessions SET stage = ? WHERE token_hash = ?').run(stage, tokenHash);
}

export function deleteSession(db: Database, tokenHash: string): void {
  db.prepare('DELETE FROM web_sessions WHERE token_hash = ?').run(tokenHash);
}

/** Signs a user out everywhere except, optionally, the session that asked (after a password change). */
export function deleteUserSessions(db: Database, username: string, keepTokenHash?: string): void {
  db.prepare('DELETE FROM web_sessions WHERE username = ? AND token_hash IS NOT ?').run(username, keepTokenHash ?? null);
}

export function deleteExpiredSessions(db: Database, now: string): number {
  return db.prepare('DELETE FROM web_sessions WHERE expires_at <= ?').run(now).changes;
}
