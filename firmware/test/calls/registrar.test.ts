import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import type { AuthFailure } from '../../src/calls/registrar.ts';
import type { Binding } from '../../src/config/repositories/registrations.ts';
import { Phone, phoneRtpBase } from './baresip.ts';
import { PASSWORDS, startCallHarness, testSite, until } from './harness.ts';
import { RawSip, Registration } from './sip-client.ts';

const DIGEST_EXTENSIONS = `
  - { number: "1005", name: Eva Schulz, password: "pw-1005-secret", digest_algorithms: [SHA-256, MD5] }
  - { number: "1006", name: Femi Adeyemi, password: "pw-1006-secret", digest_algorithms: [SHA-256] }
`;
PASSWORDS['1005'] = 'pw-1005-secret';
PASSWORDS['1006'] = 'pw-1006-secret';

test('REGISTER: each extension is offered its own digest algorithms (MD5 by default), one challenge per header; an answer with an algorithm not offered is refused', async (t) => {
  const h = await startCallHarness(t, { site: (p) => testSite(p, { extensions: DIGEST_EXTENSIONS }) });
  const c = await RawSip.open(t);
  const offered = async (user: string) => (await new Registration(c, h.sipPort, user).send({ contact: `<sip:${user}@127.0.0.1:${c.port}>` })).all('www-authenticate');
  const byDefault = await offered('1001');
  assert.equal(byDefault.length, 1);
  assert.match(byDefault[0] as string, /algorithm=MD5/);
  const both = await offered('1005');
  assert.deepEqual(both.map((v) => /algorithm=([\w-]+)/.exec(v)?.[1]), ['SHA-256', 'MD5']);
  // An unknown user is challenged like a default extension, so the 401 tells nobody which extensions exist.
  assert.deepEqual((await offered('1999')).map((v) => /algorithm=([\w-]+)/.exec(v)?.[1]), ['MD5']);
  const downgrade = await new Registration(c, h.sipPort, '1006').send({ contact: `<sip:1006@127.0.0.1:${c.port}>`, password: PASSWORDS['1006'] as string, answerWith: 'MD5' });
  assert.equal(downgrade.status, 403, 'an MD5 answer for a SHA-256-only extension is a downgrade');
  const sha = await new Registration(c, h.sipPort, '1006').send({ contact: `<sip:1006@127.0.0.1:${c.port}>`, password: PASSWORDS['1006'] as string, algorithm: 'SHA-256' });
  assert.equal(sha.status, 200);
});

test('REGISTER: with both algorithms as the box default, SHA-256 and MD5 both register; several contacts; un-REGISTER one and then all', async (t) => {
  const h = await startCallHarness(t, { digestAlgorithms: ['SHA-256', 'MD5'] });
  const c = await RawSip.open(t);
  const reg = new Registration(c, h.sipPort, '1001');

  const events: string[] = [];
  h.services.registrar.on('register', (b: Binding) => events.push(`register ${b.contact}`));
  h.services.registrar.on('unregister', (b: Binding) => events.push(`unregister ${b.contact}`));
  const ok = await reg.send({ contact: `<sip:1001@127.0.0.1:${c.port}>`, expires: 120, password: PASSWORDS['1001'] as string, algorithm: 'SHA-256' });
  assert.equal(ok.status, 200);
  assert.match(ok.get('contact') ?? '', /expires=120/);

  const desk = new Registration(c, h.sipPort, '1001');
  const ok2 = await desk.send({ contact: '<sip:1001@10.9.9.9:5070>', expires: 300, password: PASSWORDS['1001'] as string, algorithm: 'MD5' });
  assert.equal(ok2.status, 200);
  assert.equal(ok2.all('contact').join(',').split('<sip:').length - 1, 2, `both contacts listed: ${ok2.raw}`);
  assert.equal(h.services.registrar.lookup('1001').length, 2);

  assert.equal((await desk.send({ contact: '<sip:1001@10.9.9.9:5070>', expires: 0, password: PASSWORDS['1001'] as string })).status, 200);
  assert.deepEqual(h.services.registrar.lookup('1001').map((b) => b.contact), [`sip:1001@127.0.0.1:${c.port}`]);
  assert.equal((await reg.send({ contact: '*', expires: 0, password: PASSWORDS['1001'] as string })).status, 200);
  assert.equal(h.services.registrar.lookup('1001').length, 0);
  assert.deepEqual(events, [`register sip:1001@127.0.0.1:${c.port}`, 'register sip:1001@10.9.9.9:5070', 'unregister sip:1001@10.9.9.9:5070', `unregister sip:1001@127.0.0.1:${c.port}`]);
});

test('REGISTER: a wrong password gets 403 and is counted; too short an Expires gets 423 with Min-Expires', async (t) => {
  const h = await startCallHarness(t);
  const c = await RawSip.open(t);
  const failed = once(h.services.registrar, 'authFailure') as Promise<[AuthFailure]>;
  const bad = await new Registration(c, h.sipPort, '1002').send({ contact: `<sip:1002@127.0.0.1:${c.port}>`, password: 'not-the-password' });
  assert.equal(bad.status, 403);
  const [failure] = await failed;
  assert.equal(failure.username, '1002');
  assert.match(failure.source, /127\.0\.0\.1:/);
  assert.equal(h.services.registrar.authFailures, 1);
  // Another extension's password does not register this one.
  const other = await new Registration(c, h.sipPort, '1002').send({ contact: `<sip:1002@127.0.0.1:${c.port}>`, password: PASSWORDS['1001'] as string });
  assert.equal(other.status, 403);

  const brief = await new Registration(c, h.sipPort, '1002').send({ contact: `<sip:1002@127.0.0.1:${c.port}>`, expires: 5, password: PASSWORDS['1002'] as string });
  assert.equal(brief.status, 423);
  assert.equal(brief.get('min-expires'), '30');
  assert.equal(h.services.registrar.lookup('1002').length, 0);
});

