import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { tempDir } from '../helpers/tmp.ts';
import { openDatabase } from '../../src/config/database.ts';
import { applySiteFile } from '../../src/config/site-apply.ts';
import { exportSiteFile, readSite } from '../../src/config/site-export.ts';
import { siteJsonSchemaText } from '../../src/config/site-json-schema.ts';
import { ensureFirstBoot } from '../../src/config/first-boot.ts';
import { listAudit } from '../../src/config/repositories/audit.ts';
import { listQueues } from '../../src/config/repositories/queues.ts';
import { listExtensions } from '../../src/config/repositories/extensions.ts';
import { checkPassword, getUser, listUsers } from '../../src/config/repositories/users.ts';
import { getSettings } from '../../src/config/repositories/settings.ts';
import { getSnmpConfig } from '../../src/config/repositories/snmp.ts';
import { exampleSite, exampleSiteText, toYaml } from './site-fixtures.ts';

function freshDb(t: Parameters<typeof tempDir>[0]) {
  const db = openDatabase(tempDir(t));
  t.after(() => db.close());
  return db;
}

function mustApply(db: Parameters<typeof applySiteFile>[0], text: string) {
  const r = applySiteFile(db, text, 'test');
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.errors));
  return r;
}

test('the example site validates and loads what it describes', (t) => {
  const db = freshDb(t);
  const r = mustApply(db, exampleSiteText());
  assert.equal(r.revision, 1);
  assert.deepEqual(r.summary.counts, { extensions: 10, agents: 7, queues: 2, ivr: 1, hours: 1, trunks: 2, inbound_routes: 3, outbound_routes: 3, users: 2 });
  const [billing, technical] = listQueues(db);
  assert.equal(billing?.strategy, 'skills');
  assert.deepEqual(billing?.members.at(-1), { extension: '1007', penalty: 1, weight: 1 });
  assert.deepEqual(billing?.skills, { billing: 3 });
  assert.deepEqual(billing?.widening, [{ after_s: 30, min_proficiency: 2 }, { after_s: 90, any_member: true }]);
  assert.equal(technical?.ring_timeout_s, 15, 'defaults filled in');
  assert.deepEqual(getSnmpConfig(db).users.map((u) => [u.name, u.auth.protocol, u.priv.protocol]), [['nms', 'sha256', 'aes']]);
  const site = parse(exampleSiteText()) as { trunks: { host: string }[]; snmp: { trap_receivers: { host: string }[] } };
  for (const host of [...site.trunks, ...site.snmp.trap_receivers].map((x) => x.host)) assert.equal(host, '127.0.0.1', 'example stays on loopback');
});

test('export then apply changes nothing: same revision, no audit entry, identical export', (t) => {
  const db = freshDb(t);
  ensureFirstBoot(db, { adminPassword: 'first-admin-pass' });
  const first = mustApply(db, exampleSiteText());
  const exported = exportSiteFile(db);
  const auditBefore = listAudit(db).length;
  const again = mustApply(db, exported);
  assert.equal(again.revision, first.revision);
  assert.deepEqual(again.summary.changed, []);
  assert.equal(listAudit(db).length, auditBefore);
  assert.equal(exportSiteFile(db), exported);

  // And into a second, fresh box: the same configuration, users and password hashes included.
  const other = freshDb(t);
  mustApply(other, exported);
  assert.deepEqual(readSite(other), readSite(db));
  assert.ok(checkPassword(other, 'admin', 'first-admin-pass'));
});

test('applying the same hand-written file twice is a no-op the second time', (t) => {
  const db = freshDb(t);
  const doc = exampleSite();
  delete doc.users; // a password written in the file is re-set (and re-hashed) on every apply
  const text = toYaml(doc);
  const first = mustApply(db, text);
  const second = mustApply(db, text);
  assert.equal(second.revision, first.revision);
});

test('a change bumps the revision, is audited, and the file replaces the whole configuration', (t) => {
  const db = freshDb(t);
  mustApply(db, exampleSiteText());
  const doc = exampleSite();
  doc.queues = doc.queues.slice(0, 1);
  doc.queues[0].overflow.to = 'extension:2001';
  doc.routes.inbound = doc.routes.inbound.filter((r: { to: string }) => r.to !== 'queue:501');
  doc.ivr[0].nodes.technical.to = 'queue:500';
  doc.recording.queues = ['500'];
  doc.users[0].queues = ['500'];
  const r = mustApply(db, toYaml(doc));
  assert.equal(r.revision, 2);
  assert.ok(r.summary.changed.includes('queues'));
  assert.deepEqual(listQueues(db).map((q) => q.number), ['500']);
  assert.equal(getSettings(db).revision, 2);
  const [entry] = listAudit(db, 1);
  assert.equal(entry?.actor, 'test');
  assert.equal(entry?.action, 'config.apply');
  assert.deepEqual((entry?.detail as { changed: string[] }).changed, r.summary.changed);
  assert.throws(() => db.prepare('DELETE FROM audit_log').run(), /append-only/);
  assert.throws(() => db.prepare("UPDATE audit_log SET actor = 'x'").run(), /append-only/);
});

