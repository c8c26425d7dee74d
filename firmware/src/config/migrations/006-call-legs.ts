import type { Migration } from './types.ts';

/**
 * The SIP dialogs of connected calls, one row per leg, kept while the call lasts. If the calls app dies mid-call,
 * the next start finds them here and hangs the phones up (BYE) instead of leaving them in a silent call.
 */
const sql = `
CREATE TABLE call_legs (
  leg_id TEXT PRIMARY KEY,
  interaction_id TEXT NOT NULL,
  call_id TEXT NOT NULL,
  local_tag TEXT NOT NULL,
  remote_tag TEXT NOT NULL,
  local_uri TEXT NOT NULL,
  remote_uri TEXT NOT NULL,
  remote_target TEXT NOT NULL,
  next_hop TEXT,
  started_at TEXT NOT NULL
);
`;

export const migration: Migration = {
  version: 6,
  description: 'SIP dialogs of connected calls',
  up(db) {
    db.exec(sql);
  },
};