test('a binding expires when not refreshed, and the expire event fires', async (t) => {
  const h = await startCallHarness(t, { registrar: { minExpiresS: 1, expiryCheckMs: 100 } });
  const c = await RawSip.open(t);
  const expired = once(h.services.registrar, 'expire') as Promise<[Binding]>;
  assert.equal((await new Registration(c, h.sipPort, '1003').send({ contact: `<sip:1003@127.0.0.1:${c.port}>`, expires: 1, password: PASSWORDS['1003'] as string })).status, 200);
  assert.equal(h.services.registrar.lookup('1003').length, 1);
  const [b] = await expired;
  assert.equal(b.extension, '1003');
  assert.equal(h.services.registrar.lookup('1003').length, 0);
});

test('behind NAT: calls go to the address the REGISTER came from, not to the private Contact', async (t) => {
  const h = await startCallHarness(t);
  const natted = await RawSip.open(t, '127.0.0.3');
  const reg = new Registration(natted, h.sipPort, '1002');
  assert.equal((await reg.send({ contact: '<sip:1002@192.168.77.10:5060>', expires: 300, password: PASSWORDS['1002'] as string })).status, 200);
  const alice = await Phone.start(t, { toneHz: 440, rtpBase: await phoneRtpBase() });
  await alice.register(h.sipPort, '1001', PASSWORDS['1001'] as string);
  alice.command('dial', '1002');
  const invite = await natted.next((m) => m.start.startsWith('INVITE '));
  assert.match(invite.start, /^INVITE sip:1002@192\.168\.77\.10:5060 /);
  assert.match(invite.get('from') ?? '', /"Alice Becker" <sip:1001@/);
  // The phone sees rtpengine's address in the offer, never Alice's.
  assert.match(invite.body, /c=IN IP4 127\.0\.0\.1/);
  assert.doesNotMatch(invite.body, new RegExp(`m=audio (${alice.rtpPortsPattern()}) `));
  const via = invite.all('via').join('\r\nVia: ');
  natted.send([`SIP/2.0 486 Busy Here`, `Via: ${via}`, `From: ${invite.get('from')}`, `To: ${invite.get('to')};tag=busy1`, `Call-ID: ${invite.get('call-id')}`, `CSeq: ${invite.get('cseq')}`, 'Content-Length: 0', '', ''].join('\r\n'), h.sipPort);
  const closed = await alice.waitEvent('CALL_CLOSED');
  assert.match(closed.param ?? '', /486/);
  await until('no rtpengine call left', async () => ((await h.rtp.ng.command('list', { limit: 10 }))['calls'] as string[]).length === 0);
});

test('REGISTER: extensions changed by `callbox config apply` in another process count at the next REGISTER: a new password replaces the old one, a removed extension is refused, an added one registers', { timeout: 90_000 }, async (t) => {
  const h = await startCallHarness(t);
  const c = await RawSip.open(t);
  const register = (user: string, password: string) => new Registration(c, h.sipPort, user).send({ contact: `<sip:${user}@127.0.0.1:${c.port}>`, expires: 300, password });
  assert.equal((await register('1001', PASSWORDS['1001'] as string)).status, 200);
  assert.equal((await register('1004', PASSWORDS['1004'] as string)).status, 200);

  const changedPassword = 'pw-1001-changed';
  const site = testSite(h.carrierPort, { extensions: '  - { number: "1007", name: Gina Rossi, password: "pw-1007-secret" }' })
    .replace(PASSWORDS['1001'] as string, changedPassword)
    .replace(/^ {2}- \{ number: "1004".*\n/m, '');
  const file = path.join(h.dataDir, 'changed-site.yaml');
  writeFileSync(file, site);
  const cli = path.resolve(import.meta.dirname, '../../src/cli.ts');
  await promisify(execFile)(process.execPath, [cli, 'config', 'apply', file], { env: { ...process.env, CALLBOX_DATA_DIR: h.dataDir } });

  // No waiting: the REGISTER right after the apply already sees the new configuration.
  assert.equal((await register('1001', PASSWORDS['1001'] as string)).status, 403, 'the old password no longer registers');
  assert.equal((await register('1004', PASSWORDS['1004'] as string)).status, 403, 'a removed extension no longer registers');
  assert.equal((await register('1007', 'pw-1007-secret')).status, 200, 'an added extension registers');
  const phone = await Phone.start(t, { toneHz: 440, rtpBase: await phoneRtpBase() });
  await phone.register(h.sipPort, '1001', changedPassword);
  assert.ok(h.services.registrar.lookup('1001').some((b) => b.receivedPort !== c.port), 'the phone is bound to 1001');
});
