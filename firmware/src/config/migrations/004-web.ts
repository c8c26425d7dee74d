import type { Migration } from './types.ts';

/**
 * What the web console keeps: login sessions (only a hash of the token, so a copied database opens no session),
 * TOTP second factors, console settings, and the disposition and note an agent gives a call at wrap-up.
 */
const sql = `
CREATE TABLE web_sessions (
  token_hash TEXT PRIMARY KEY,
  username TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  stage TEXT NOT NULL CHECK (stage IN ('totp', 'ok')),
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  address TEXT
);
CREATE INDEX web_sessions_username ON web_sessions (username);

CREATE TABLE user_totp (
  username TEXT PRIMARY KEY REFERENCES users(username) ON DELETE CASCADE,
  secret TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
  last_step INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE web_settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE call_dispositions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  interaction_id TEXT NOT NULL,
  extension TEXT NOT NULL,
  code TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  at TEXT NOT NULL,
  actor TEXT NOT NULL
);
CREATE INDEX call_dispositions_interaction ON call_dispositions (interaction_id);
`;

export const migration: Migration = {
  version: 4,
  description: 'web console sessions, TOTP, settings and call dispositions',
  up(db) {
    db.exec(sql);
  },
};
