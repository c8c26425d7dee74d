import type { Migration } from './types.ts';

/**
 * Registrar bindings, kept in the store so a restart of the calls app still knows where each phone is.
 * The received_* columns hold where the REGISTER really came from (behind NAT that is not the Contact), and
 * calls are sent there.
 */
const sql = `
CREATE TABLE registrations (
  extension TEXT NOT NULL,
  contact TEXT NOT NULL,
  received_proto TEXT NOT NULL,
  received_address TEXT NOT NULL,
  received_port INTEGER NOT NULL,
  call_id TEXT NOT NULL,
  cseq INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  registered_at INTEGER NOT NULL,
  user_agent TEXT,
  PRIMARY KEY (extension, contact)
);
CREATE INDEX registrations_expires ON registrations (expires_at);
`;

export const migration: Migration = {
  version: 3,
  description: 'registrar bindings',
  up(db) {
    db.exec(sql);
  },
};
