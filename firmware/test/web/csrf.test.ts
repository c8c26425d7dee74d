import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { listAudit } from '../../src/config/repositories/audit.ts';
import { tempDir } from '../helpers/tmp.ts';
import { settledAdmin, startHarness } from './harness.ts';

test('a change without the CSRF token, or with a wrong one, is refused and changes nothing', async (t) => {
  const h = await startHarness(t);
  const c = await settledAdmin(h);
  const before = listAudit(h.db).length;
  const body = { number: '1001', name: 'Alice' };

  c.csrf = false;
  const missing = await c.post('/api/v1/extensions', body);
  assert.equal(missing.status, 403);
  assert.equal(missing.body.error, 'csrf');
  const forged = await c.req('POST', '/api/v1/extensions', body, { 'x-csrf-token': 'guessed' });
  assert.equal(forged.status, 403);
  // A form post from another site cannot send JSON.
  const form = await c.req('POST', '/api/v1/extensions', 'number=1001&name=Alice', { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': c.cookies.get('callbox_csrf')! });
  assert.equal(form.status, 415);
  assert.deepEqual((await c.get('/api/v1/extensions')).body, []);
  assert.equal(listAudit(h.db).length, before);

  c.csrf = true;
  assert.equal((await c.post('/api/v1/extensions', body)).status, 201);
});

test('security headers are on every answer', async (t) => {
  const h = await startHarness(t);
  const r = await h.client().get('/api/v1/auth/me');
  assert.match(r.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  assert.match(r.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(r.headers.get('x-frame-options'), 'SAMEORIGIN');
  assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
  assert.equal(r.headers.get('cache-control'), 'no-store');
});

test('the console page is revalidated after an update; its hashed assets are cached for good', async (t) => {
  const ui = tempDir(t);
  mkdirSync(path.join(ui, 'assets'));
  writeFileSync(path.join(ui, 'index.html'), '<!doctype html><title>Callbox</title>');
  writeFileSync(path.join(ui, 'assets', 'index-abc123.js'), 'console.log(1)');
  const h = await startHarness(t, { uiDir: ui });
  const page = await fetch(`${h.web.url}/`);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('cache-control'), 'no-cache');
  const asset = await fetch(`${h.web.url}/assets/index-abc123.js`);
  assert.match(asset.headers.get('cache-control') ?? '', /immutable/);
});
