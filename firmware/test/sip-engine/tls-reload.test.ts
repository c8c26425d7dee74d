import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import tls from 'node:tls';
import { Transports } from '../../src/sip-engine/transport/transports.ts';
import { tempDir } from '../helpers/tmp.ts';

function selfSigned(dir: string, name: string): { key: string; cert: string } {
  const key = path.join(dir, `${name}.key`);
  const cert = path.join(dir, `${name}.crt`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', `/CN=${name}`], { stdio: 'ignore' });
  return { key, cert };
}

/** The CN of the certificate a new TLS connection to the listen point is shown. */
async function servedName(port: number): Promise<string> {
  const sock = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false });
  try {
    await new Promise<void>((resolve, reject) => sock.once('secureConnect', resolve).once('error', reject));
    return String(sock.getPeerCertificate().subject.CN);
  } finally {
    sock.destroy();
  }
}

async function eventually(what: string, check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('TLS: a replaced key and certificate serve new connections without a restart; a bad pair is refused and the old one kept', async (t) => {
  const dir = tempDir(t);
  const first = selfSigned(dir, 'first');
  const second = selfSigned(dir, 'second');
  const live = { key: path.join(dir, 'key.pem'), cert: path.join(dir, 'cert.pem') };
  copyFileSync(first.key, live.key);
  copyFileSync(first.cert, live.cert);
  const errors: string[] = [];
  const transports = new Transports({
    listen: [{ proto: 'tls', host: '127.0.0.1', port: 0 }],
    tcpIdleMs: 10_000,
    maxConnsPerAddress: 10,
    onMessage: () => undefined,
    onStreamError: () => undefined,
    onError: (err) => errors.push(err.message),
    tls: { key: readFileSync(live.key), cert: readFileSync(live.cert), files: live },
    tlsPollMs: 100,
  });
  await transports.start();
  t.after(() => transports.close());
  const port = transports.bound[0]!.port;
  assert.equal(await servedName(port), 'first');

  // an upload as the console does it: the key first, then the certificate, each replaced by a rename
  copyFileSync(second.key, `${live.key}.new`);
  renameSync(`${live.key}.new`, live.key);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await servedName(port), 'first', 'a new key with the old certificate is not a pair');
  copyFileSync(second.cert, `${live.cert}.new`);
  renameSync(`${live.cert}.new`, live.cert);
  await eventually('the new certificate served', async () => (await servedName(port)) === 'second');

  errors.length = 0;
  writeFileSync(live.cert, '-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n');
  await eventually('the bad certificate reported', async () => errors.length > 0);
  assert.match(errors[0]!, /TLS key\/certificate not reloaded, the previous pair stays in use/);
  assert.equal(await servedName(port), 'second');
});
