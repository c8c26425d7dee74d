import type { Migration } from './types.ts';

/**
 * Pause reason codes (the ACD pauses agents with a reason; supervisors report on them) and call detail records,
 * one row per call leg, tied together by the interaction id that survives transfers and callbacks.
 */
const sql = `
CREATE TABLE pause_reasons (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  paid INTEGER NOT NULL DEFAULT 0 CHECK (paid IN (0, 1)),
  position INTEGER NOT NULL
);

CREATE TABLE cdrs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  interaction_id TEXT NOT NULL,
  leg_id TEXT NOT NULL UNIQUE,
  direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound', 'internal')),
  caller TEXT NOT NULL,
  callee TEXT NOT NULL,
  trunk TEXT,
  extension TEXT,
  queue TEXT,
  started_at TEXT NOT NULL,
  answered_at TEXT,
  ended_at TEXT,
  disposition TEXT,
  hangup_cause TEXT
);
CREATE INDEX cdrs_interaction ON cdrs (interaction_id);
CREATE INDEX cdrs_started_at ON cdrs (started_at);
`;

export const migration: Migration = {
  version: 2,
  description: 'pause reason codes and call detail records',
  up(db) {
    db.exec(sql);
  },
};
