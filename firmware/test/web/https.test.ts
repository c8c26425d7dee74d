import assert from 'node:assert/strict';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { openDatabase } from '../../src/config/database.ts';
import { ensureFirstBoot } from '../../src/config/first-boot.ts';
import { createLogger } from '../../src/log.ts';
import { ComponentHealth } from '../../src/supervisor/component-health.ts';
import { InMemoryLiveState } from '../../src/web/live-state.ts';
import { startWebServer } from '../../src/web/server.ts';
import { ensureCertificate, tlsPaths } from '../../src/web/system/tls.ts';
import { freePort } from '../helpers/ports.ts';
import { tempDir } from '../helpers/tmp.ts';
import { readFileSync, statSync } from 'node:fs';

function get(url: string, ca: string, o: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string; cert: { fingerprint256: string } }>((resolve, reject) => {
    const req = https.request(url, { ca, method: o.method ?? 'GET', headers: o.headers ?? {}, agent: false }, (res) => {
      let body = '';
      res.on('data', (b: Buffer) => (body += b.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, cert: (res.socket as TLSSocket).getPeerCertificate() }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

test('HTTPS with the first-boot certificate: verified by its own CA, Secure cookies, HSTS; the owner installs their own', async (t) => {
  const dir = tempDir(t);
  const db = openDatabase(dir);
  ensureFirstBoot(db, { adminPassword: 'first-boot-pass-1' });
  const tls = await ensureCertificate(dir, ['127.0.0.1']);
  assert.equal(statSync(tlsPaths(dir).key).mode & 0o777, 0o600);
  assert.deepEqual(await ensureCertificate(dir, ['127.0.0.1']), tls, 'made once, then reused');
  const health = new ComponentHealth();
  const live = new InMemoryLiveState({ health });
  const web = await startWebServer({ bind: '127.0.0.1', port: await freePort(), health, log: createLogger('t', 'silent'), tls, api: { db, dataDir: dir, live } });
  t.after(async () => {
    await web.close();
    live.close();
    db.close();
  });
  assert.match(web.url, /^https:\/\//);

  const login = await get(`${web.url}/api/v1/auth/login`, tls.cert, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'first-boot-pass-1' }) });
  assert.equal(login.status, 200);
  const cookies = (login.headers['set-cookie'] as string[]).join('\n');
  assert.match(cookies, /callbox_session=[^\n]*; secure/i);
  assert.match(String(login.headers['strict-transport-security']), /max-age=31536000/);

  // The owner's own certificate (here another self-made one) replaces it without a restart.
  const ownDir = tempDir(t);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj', '/CN=pbx.example.test', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', `${ownDir}/k.pem`, '-out', `${ownDir}/c.pem`], { stdio: 'ignore' });
  const own = { cert: readFileSync(`${ownDir}/c.pem`, 'utf8'), key: readFileSync(`${ownDir}/k.pem`, 'utf8') };
  const session = /callbox_session=([^;]+)/.exec(cookies)?.[1];
  const csrf = /callbox_csrf=([^;]+)/.exec(cookies)?.[1];
  const headers = { 'content-type': 'application/json', cookie: `callbox_session=${session}; callbox_csrf=${csrf}`, 'x-csrf-token': csrf! };
  const pw = await get(`${web.url}/api/v1/auth/password`, tls.cert, { method: 'POST', headers, body: JSON.stringify({ current_password: 'first-boot-pass-1', new_password: 'Corr3ct-horse-battery' }) });
  assert.equal(pw.status, 200);
  const mismatched = await get(`${web.url}/api/v1/system/certificate`, tls.cert, { method: 'PUT', headers, body: JSON.stringify({ cert: own.cert, key: tls.key }) });
  assert.equal(mismatched.status, 400);
  assert.equal(JSON.parse(mismatched.body).errors[0].path, 'key');
  const put = await get(`${web.url}/api/v1/system/certificate`, tls.cert, { method: 'PUT', headers, body: JSON.stringify(own) });
  assert.equal(put.status, 200, put.body);
  assert.match(JSON.parse(put.body).subject, /pbx\.example\.test/);
  const after = await get(`${web.url}/health`, own.cert);
  assert.match(after.cert.fingerprint256, /^[0-9A-F:]+$/);
  assert.equal(readFileSync(tlsPaths(dir).cert, 'utf8'), own.cert);
});