test('extensions without a password get a generated one, which is exported and kept on re-apply', (t) => {
  const db = freshDb(t);
  const doc = exampleSite();
  delete doc.extensions[8].password;
  delete doc.users;
  const r = mustApply(db, toYaml(doc));
  assert.deepEqual(r.summary.generatedPasswords, ['2002']);
  const generated = listExtensions(db).find((e) => e.number === '2002')?.password ?? '';
  assert.match(generated, /^[A-Za-z0-9]{20}$/);
  assert.match(exportSiteFile(db), new RegExp(`password: ${generated}`));
  const again = mustApply(db, toYaml(doc));
  assert.deepEqual(again.summary.generatedPasswords, []);
  assert.equal(again.revision, r.revision, 'the same file without the password is still a no-op');
  assert.equal(listExtensions(db).find((e) => e.number === '2002')?.password, generated);
});

test('users are merged: unlisted users (the first-boot admin) stay, listed ones are created or updated', (t) => {
  const db = freshDb(t);
  const boot = ensureFirstBoot(db, {});
  mustApply(db, exampleSiteText());
  assert.deepEqual(listUsers(db).map((u) => u.username), ['admin', 'alice', 'supervisor']);
  assert.ok(checkPassword(db, 'admin', boot.generatedAdminPassword ?? ''), 'admin still logs in');
  assert.ok(checkPassword(db, 'supervisor', 'change-me-supervisor'));
  assert.equal(checkPassword(db, 'supervisor', 'wrong-password'), undefined);
  assert.equal(getUser(db, 'supervisor')?.mustChangePassword, true, 'a password from a file must be changed');
  assert.deepEqual(getUser(db, 'supervisor')?.queues, ['500', '501']);
  const stored = db.prepare("SELECT password_hash FROM users WHERE username = 'alice'").get() as { password_hash: string };
  assert.match(stored.password_hash, /^scrypt\$/);
  assert.doesNotMatch(exportSiteFile(db), /change-me/, 'export never holds a plain user password');

  const doc = exampleSite();
  doc.users = [{ username: 'alice', name: 'Alice B.', role: 'agent', extension: '1002' }];
  mustApply(db, toYaml(doc));
  assert.deepEqual(listUsers(db).map((u) => u.username), ['admin', 'alice', 'supervisor']);
  assert.equal(getUser(db, 'alice')?.extension, '1002');
  assert.ok(checkPassword(db, 'alice', 'change-me-alice'), 'no password in the file keeps the old one');
});

test('the committed JSON Schema is what the zod schema generates (run scripts/gen-site-schema.ts)', () => {
  const committed = readFileSync(new URL('../../schema/site.schema.json', import.meta.url), 'utf8');
  assert.equal(committed, siteJsonSchemaText(), 'firmware/schema/site.schema.json is stale: run $NODE scripts/gen-site-schema.ts');
  const schema = JSON.parse(committed) as { properties: Record<string, unknown>; additionalProperties: boolean };
  for (const key of ['version', 'site', 'extensions', 'queues', 'ivr', 'hours', 'trunks', 'routes', 'snmp', 'recording', 'sbc', 'qos', 'users']) {
    assert.ok(key in schema.properties, `schema has ${key}`);
  }
  assert.equal(schema.additionalProperties, false);
});

test('a hand-damaged row is reported with what and how to repair, and re-applying the site file repairs it', (t) => {
  const db = freshDb(t);
  mustApply(db, exampleSiteText());
  db.prepare("UPDATE queues SET options = '{\"ring_timeout_s\": \"soon\"}' WHERE number = '500'").run();
  assert.throws(() => listQueues(db), /stored queue 500 is invalid \(ring_timeout_s: .*\): re-apply the site file to repair it/);
  db.prepare("UPDATE queues SET options = 'not json' WHERE number = '500'").run();
  assert.throws(() => exportSiteFile(db), /stored queue 500 is not JSON/);
  mustApply(db, exampleSiteText());
  assert.equal(listQueues(db)[0]?.ring_timeout_s, 15);
});
