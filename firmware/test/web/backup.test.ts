import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getRevision } from '../../src/config/repositories/settings.ts';
import { exportSiteFile } from '../../src/config/site-export.ts';
import { settledAdmin, startHarness } from './harness.ts';

test('backup then restore brings the configuration and users back exactly', async (t) => {
  const h = await startHarness(t);
  const c = await settledAdmin(h);
  await c.post('/api/v1/extensions', { number: '1001', name: 'Alice', agent: {} });
  await c.post('/api/v1/queues', { number: '500', name: 'Support', members: ['1001'] });
  await c.post('/api/v1/users', { username: 'ann', role: 'installer', password: 'temporary-pass-1' });
  h.db.prepare("INSERT INTO cdrs (interaction_id, leg_id, direction, caller, callee, queue, started_at) VALUES ('i1', 'l1', 'inbound', '+4930111', '500', '500', '2026-12-01T10:00:00Z')").run();
  const backup = await c.get('/api/v1/system/backup?cdrs=true');
  assert.equal(backup.status, 200);
  assert.match(backup.headers.get('content-disposition') ?? '', /attachment; filename="callbox-backup-/);
  assert.equal(backup.body.cdrs.length, 1);
  const saved = exportSiteFile(h.db).replace(/revision \d+/, '');

  await c.del('/api/v1/queues/500');
  await c.del('/api/v1/extensions/1001');
  await c.post('/api/v1/users', { username: 'extra', role: 'auditor', password: 'temporary-pass-2' });
  h.db.prepare('DELETE FROM cdrs').run();

  const restored = await c.post('/api/v1/system/restore', backup.body);
  assert.equal(restored.status, 200, JSON.stringify(restored.body));
  assert.equal(exportSiteFile(h.db).replace(/revision \d+/, ''), saved);
  assert.equal((h.db.prepare('SELECT count(*) AS n FROM cdrs').get() as { n: number }).n, 1);
  assert.deepEqual((await c.get('/api/v1/users')).body.map((u: { username: string }) => u.username), ['admin', 'ann']);
});

test('a bad backup is refused with every problem listed, and nothing changes', async (t) => {
  const h = await startHarness(t);
  const c = await settledAdmin(h);
  await c.post('/api/v1/extensions', { number: '1001', name: 'Alice', agent: {} });
  const backup = (await c.get('/api/v1/system/backup')).body;
  const before = exportSiteFile(h.db);
  const revision = getRevision(h.db);

  const broken = {
    ...backup,
    site_yaml: backup.site_yaml.replace('number: "1001"', 'number: "1x"').replace(/queues: \[\]\n/, 'queues:\n  - number: "500"\n    name: Q\n    members: ["1002"]\n'),
    keys: { ...backup.keys, tls: { cert: 'not a certificate', key: 'nor a key' } },
  };
  const r = await c.post('/api/v1/system/restore', broken);
  assert.equal(r.status, 400);
  const paths = r.body.errors.map((e: { path: string }) => e.path);
  assert.ok(paths.includes('site_yaml: extensions[0].number'), paths.join(', '));
  assert.ok(paths.includes('keys.tls.cert'), paths.join(', '));
  assert.equal(exportSiteFile(h.db), before);
  assert.equal(getRevision(h.db), revision);

  const notABackup = await c.post('/api/v1/system/restore', { hello: 'world' });
  assert.equal(notABackup.status, 400);
  assert.ok(notABackup.body.errors.some((e: { path: string }) => e.path === 'format'));
  assert.equal(exportSiteFile(h.db), before);
});
