import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NonceIssuer } from '../../src/calls/digest/nonce.ts';
import { parseDigestParams } from '../../src/calls/digest/params.ts';
import { digestChallenges, digestResponse, verifyDigest } from '../../src/calls/digest/verify.ts';

test('responses match the published vectors of RFC 2617 (MD5) and RFC 7616 (SHA-256)', () => {
  assert.equal(
    digestResponse({ algorithm: 'MD5', username: 'Mufasa', realm: 'testrealm@host.com', password: 'Circle Of Life', method: 'GET', uri: '/dir/index.html', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', nc: '00000001', cnonce: '0a4f113b', qop: 'auth' }),
    '6629fae49393a05397450978507c4ef1',
  );
  assert.equal(
    digestResponse({ algorithm: 'SHA-256', username: 'Mufasa', realm: 'http-auth@example.org', password: 'Circle of Life', method: 'GET', uri: '/dir/index.html', nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v', nc: '00000001', cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ', qop: 'auth' }),
    '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
  );
});

test('credential parameters: quoted commas and escapes are kept; broken headers are refused, not guessed', () => {
  assert.deepEqual(parseDigestParams('Digest username="a,b", realm="r\\"x", nc=00000001, qop=auth'), { username: 'a,b', realm: 'r"x', nc: '00000001', qop: 'auth' });
  assert.equal(parseDigestParams('Basic dXNlcjpwYXNz'), undefined);
  assert.equal(parseDigestParams('Digest username="unterminated'), undefined);
  assert.equal(parseDigestParams('Digest username="a", username="b"'), undefined);
});

function authorize(nonce: string, nc: string, opts: { password?: string; algorithm?: string; username?: string } = {}) {
  const algorithm = opts.algorithm ?? 'SHA-256';
  const username = opts.username ?? '1001';
  const response = digestResponse({ algorithm, username, realm: 'callbox', password: opts.password ?? 'secret-1001', method: 'REGISTER', uri: 'sip:callbox', nonce, nc, cnonce: 'abc', qop: 'auth' });
  return `Digest username="${username}", realm="callbox", nonce="${nonce}", uri="sip:callbox", response="${response}", algorithm=${algorithm}, qop=auth, nc=${nc}, cnonce="abc"`;
}

test('a phone with the right password is let in with SHA-256 or MD5; wrong passwords, replays and expired nonces are not', () => {
  let now = 1_000_000;
  const nonces = new NonceIssuer({ lifetimeMs: 60_000, now: () => now });
  const lookupPassword = (u: string) => (u === '1001' ? 'secret-1001' : undefined);
  const check = (header: string) => verifyDigest({ header, method: 'REGISTER', realm: 'callbox', nonces, lookupPassword });

  const challenges = digestChallenges('callbox', nonces);
  assert.match(challenges[0] as string, /^Digest realm="callbox", nonce="[^"]+", algorithm=SHA-256, qop="auth"$/);
  assert.match(challenges[1] as string, /algorithm=MD5/);

  const nonce = nonces.issue();
  assert.deepEqual(check(authorize(nonce, '00000001')), { ok: true, username: '1001', algorithm: 'SHA-256' });
  assert.equal(check(authorize(nonce, '00000002', { algorithm: 'MD5' })).ok, true);
  const replay = check(authorize(nonce, '00000002', { algorithm: 'MD5' }));
  assert.deepEqual([replay.ok, !replay.ok && replay.reason], [false, 'nonce count replayed']);

  const wrong = check(authorize(nonces.issue(), '00000001', { password: 'guess' }));
  assert.deepEqual([wrong.ok, !wrong.ok && wrong.reason], [false, 'wrong password or unknown user']);
  const unknown = check(authorize(nonces.issue(), '00000001', { username: '9999' }));
  assert.deepEqual([unknown.ok, !unknown.ok && unknown.reason], [false, 'wrong password or unknown user']);

  const forged = check(authorize('AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA', '00000001'));
  assert.equal(forged.ok, false);

  const old = nonces.issue();
  now += 61_000;
  const stale = check(authorize(old, '00000001'));
  assert.deepEqual([stale.ok, !stale.ok && stale.stale], [false, true]);

  assert.deepEqual(check('Digest garbage'), { ok: false, reason: 'malformed credentials' });
  assert.equal(check(authorize(nonces.issue(), '00000001').replace('qop=auth', 'qop=auth-int')).ok, false);
});
