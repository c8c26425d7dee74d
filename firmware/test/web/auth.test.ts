import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listAudit } from '../../src/config/repositories/audit.ts';
import { base32Encode, hotp, totpAt, verifyTotp } from '../../src/web/auth/totp.ts';
import { ADMIN_FIRST_PASSWORD, GOOD_PASSWORD, settledAdmin, startHarness } from './harness.ts';

test('first sign-in: the generated admin must change the password before anything else, then works normally', async (t) => {
  const h = await startHarness(t);
  const c = h.client();
  assert.equal((await c.get('/api/v1/extensions')).status, 401);

  const login = await c.post('/api/v1/auth/login', { username: 'admin', password: ADMIN_FIRST_PASSWORD });
  assert.equal(login.status, 200);
  assert.equal(login.body.stage, 'change-password');
  const setCookie = login.headers.getSetCookie().join('\n');
  assert.match(setCookie, /callbox_session=[^;]+;.*httponly/i);
  assert.match(setCookie, /callbox_session=[^;]+;.*samesite=strict/i);
  assert.doesNotMatch(setCookie, /secure/i, 'plain HTTP on loopback: no Secure flag (HTTPS test checks it)');

  const blocked = await c.get('/api/v1/extensions');
  assert.equal(blocked.status, 403);
  assert.equal(blocked.body.error, 'password_change_required');

  const weak = await c.post('/api/v1/auth/password', { current_password: ADMIN_FIRST_PASSWORD, new_password: 'short' });
  assert.equal(weak.status, 400);
  assert.deepEqual(weak.body.errors.map((e: { path: string }) => e.path), ['new_password']);
  const same = await c.post('/api/v1/auth/password', { current_password: ADMIN_FIRST_PASSWORD, new_password: ADMIN_FIRST_PASSWORD });
  assert.equal(same.status, 400);

  const changed = await c.post('/api/v1/auth/password', { current_password: ADMIN_FIRST_PASSWORD, new_password: GOOD_PASSWORD });
  assert.equal(changed.status, 200);
  assert.equal(changed.body.stage, 'ok');
  assert.equal((await c.get('/api/v1/extensions')).status, 200);

  const old = await h.client().post('/api/v1/auth/login', { username: 'admin', password: ADMIN_FIRST_PASSWORD });
  assert.equal(old.status, 401);
  assert.ok(listAudit(h.db).some((e) => e.action === 'auth.password-change' && e.actor === 'admin'));
});

test('sign-out ends the session on the server, not only in the browser', async (t) => {
  const h = await startHarness(t);
  const c = await settledAdmin(h);
  const token = c.cookies.get('callbox_session');
  assert.equal((await c.post('/api/v1/auth/logout')).status, 204);
  const replay = h.client();
  replay.cookies.set('callbox_session', token!);
  assert.equal((await replay.get('/api/v1/auth/me')).status, 401);
});

test('wrong passwords lock the account and the address for a while, with Retry-After, and are audited', async (t) => {
  const h = await startHarness(t, { loginPolicy: { maxFailures: 3, windowMs: 60_000, lockoutMs: 300_000 } });
  h.addUser('sam', 'supervisor');
  const c = h.client();
  for (let i = 0; i < 2; i++) assert.equal((await c.post('/api/v1/auth/login', { username: 'sam', password: 'wrong-one' })).status, 401);
  const third = await c.post('/api/v1/auth/login', { username: 'sam', password: 'wrong-one' });
  assert.equal(third.status, 429);
  assert.equal(third.headers.get('retry-after'), '300');
  // Locked: even the right password is refused until the lockout ends.
  assert.equal((await c.post('/api/v1/auth/login', { username: 'sam', password: GOOD_PASSWORD })).status, 429);
  h.clock.now += 301_000;
  assert.equal((await c.post('/api/v1/auth/login', { username: 'sam', password: GOOD_PASSWORD })).status, 200);
  const actions = listAudit(h.db).map((e) => e.action);
  assert.ok(actions.includes('auth.lockout'));
  assert.equal(actions.filter((a) => a === 'auth.login-failed').length, 2);
});

