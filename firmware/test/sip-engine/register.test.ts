import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { connectApp, loose, runSipp, startTestEngine } from './helpers.ts';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** A registrar app: challenges, then checks the digest response (RFC 2617, qop-less MD5). */
test('REGISTER with a digest challenge reaches a registrar app; an OPTIONS app answers 200', async (t) => {
  const { adminPort, target } = await startTestEngine(t);
  const srf = loose(await connectApp(t, adminPort));
  const results: string[] = [];
  srf.register((req, res) => {
    const auth = req.get('Authorization');
    if (!auth) {
      res.send(401, { headers: { 'WWW-Authenticate': 'Digest realm="callbox.test", nonce="n0nce42", algorithm=MD5' } });
      return;
    }
    const f = Object.fromEntries([...auth.matchAll(/(\w+)="?([^",]+)"?/g)].map((m) => [m[1]!, m[2]!]));
    const ha1 = md5(`${f['username']}:callbox.test:pw1001`);
    const ha2 = md5(`REGISTER:${f['uri']}`);
    const ok = f['response'] === md5(`${ha1}:${f['nonce']}:${ha2}`);
    results.push(ok ? 'valid' : 'invalid');
    res.send(ok ? 200 : 403, { headers: { Contact: req.get('Contact'), Expires: '3600' } });
  });
  srf.options((_req, res) => res.send(200));
  const r = await runSipp(t, ['-sf', 'register-auth.xml', target, '-i', '127.0.0.7', '-p', '0', '-m', '3', '-r', '10']);
  assert.equal(r.code, 0, r.output);
  assert.deepEqual(results, ['valid', 'valid', 'valid']);
});
