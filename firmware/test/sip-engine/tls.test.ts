import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { freePort } from '../helpers/ports.ts';
import { tempDir } from '../helpers/tmp.ts';
import { connectApp, loose, SDP, settle, startTestEngine } from './helpers.ts';

test('TLS: an app UAC on one engine calls an app UAS on a second engine over TLS', async (t) => {
  const dir = tempDir(t);
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
  const tlsFlags = (port: number) => ['--contact', `sip:127.0.0.1:${port};transport=tls`, '--tls-key-file', key, '--tls-cert-file', cert];
  const tlsA = await freePort();
  const tlsB = await freePort();
  const a = await startTestEngine(t, tlsFlags(tlsA));
  const b = await startTestEngine(t, tlsFlags(tlsB));
  const callee = await connectApp(t, b.adminPort);
  const seen: string[] = [];
  callee.invite(async (req, res) => {
    seen.push(`${req.protocol} ${req.get('Via')}`);
    const dlg = await callee.createUAS(req, res, { localSdp: SDP });
    dlg.on('destroy', () => seen.push('bye'));
  });
  const caller = loose(await connectApp(t, a.adminPort));
  const dlg = await caller.createUAC(`sip:bob@127.0.0.1:${tlsB};transport=tls`, { localSdp: SDP });
  assert.match(dlg.remote.sdp, /^v=0/);
  await dlg.destroy();
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(seen.length, 2, seen.join('\n'));
  assert.match(seen[0]!, new RegExp(`^tls SIP/2\\.0/TLS 127\\.0\\.0\\.1:${tlsA};`));
  assert.equal(seen[1], 'bye');
  await settle(a.engine);
  await settle(b.engine);
  assert.equal(a.engine.counters().liveDialogs + b.engine.counters().liveDialogs, 0);
  assert.equal(a.engine.counters().liveTransactions + b.engine.counters().liveTransactions, 0);
});
