import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { listAudit } from '../../src/config/repositories/audit.ts';
import { exportSiteFile } from '../../src/config/site-export.ts';
import { settledAdmin, startHarness } from './harness.ts';

test('bad bodies are refused with every field path, in the site file wording', async (t) => {
  const h = await startHarness(t);
  const c = await settledAdmin(h);
  const r = await c.post('/api/v1/queues', { number: 500, name: '', strategy: 'fastest', members: [{ extension: '1001', penalty: -1 }], colour: 'red' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error, 'validation');
  const byPath = Object.fromEntries(r.body.errors.map((e: { path: string; message: string }) => [e.path, e.message]));
  assert.match(byPath['number'], /string.*quotes/);
  assert.match(byPath['name'], /must not be empty/);
  assert.match(byPath['strategy'], /must be one of ring-all/);
  assert.match(byPath['members[0].penalty'], /at least 0/);
  assert.match(byPath['colour'], /not a known field/);
  assert.equal((await c.req('POST', '/api/v1/queues', '{"number":', { 'content-type': 'application/json' })).body.error, 'invalid_json');
});

test('references are checked against the rest of the configuration; errors point into the body or the site file', async (t) => {
  const h = await startHarness(t);
  const c = await settledAdmin(h);
  const missing = await c.post('/api/v1/queues', { number: '500', name: 'Support', members: ['1001'] });
  assert.equal(missing.status, 409);
  assert.deepEqual(missing.body.errors, [{ path: 'members[0]', message: 'extension 1001 does not exist (not in extensions)' }]);

  assert.equal((await c.post('/api/v1/extensions', { number: '1001', name: 'Alice', agent: {} })).status, 201);
  assert.equal((await c.post('/api/v1/queues', { number: '500', name: 'Support', members: ['1001'] })).status, 201);
  assert.equal((await c.post('/api/v1/extensions', { number: '1001', name: 'Again' })).status, 409);
  const inUse = await c.del('/api/v1/extensions/1001');
  assert.equal(inUse.status, 409);
  assert.deepEqual(inUse.body.errors.map((e: { path: string }) => e.path), ['queues[0].members[0]']);
  const mismatch = await c.put('/api/v1/extensions/1001', { number: '1002', name: 'Alice' });
  assert.equal(mismatch.status, 400);
  assert.equal((await c.get('/api/v1/extensions/9999')).status, 404);
});

test('changes are what `callbox config export` shows, each with a new revision and an audit entry naming who', async (t) => {
  const h = await startHarness(t);
  const c = await settledAdmin(h);
  const r1 = await c.post('/api/v1/extensions', { number: '1001', name: 'Alice', password: 'sip-secret-1001', agent: { skills: { german: 5 } } });
  const r2 = await c.put('/api/v1/snmp', { location: 'Server room', users: [{ name: 'nms', auth: { protocol: 'sha256', password: 'auth-pass-123' }, priv: { protocol: 'aes', password: 'priv-pass-123' } }] });
  assert.equal(r2.status, 200);
  assert.ok(r2.body.revision > r1.body.revision);
  const site = parse(exportSiteFile(h.db));
  assert.equal(site.extensions[0].number, '1001');
  assert.deepEqual(site.extensions[0].agent.skills, { german: 5 });
  assert.equal(site.snmp.location, 'Server room');
  assert.equal(site.snmp.users[0].name, 'nms');

  const audit = listAudit(h.db);
  const create = audit.find((e) => e.action === 'extensions.create');
  assert.equal(create?.actor, 'admin');
  assert.equal(create?.target, '1001');
  assert.equal((create?.detail as { password: string }).password, '(redacted)', 'secrets never reach the audit log');
  assert.ok(audit.some((e) => e.action === 'snmp.update' && e.actor === 'admin'));
  assert.ok(audit.some((e) => e.action === 'config.apply' && e.actor === 'admin'));
  const viaApi = await c.get('/api/v1/audit?limit=2');
  assert.equal(viaApi.body.length, 2);
  assert.equal((await c.get('/api/v1/audit?limit=abc')).body.errors[0].path, 'limit');
});

test('users: created with a password they must change, never the last admin removed', async (t) => {
  const h = await startHarness(t);
  const c = await settledAdmin(h);
  assert.equal((await c.post('/api/v1/users', { username: 'ann', role: 'supervisor', password: 'temporary-pass-1', queues: ['500'] })).status, 409, 'queue 500 does not exist');
  assert.equal((await c.post('/api/v1/users', { username: 'ann', role: 'supervisor' })).body.errors[0].path, 'password');
  assert.equal((await c.post('/api/v1/users', { username: 'ann', role: 'supervisor', password: 'temporary-pass-1' })).status, 201);
  const ann = await h.as('ann', 'temporary-pass-1');
  assert.equal((await ann.get('/api/v1/auth/me')).body.stage, 'change-password');
  assert.equal((await c.put('/api/v1/users/admin', { username: 'admin', role: 'auditor' })).status, 409);
  assert.equal((await c.del('/api/v1/users/admin')).status, 409);
  assert.equal((await c.del('/api/v1/users/ann')).status, 204);
  assert.equal((await ann.get('/api/v1/auth/me')).status, 401, 'a deleted user is signed out');
});

test('call records as CSV: quoted, formula-safe, and a supervisor gets only their queues', async (t) => {
  const h = await startHarness(t);
  const c = await settledAdmin(h);
  const ins = h.db.prepare("INSERT INTO cdrs (interaction_id, leg_id, direction, caller, callee, queue, started_at) VALUES (?, ?, 'inbound', ?, ?, ?, '2026-12-01T10:00:00Z')");
  ins.run('i1', 'l1', '=HYPERLINK("x")', '500', '500');
  ins.run('i2', 'l2', '+4930111', '501', '501');
  const r = await c.get('/api/v1/cdrs?format=csv');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /^text\/csv/);
  const lines = String(r.body).trim().split('\r\n');
  assert.equal(lines.length, 3);
  assert.match(lines[0]!, /^id,interaction_id,/);
  assert.ok(lines.some((l) => l.includes(`"'=HYPERLINK(""x"")"`)), lines.join('\n'));
  assert.ok(lines.some((l) => l.includes('"+4930111"')), 'phone numbers are not mangled');
  h.addUser('sue', 'supervisor', { queues: ['501'] });
  const sue = await h.as('sue');
  assert.deepEqual((await sue.get('/api/v1/cdrs')).body.map((x: { queue: string }) => x.queue), ['501']);
});
