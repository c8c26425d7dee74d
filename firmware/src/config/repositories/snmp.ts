import type { Database } from 'better-sqlite3';
import { snmpConfigObject, type SnmpConfig, type SnmpUser, type TrapReceiver } from '../snmp-schema.ts';
import { readJson } from './json-column.ts';

const settingsSchema = snmpConfigObject.omit({ users: true, communities: true, trap_receivers: true });

interface UserRow {
  name: string;
  auth_protocol: SnmpUser['auth']['protocol'];
  auth_password: string;
  priv_protocol: SnmpUser['priv']['protocol'];
  priv_password: string;
}

interface ReceiverRow {
  host: string;
  port: number;
  version: TrapReceiver['version'];
  user: string | null;
  community: string | null;
  inform: number;
}

export function getSnmpConfig(db: Database): SnmpConfig {
  const settings = db.prepare('SELECT options FROM snmp_settings WHERE id = 1').get() as { options: string };
  const users = (db.prepare('SELECT * FROM snmp_users ORDER BY name').all() as UserRow[]).map((u) => ({
    name: u.name,
    auth: { protocol: u.auth_protocol, password: u.auth_password },
    priv: { protocol: u.priv_protocol, password: u.priv_password },
  }));
  const communities = (db.prepare('SELECT * FROM snmp_communities ORDER BY name').all() as { name: string; networks: string }[]).map((c) => ({
    name: c.name,
    networks: JSON.parse(c.networks) as string[],
  }));
  const receivers = (db.prepare('SELECT * FROM snmp_trap_receivers ORDER BY position').all() as ReceiverRow[]).map(
    (r): TrapReceiver =>
      r.version === '3'
        ? { host: r.host, port: r.port, version: '3', user: r.user ?? '', inform: r.inform === 1 }
        : { host: r.host, port: r.port, version: '2c', community: r.community ?? '', inform: r.inform === 1 },
  );
  return { ...readJson(settingsSchema, settings.options, 'SNMP settings'), users, communities, trap_receivers: receivers };
}

export function replaceSnmpConfig(db: Database, snmp: SnmpConfig): void {
  const { users, communities, trap_receivers: receivers, ...settings } = snmp;
  db.prepare('UPDATE snmp_settings SET options = ? WHERE id = 1').run(JSON.stringify(settings));
  db.prepare('DELETE FROM snmp_trap_receivers').run();
  db.prepare('DELETE FROM snmp_users').run();
  db.prepare('DELETE FROM snmp_communities').run();
  const insertUser = db.prepare('INSERT INTO snmp_users (name, auth_protocol, auth_password, priv_protocol, priv_password) VALUES (?, ?, ?, ?, ?)');
  for (const u of users) insertUser.run(u.name, u.auth.protocol, u.auth.password, u.priv.protocol, u.priv.password);
  const insertCommunity = db.prepare('INSERT INTO snmp_communities (name, networks) VALUES (?, ?)');
  for (const c of communities) insertCommunity.run(c.name, JSON.stringify(c.networks));
  const insertReceiver = db.prepare('INSERT INTO snmp_trap_receivers (position, host, port, version, user, community, inform) VALUES (?, ?, ?, ?, ?, ?, ?)');
  receivers.forEach((r, i) =>
    insertReceiver.run(i, r.host, r.port, r.version, r.version === '3' ? r.user : null, r.version === '2c' ? r.community : null, r.inform ? 1 : 0),
  );
}