test('an unknown user is answered exactly like a wrong password', async (t) => {
  const h = await startHarness(t);
  const r = await h.client().post('/api/v1/auth/login', { username: 'nobody', password: 'whatever-1' });
  assert.equal(r.status, 401);
  assert.equal(r.body.error, 'bad_credentials');
});

test('TOTP: enrolment needs a valid code, then sign-in needs the second step, and a code cannot be replayed', async (t) => {
  const h = await startHarness(t);
  const c = await settledAdmin(h);
  const setup = await c.post('/api/v1/auth/totp/setup');
  assert.equal(setup.status, 200);
  assert.match(setup.body.uri, /^otpauth:\/\/totp\/Callbox:admin\?secret=[A-Z2-7]+/);
  const secret: string = setup.body.secret;
  assert.equal((await c.post('/api/v1/auth/totp/enable', { code: String((Number(totpAt(secret, h.clock.now)) + 1) % 1_000_000).padStart(6, '0') })).status, 400);
  assert.equal((await c.post('/api/v1/auth/totp/enable', { code: totpAt(secret, h.clock.now) })).status, 200);

  h.clock.now += 30_000;
  const c2 = h.client();
  const login = await c2.post('/api/v1/auth/login', { username: 'admin', password: GOOD_PASSWORD });
  assert.equal(login.body.stage, 'totp');
  const early = await c2.get('/api/v1/extensions');
  assert.equal(early.status, 401);
  assert.equal(early.body.error, 'totp_required');
  const code = totpAt(secret, h.clock.now);
  assert.equal((await c2.post('/api/v1/auth/totp', { code })).body.stage, 'ok');
  assert.equal((await c2.get('/api/v1/extensions')).status, 200);

  const c3 = h.client();
  await c3.post('/api/v1/auth/login', { username: 'admin', password: GOOD_PASSWORD });
  assert.equal((await c3.post('/api/v1/auth/totp', { code })).status, 401, 'the same code twice is refused');
});

test('when the owner requires TOTP for admins, an admin without one must enrol before anything else', async (t) => {
  const h = await startHarness(t);
  const c = await settledAdmin(h);
  assert.equal((await c.put('/api/v1/system/settings', { totp_required_for_admins: true })).status, 200);
  const c2 = await h.as('admin');
  const me = await c2.get('/api/v1/auth/me');
  assert.equal(me.body.stage, 'totp-setup');
  assert.equal((await c2.get('/api/v1/extensions')).body.error, 'totp_setup_required');
  const { secret } = (await c2.post('/api/v1/auth/totp/setup')).body as { secret: string };
  assert.equal((await c2.post('/api/v1/auth/totp/enable', { code: totpAt(secret, h.clock.now) })).body.stage, 'ok');
  assert.equal((await c2.get('/api/v1/extensions')).status, 200);
  assert.equal((await c2.post('/api/v1/auth/totp/disable', { password: GOOD_PASSWORD })).status, 409);
});

test('TOTP matches the RFC 6238 test vectors (SHA-1, 8 digits)', () => {
  const key = Buffer.from('12345678901234567890');
  const vectors: [number, string][] = [
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ];
  for (const [t, code] of vectors) assert.equal(hotp(key, Math.floor(t / 30), 8), code, `T=${t}`);
  const secret = base32Encode(key);
  assert.equal(verifyTotp(secret, totpAt(secret, 59_000), 59_000), 1);
  assert.equal(verifyTotp(secret, totpAt(secret, 59_000), 59_000 + 90_000), null, 'three steps later the code is stale');
});

test('a session left idle for a shift ends; one in use keeps sliding', async (t) => {
  const h = await startHarness(t);
  const c = await settledAdmin(h);
  for (let i = 0; i < 5; i++) {
    h.clock.now += 2 * 3600_000;
    assert.equal((await c.get('/api/v1/auth/me')).status, 200, `still signed in after ${(i + 1) * 2} h of use`);
  }
  h.clock.now += 8 * 3600_000 + 1000;
  const r = await c.get('/api/v1/auth/me');
  assert.equal(r.status, 401);
  assert.equal(r.body.error, 'unauthenticated');
});
