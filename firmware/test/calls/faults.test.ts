import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { spawnProcess } from '../helpers/process.ts';
import { listCdrs } from '../../src/config/repositories/cdrs.ts';
import { Phone, phoneRtpBase } from './baresip.ts';
import { PASSWORDS, startCallHarness, until, type CallHarness } from './harness.ts';
import { RawSip } from './sip-client.ts';

type Ctx = Parameters<typeof startCallHarness>[0];

async function twoPhones(t: Ctx, h: CallHarness): Promise<[Phone, Phone]> {
  const alice = await Phone.start(t, { toneHz: 440, rtpBase: await phoneRtpBase() });
  const bob = await Phone.start(t, { address: '127.0.0.2', toneHz: 880, rtpBase: await phoneRtpBase() });
  await alice.register(h.sipPort, '1001', PASSWORDS['1001'] as string);
  await bob.register(h.sipPort, '1002', PASSWORDS['1002'] as string);
  return [alice, bob];
}

async function call(alice: Phone, bob: Phone): Promise<void> {
  const a = alice.events.length;
  const b = bob.events.length;
  alice.command('dial', '1002');
  await alice.waitEvent('CALL_ESTABLISHED', 10_000, a);
  await bob.waitEvent('CALL_ESTABLISHED', 10_000, b);
}

test('the calls app restarts while phones are registered: they stay reachable without registering again', async (t) => {
  const h = await startCallHarness(t);
  const [alice, bob] = await twoPhones(t, h);
  const registrations = () => alice.events.filter((e) => e.type === 'REGISTER_OK').length + bob.events.filter((e) => e.type === 'REGISTER_OK').length;
  const before = registrations();
  await h.restartServices();
  await call(alice, bob);
  alice.command('hangup');
  await bob.waitEvent('CALL_CLOSED');
  assert.equal(registrations(), before, 'no phone had to register again');
});

test('the calls app stopping mid-call ends the call on both phones, completes the CDRs and leaves no media behind', async (t) => {
  const h = await startCallHarness(t);
  const [alice, bob] = await twoPhones(t, h);
  await call(alice, bob);
  await h.restartServices();
  await Promise.all([alice.waitEvent('CALL_CLOSED'), bob.waitEvent('CALL_CLOSED')]);
  const cdrs = listCdrs(h.db);
  assert.equal(cdrs.length, 2);
  assert.ok(cdrs.every((c) => c.endedAt && c.hangupCause === 'shutdown'), JSON.stringify(cdrs));
  assert.equal(((await h.rtp.ng.command('list', { limit: 10 }))['calls'] as string[]).length, 0);
  assert.equal(h.engine.counters().liveDialogs, 0, 'the SIP engine holds no dialog of the stopped app');
  await call(alice, bob);
});

test('rtpengine killed mid-call: both phones get BYE, the CDRs are complete, and new calls work once it is back', async (t) => {
  const h = await startCallHarness(t);
  const [alice, bob] = await twoPhones(t, h);
  await call(alice, bob);
  process.kill(h.rtp.proc.pid as number, 'SIGKILL');
  const [a, b] = await Promise.all([alice.waitEvent('CALL_CLOSED', 15_000), bob.waitEvent('CALL_CLOSED', 15_000)]);
  assert.ok(a && b);
  const cdrs = await until('CDRs complete', () => {
    const c = listCdrs(h.db);
    return c.length === 2 && c.every((x) => x.endedAt) && c;
  });
  assert.ok(cdrs.every((c) => c.answeredAt && c.hangupCause === 'media server lost'), JSON.stringify(cdrs));
  assert.equal(h.services.live.size, 0);

  // The supervisor restarts rtpengine; calls work again.
  await h.waitMedia(true, 15_000);
  await until('rtpengine answers', () => h.rtp.ng.ping(), 15_000);
  await call(alice, bob);
  alice.command('hangup');
  await bob.waitEvent('CALL_CLOSED', 10_000, bob.events.findLastIndex((e) => e.type === 'CALL_ESTABLISHED'));
});

test('rtpengine stopped for good: calls end after the grace time, new calls get 503 with Retry-After until it is back', async (t) => {
  const h = await startCallHarness(t);
  const [alice, bob] = await twoPhones(t, h);
  const raw = await RawSip.open(t, '127.0.0.4');
  const invite = (body: string, n: number) =>
    [
      `INVITE sip:1002@127.0.0.1:${h.sipPort} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.4:${raw.port};branch=z9hG4bKfault${n};rport`,
      `From: <sip:1001@127.0.0.1>;tag=f${n}`,
      `To: <sip:1002@127.0.0.1>`,
      `Call-ID: fault-${n}@test`,
      `CSeq: 1 INVITE`,
      `Contact: <sip:1001@127.0.0.4:${raw.port}>`,
      'Max-Forwards: 70',
      'Content-Type: application/sdp',
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n');
  const sdp = ['v=0', 'o=- 1 1 IN IP4 127.0.0.4', 's=-', 'c=IN IP4 127.0.0.4', 't=0 0', 'm=audio 40000 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', ''].join('\r\n');
  const final = (n: number) => raw.next((m) => m.status >= 200 && m.get('call-id') === `fault-${n}@test`);

  raw.send(invite('v=0\r\nthis is not an SDP\r\n', 1), h.sipPort);
  assert.equal((await final(1)).status, 488);

  await call(alice, bob);
  await h.rtp.proc.stop();
  await h.waitMedia(false);
  await Promise.all([alice.waitEvent('CALL_CLOSED'), bob.waitEvent('CALL_CLOSED')]);
  assert.ok(listCdrs(h.db).every((c) => c.endedAt && c.hangupCause === 'media server lost'));
  raw.send(invite(sdp, 2), h.sipPort);
  const refused = await final(2);
  assert.equal(refused.status, 503);
  assert.equal(refused.get('retry-after'), '30');

  await h.rtp.proc.start();
  await h.waitMedia(true);
  const before = alice.events.length;
  await call(alice, bob);
  alice.command('hangup');
  await alice.waitEvent('CALL_CLOSED', 10_000, before);
  const since = alice.events.length;
  alice.command('dial', '1999');
  const closed = await alice.waitEvent('CALL_CLOSED', 10_000, since);
  assert.match(closed.param ?? '', /404/);
});

test('the calls app crashes mid-call (SIGKILL): the next start hangs up both phones and ends the CDRs', async (t) => {
  const h = await startCallHarness(t);
  const [alice, bob] = await twoPhones(t, h);
  // Swap the in-process app for one in a child process that can really crash.
  await h.services.stop();
  const app = spawnProcess(t, process.execPath, [path.join(import.meta.dirname, 'app-process.ts'), String(h.adminPort), 'test-secret', String(h.rtp.ngPort), h.dataDir]);
  await app.waitFor(/calls app ready/);
  await call(alice, bob);
  app.child.kill('SIGKILL');
  await app.exited;
  await h.restartServices();
  await Promise.all([alice.waitEvent('CALL_CLOSED'), bob.waitEvent('CALL_CLOSED')]);
  const cdrs = listCdrs(h.db);
  assert.ok(cdrs.length === 2 && cdrs.every((c) => c.endedAt && c.hangupCause === 'app restarted'), JSON.stringify(cdrs));
  // Its media is deleted by the reconcile, and calls work again.
  await until('orphan media deleted', async () => ((await h.rtp.ng.command('list', { limit: 10 }))['calls'] as string[]).length === 0);
  await call(alice, bob);
});
