import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import tls from 'node:tls';
import { WebSocket } from 'ws';
import Database from 'better-sqlite3';
import { setWebSettings } from '../../src/config/repositories/web-settings.ts';
import { spawnProcess } from '../helpers/process.ts';
import { boxEnv } from '../helpers/box-env.ts';
import { tempDir } from '../helpers/tmp.ts';

const cli = path.resolve(import.meta.dirname, '../../src/cli.ts');

/** Waits for `cond`, polling; bounded. */
async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** One OPTIONS over TLS; resolves with the response text and the certificate the box presented. */
async function tlsOptions(port: number, callId: string): Promise<{ response: string; fingerprint: string }> {
  const sock = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false });
  try {
    await new Promise((r, j) => sock.once('secureConnect', r).once('error', j));
    const { localPort } = sock;
    const got = new Promise<string>((r) => {
      let buf = '';
      sock.on('data', (d: Buffer) => {
        buf += d.toString();
        if (/^SIP\/2\.0 [2-6]\d\d [^]*\r\n\r\n/.test(buf)) r(buf);
      });
    });
    sock.write(
      [`OPTIONS sip:127.0.0.1:${port};transport=tls SIP/2.0`, `Via: SIP/2.0/TLS 127.0.0.1:${localPort};branch=z9hG4bK${callId}`, 'From: <sip:probe@127.0.0.1>;tag=p1', 'To: <sip:127.0.0.1>', `Call-ID: ${callId}`, 'CSeq: 1 OPTIONS', 'Max-Forwards: 70', 'Content-Length: 0', '', ''].join('\r\n'),
    );
    return { response: await got, fingerprint: sock.getPeerX509Certificate()!.fingerprint256 };
  } finally {
    sock.destroy();
  }
}

/** One OPTIONS over secure WebSocket (RFC 7118: one SIP message per frame, subprotocol `sip`); resolves with the response. */
async function wssOptions(port: number, callId: string): Promise<string> {
  const ws = new WebSocket(`wss://127.0.0.1:${port}`, ['sip'], { rejectUnauthorized: false });
  try {
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    const got = new Promise<string>((r) => ws.once('message', (d: Buffer) => r(d.toString())));
    ws.send(
      [`OPTIONS sip:127.0.0.1:${port};transport=wss SIP/2.0`, `Via: SIP/2.0/WSS browser.invalid;branch=z9hG4bK${callId}`, 'From: <sip:probe@127.0.0.1>;tag=w1', 'To: <sip:127.0.0.1>', `Call-ID: ${callId}`, 'CSeq: 1 OPTIONS', 'Max-Forwards: 70', 'Content-Length: 0', '', ''].join('\r\n'),
    );
    return await got;
  } finally {
    ws.close();
  }
}

test('callbox run: SIP over TLS and secure WebSocket with a certificate made on first boot, and the console setting switches the SIP trace', async (t) => {
  const dataDir = tempDir(t);
  const env = await boxEnv(dataDir);
  const sipPort = Number(env['CALLBOX_SIP_PORT']);
  const box = spawnProcess(t, process.execPath, [cli, 'run'], { env });
  await box.waitFor(/Callbox is up/, 60_000);

  const certFile = path.join(dataDir, 'tls', 'cert.pem');
  assert.ok(existsSync(certFile) && existsSync(path.join(dataDir, 'tls', 'key.pem')), 'a certificate and key were made on first boot');
  const first = await tlsOptions(sipPort + 1, `tls-${process.pid}-1`);
  assert.match(first.response, /^SIP\/2\.0 \d{3} /);
  assert.equal(first.fingerprint, new X509Certificate(readFileSync(certFile)).fingerprint256, 'the box presents its own certificate');
  const overWss = await wssOptions(Number(env.CALLBOX_SIP_WSS_PORT), `wss-${process.pid}`);
  assert.match(overWss, /^SIP\/2\.0 \d{3} [^]*Call-ID: wss-/, 'a browser phone reaches the box over wss');

  const traceFile = path.join(dataDir, 'sip-trace.txt');
  const switchFile = path.join(dataDir, 'sip-trace.on');
  assert.equal(existsSync(switchFile), false, 'the trace is off by default');
  const db = new Database(path.join(dataDir, 'callbox.db'));
  t.after(() => db.close());
  setWebSettings(db, { sipTrace: true });
  await until('the trace switch file', () => existsSync(switchFile));
  // The engine notices the switch between two messages, possibly between an OPTIONS and its answer: wait for
  // a request that was traced whole.
  let n = 0;
  await until('a traced OPTIONS', async () => {
    const id = `traced-${process.pid}-${++n}`;
    await tlsOptions(sipPort + 1, id);
    const blocks = existsSync(traceFile) ? readFileSync(traceFile, 'utf8').split(/^(?==== )/m) : [];
    return blocks.some((b) => /^=== \S+ recv from tls 127\.0\.0\.1:\d+ \(\d+ bytes\)\nOPTIONS /.test(b) && b.includes(`Call-ID: ${id}`));
  });
  setWebSettings(db, { sipTrace: false });
  await until('the trace switch file to go', () => !existsSync(switchFile));

  assert.equal(await box.stop(15_000), 0, box.output().slice(-2000));
});
