import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { listAudit } from '../../src/config/repositories/audit.ts';
import { applyUpdate } from '../../src/update/apply.ts';
import { context, makeBundle, makeFirmwareTree, makeKeys, snapshot } from '../update/fixtures.ts';
import { tempDir } from '../helpers/tmp.ts';
import { settledAdmin, startHarness } from './harness.ts';

test('an admin uploads a signed update from the console; a tampered one is refused and changes nothing', async (t) => {
  const work = tempDir(t);
  const keys = makeKeys(path.join(work, 'keys'));
  let dataDir = '';
  const h = await startHarness(t, { update: (file) => applyUpdate(file, context(dataDir, keys.publicKeyPath)) });
  dataDir = h.dir;
  const bundle = await makeBundle(path.join(work, 'good.cbu'), makeFirmwareTree(path.join(work, 'tree'), '2.0.0'), keys.privateKey, { version: '2.0.0' });
  const bytes = readFileSync(bundle);

  const admin = await settledAdmin(h);
  const ok = await admin.req('POST', '/api/v1/system/update', bytes, { 'content-type': 'application/octet-stream' });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.installed, '2.0.0');
  assert.equal(ok.body.method, 'simulated');
  assert.ok(listAudit(h.db).some((e) => e.action === 'system.update'), 'the update is in the audit log');
  const installed = snapshot(path.join(h.dir, 'update'));

  const tampered = Buffer.from(bytes);
  tampered[tampered.length - 10] = (tampered[tampered.length - 10] as number) ^ 0xff;
  const bad = await admin.req('POST', '/api/v1/system/update', tampered, { 'content-type': 'application/octet-stream' });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error, 'hash-mismatch');
  assert.match(bad.body.message, /nothing was changed/);
  assert.deepEqual(snapshot(path.join(h.dir, 'update')), installed, 'the refused upload changed nothing and left no file behind');
  assert.deepEqual(readdirSync(path.join(h.dir, 'update')).filter((f) => f.startsWith('upload-')), []);

  const asJson = await admin.req('POST', '/api/v1/system/update', { not: 'a bundle' });
  assert.equal(asJson.status, 415);

  h.addUser('installer1', 'installer');
  const installer = await h.as('installer1');
  const refused = await installer.req('POST', '/api/v1/system/update', bytes, { 'content-type': 'application/octet-stream' });
  assert.equal(refused.status, 403, 'only admins update the firmware');
});
