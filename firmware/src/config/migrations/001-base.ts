import type { Migration } from './types.ts';
import { CALLBOX_APPLICATION_ID } from '../file-identity.ts';

/**
 * The first entities of the appliance. Identities and references are columns (so SQLite enforces them);
 * the many options of an entity live in one JSON column that the repositories validate with the site schema
 * on every read, so an option added later needs no migration, only a default.
 */
const sql = `
CREATE TABLE settings (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  site_name TEXT NOT NULL,
  timezone TEXT NOT NULL,
  country TEXT NOT NULL,
  language TEXT NOT NULL,
  drachtio_secret TEXT,
  revision INTEGER NOT NULL DEFAULT 0,
  first_boot_at TEXT
);
INSERT INTO settings (id, site_name, timezone, country, language) VALUES (1, 'Callbox', 'UTC', 'US', 'en');

CREATE TABLE users (
  username TEXT PRIMARY KEY,
  display_name TEXT,
  role TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'installer', 'agent', 'auditor')),
  password_hash TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 1 CHECK (must_change_password IN (0, 1)),
  extension TEXT,
  queues TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE extensions (
  number TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  password TEXT NOT NULL,
  options TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE agents (
  extension TEXT PRIMARY KEY REFERENCES extensions(number),
  options TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE agent_skills (
  extension TEXT NOT NULL REFERENCES agents(extension),
  skill TEXT NOT NULL,
  proficiency INTEGER NOT NULL CHECK (proficiency BETWEEN 1 AND 5),
  PRIMARY KEY (extension, skill)
);

CREATE TABLE phones (
  mac TEXT PRIMARY KEY,
  vendor TEXT NOT NULL,
  model TEXT,
  extension TEXT NOT NULL REFERENCES extensions(number)
);

CREATE TABLE queues (
  number TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  strategy TEXT NOT NULL,
  options TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE queue_members (
  queue TEXT NOT NULL REFERENCES queues(number),
  extension TEXT NOT NULL REFERENCES agents(extension),
  penalty INTEGER NOT NULL DEFAULT 0,
  position INTEGER NOT NULL,
  PRIMARY KEY (queue, extension)
);

CREATE TABLE ivr_flows (
  name TEXT PRIMARY KEY,
  definition TEXT NOT NULL
);

CREATE TABLE hours (
  name TEXT PRIMARY KEY,
  timezone TEXT
);

CREATE TABLE hours_weekly (
  hours TEXT NOT NULL REFERENCES hours(name),
  position INTEGER NOT NULL,
  days TEXT NOT NULL,
  open TEXT NOT NULL,
  close TEXT NOT NULL,
  PRIMARY KEY (hours, position)
);

CREATE TABLE holidays (
  hours TEXT NOT NULL REFERENCES hours(name),
  date TEXT NOT NULL,
  name TEXT NOT NULL,
  open TEXT,
  close TEXT,
  PRIMARY KEY (hours, date)
);

CREATE TABLE trunks (
  name TEXT PRIMARY KEY,
  host TEXT NOT NULL,
  port INTEGER NOT NULL,
  transport TEXT NOT NULL,
  options TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE inbound_routes (
  position INTEGER PRIMARY KEY,
  did TEXT NOT NULL UNIQUE,
  target TEXT NOT NULL,
  trunk TEXT REFERENCES trunks(name),
  hours TEXT REFERENCES hours(name),
  closed_target TEXT
);

CREATE TABLE outbound_routes (
  position INTEGER PRIMARY KEY,
  pattern TEXT NOT NULL,
  options TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE outbound_route_trunks (
  route INTEGER NOT NULL REFERENCES outbound_routes(position),
  trunk TEXT NOT NULL REFERENCES trunks(name),
  position INTEGER NOT NULL,
  PRIMARY KEY (route, position)
);

CREATE TABLE policies (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE snmp_settings (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  options TEXT NOT NULL DEFAULT '{}'
);
INSERT INTO snmp_settings (id) VALUES (1);

CREATE TABLE snmp_users (
  name TEXT PRIMARY KEY,
  auth_protocol TEXT NOT NULL,
  auth_password TEXT NOT NULL,
  priv_protocol TEXT NOT NULL,
  priv_password TEXT NOT NULL
);

CREATE TABLE snmp_communities (
  name TEXT PRIMARY KEY,
  networks TEXT NOT NULL
);

CREATE TABLE snmp_trap_receivers (
  position INTEGER PRIMARY KEY,
  host TEXT NOT NULL,
  port INTEGER NOT NULL,
  version TEXT NOT NULL CHECK (version IN ('2c', '3')),
  user TEXT REFERENCES snmp_users(name),
  community TEXT,
  inform INTEGER NOT NULL DEFAULT 0
);

-- Who changed what, when. Append-only: the triggers refuse every UPDATE and DELETE.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT,
  detail TEXT
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
`;

export const migration: Migration = {
  version: 1,
  description: 'base entities and the audit log',
  up(db) {
    db.exec(sql);
    // Marks the file as ours in its header, so a foreign SQLite file is recognised without opening it.
    db.pragma(`application_id = ${CALLBOX_APPLICATION_ID}`);
  },
};
