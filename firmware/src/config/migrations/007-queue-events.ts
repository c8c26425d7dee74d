import type { Migration } from './types.ts';

/**
 * The queue log: every event of the distributor (enter, offer, connect, complete, abandon, exit, callbacks, agent
 * log-in/pause/wrap-up) with the interaction id that ties it to the CDRs. Statistics and reports read it.
 */
const sql = `
CREATE TABLE queue_events (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  type TEXT NOT NULL,
  queue TEXT,
  call_id TEXT,
  interaction_id TEXT,
  agent TEXT,
  data TEXT NOT NULL
);
CREATE INDEX queue_events_at ON queue_events (at);
CREATE INDEX queue_events_interaction ON queue_events (interaction_id);
`;

export const migration: Migration = {
  version: 7,
  description: 'queue log (distributor events)',
  up(db) {
    db.exec(sql);
  },
};
