import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freePort } from '../helpers/ports.ts';
import { spawnProcess } from '../helpers/process.ts';
import { audioStats, Phone, phoneRtpBase } from './baresip.ts';
import { PASSWORDS, SCENARIOS, startCallHarness, until } from './harness.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

test('TCP: a SIPp phone registers and calls over TCP; the callee registered over TCP is rung on its connection; audio both ways', async (t) => {
  // SIPp 3.6 answers only the MD5 challenge.
  const h = await startCallHarness(t, { digestAlgorithms: ['MD5'] });
  const bob = await Phone.start(t, { address: '127.0.0.2', toneHz: 880, rtpBase: await phoneRtpBase() });
  await bob.register(h.sipPort, '1002', PASSWORDS['1002'] as string, { transport: 'tcp' });
  assert.equal(h.services.registrar.lookup('1002')[0]?.receivedProto, 'tcp');

  const alice = spawnProcess(
    t,
    'sipp',
    ['-sf', 'phone-register-call.xml', '-t', 't1', '-s', '1002', '-au', '1001', '-ap', PASSWORDS['1001'] as string, '-i', '127.0.0.1', '-p', String(await freePort()), '-mi', '127.0.0.1', '-mp', String(await freePort()), '-m', '1', '-nostdin', '-timeout', '30', '-timeout_error', `127.0.0.1:${h.sipPort}`],
    { cwd: SCENARIOS },
  );
  await bob.waitEvent('CALL_ESTABLISHED', 15_000).catch((err: Error) => {
    throw new Error(`${err.message}\nsipp:\n${alice.output()}`, { cause: err });
  });
  assert.equal(h.services.registrar.lookup('1001')[0]?.receivedProto, 'tcp', 'the SIPp phone registered over TCP');
  await sleep(1500);
  const calls = (await h.rtp.ng.command('list', { limit: 10 }))['calls'] as string[];
  const q = await h.rtp.ng.command('query', { 'call-id': calls[0] });
  const packets = Object.values(q['tags'] as Record<string, { medias: { streams: { stats: { packets: number } }[] }[] }>).map((tag) => tag.medias[0]?.streams[0]?.stats.packets ?? 0);
  assert.ok(packets.length === 2 && packets.every((p) => p > 40), `RTP from both phones: ${packets}`);
  assert.equal((await alice.exited).code, 0, alice.output());
  await bob.waitEvent('CALL_CLOSED');
  const heard = audioStats(bob.takeReceivedDump());
  assert.ok(Math.abs(heard.freq - 1000) < 60 && heard.rms > 0.05, `Bob heard the SIPp phone's 1000 Hz: ${JSON.stringify(heard)}`);
});

test('TLS: two baresip phones register over TLS and call each other, with audio both ways', async (t) => {
  const h = await startCallHarness(t, { tls: true });
  const tlsPort = h.tlsPort as number;
  const alice = await Phone.start(t, { address: '127.0.0.1', toneHz: 440, rtpBase: await phoneRtpBase() });
  await alice.register(tlsPort, '1001', PASSWORDS['1001'] as string, { transport: 'tls' });
  const bob = await Phone.start(t, { address: '127.0.0.2', toneHz: 880, rtpBase: await phoneRtpBase() });
  await bob.register(tlsPort, '1002', PASSWORDS['1002'] as string, { transport: 'tls' });
  assert.deepEqual([h.services.registrar.lookup('1001')[0]?.receivedProto, h.services.registrar.lookup('1002')[0]?.receivedProto], ['tls', 'tls']);

  alice.command('dial', '1002');
  await bob.waitEvent('CALL_ESTABLISHED');
  await alice.waitEvent('CALL_ESTABLISHED');
  await sleep(500);
  const a0 = total(await alice.rtpReceived());
  const b0 = total(await bob.rtpReceived());
  await sleep(2000);
  assert.ok(total(await alice.rtpReceived()) - a0 > 60, 'Alice hears Bob');
  assert.ok(total(await bob.rtpReceived()) - b0 > 60, 'Bob hears Alice');
  alice.command('hangup');
  await bob.waitEvent('CALL_CLOSED');
  await until('no call left in rtpengine', async () => ((await h.rtp.ng.command('list', { limit: 10 }))['calls'] as string[]).length === 0);
});
