import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';
import { WebSocket } from 'ws';
import { openBrowser } from '../browser/browser.ts';
import { freePort } from '../helpers/ports.ts';
import { connectApp, loose, startTestEngine } from './helpers.ts';
import { header } from './udp-phone.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');

async function wsEngine(t: Parameters<typeof startTestEngine>[0]) {
  const wsPort = await freePort();
  const e = await startTestEngine(t, ['--contact', `sip:127.0.0.1:${wsPort};transport=ws`]);
  return { ...e, wsPort };
}

test('WebSocket transport: the sip subprotocol is required; an OPTIONS in one WebSocket message gets its answer on it', async (t) => {
  const e = await wsEngine(t);
  const srf = await connectApp(t, e.adminPort);
  loose(srf).options((_req, res) => res.send(200, { headers: { 'X-Seen': 'ws' } }));

  const refused = new WebSocket(`ws://127.0.0.1:${e.wsPort}`, ['chat']);
  const status = await new Promise<number>((resolve) => refused.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
  assert.equal(status, 400);

  const ws = new WebSocket(`ws://127.0.0.1:${e.wsPort}`, ['sip']);
  t.after(() => ws.close());
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  assert.equal(ws.protocol, 'sip');
  const got = new Promise<string>((r) => ws.once('message', (d: Buffer) => r(d.toString())));
  ws.send(
    ['OPTIONS sip:127.0.0.1 SIP/2.0', 'Via: SIP/2.0/WS h7kjs8.invalid;branch=z9hG4bKws1', 'From: <sip:b@127.0.0.1>;tag=w1', 'To: <sip:127.0.0.1>', 'Call-ID: ws-1', 'CSeq: 1 OPTIONS', 'Max-Forwards: 70', '', ''].join('\r\n'),
  );
  const res = await got;
  assert.match(res, /^SIP\/2\.0 200 OK\r\n/);
  assert.equal(header(res, 'X-Seen'), 'ws');
  assert.match(header(res, 'Via') ?? '', /^SIP\/2\.0\/WS h7kjs8\.invalid;branch=z9hG4bKws1;received=127\.0\.0\.1$/);
});

test('WebSocket transport: JsSIP in Chromium registers with digest through the engine and receives a MESSAGE from the app', async (t) => {
  const e = await wsEngine(t);
  const srf = await connectApp(t, e.adminPort);
  const registered: { port: number; protocol: string }[] = [];
  loose(srf).register((req, res) => {
    if (!req.get('Authorization')) return res.send(401, { headers: { 'WWW-Authenticate': 'Digest realm="callbox", nonce="n0nce", algorithm=MD5, qop="auth"' } });
    const r = req as unknown as { source_port: number; protocol: string };
    registered.push({ port: r.source_port, protocol: r.protocol });
    res.send(200, { headers: { Contact: `${req.get('Contact')};expires=300` } });
  });

  const bundle = await build({ entryPoints: [path.join(ROOT, 'node_modules/jssip/lib/JsSIP.js')], bundle: true, write: false, format: 'iife', globalName: 'JsSIP', platform: 'browser', logLevel: 'silent' });
  const { page } = await openBrowser(t);
  await page.setContent('<html><body>phone</body></html>');
  await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
  const state = await page.evaluate(
    (url) =>
      new Promise<string>((resolve) => {
        type UA = { on(e: string, f: (ev: { cause?: string; originator?: string; request?: { body: string } }) => void): void; start(): void };
        const w = globalThis as unknown as { JsSIP: { UA: new (c: object) => UA; WebSocketInterface: new (u: string) => object }; messages: string[] };
        w.messages = [];
        const ua = new w.JsSIP.UA({ sockets: [new w.JsSIP.WebSocketInterface(url)], uri: 'sip:alice@127.0.0.1', password: 'pw', register: true });
        ua.on('registered', () => resolve('registered'));
        ua.on('registrationFailed', (ev) => resolve(`failed: ${ev.cause}`));
        ua.on('newMessage', (ev) => ev.originator === 'remote' && w.messages.push(ev.request!.body));
        ua.start();
      }),
    `ws://127.0.0.1:${e.wsPort}`,
  );
  assert.equal(state, 'registered');
  assert.equal(registered.length, 1);
  assert.equal(registered[0]!.protocol, 'ws');

  const sent = await new Promise<Error | null>((resolve) =>
    loose(srf).request(`sip:alice@127.0.0.1:${registered[0]!.port};transport=ws`, { method: 'MESSAGE', headers: { 'Content-Type': 'text/plain', From: '<sip:box@127.0.0.1>' }, body: 'hello browser' }, (err) => resolve(err)),
  );
  assert.equal(sent, null);
  await page.waitForFunction(() => (globalThis as unknown as { messages: string[] }).messages.length > 0);
  assert.deepEqual(await page.evaluate(() => (globalThis as unknown as { messages: string[] }).messages), ['hello browser']);
});
