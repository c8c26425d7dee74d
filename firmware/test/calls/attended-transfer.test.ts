import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Bridge } from '../../src/calls/bridge.ts';
import { listCdrs } from '../../src/config/repositories/cdrs.ts';
import { freePort } from '../helpers/ports.ts';
import { spawnProcess } from '../helpers/process.ts';
import { Phone, phoneRtpBase } from './baresip.ts';
import { PASSWORDS, SCENARIOS, startCallHarness, until } from './harness.ts';

const TRANSFEROR = '127.0.0.6';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

test('attended transfer (REFER with Replaces, SIPp as the transferor): the two other parties talk to each other', async (t) => {
  // SIPp 3.6 computes only MD5 and answers the first challenge it reads, so this box offers MD5 alone.
  const h = await startCallHarness(t, { digestAlgorithms: ['MD5'] });
  const alice = await Phone.start(t, { toneHz: 440, rtpBase: await phoneRtpBase() });
  const bob = await Phone.start(t, { address: '127.0.0.2', toneHz: 880, rtpBase: await phoneRtpBase() });
  await alice.register(h.sipPort, '1001', PASSWORDS['1001'] as string);
  await bob.register(h.sipPort, '1002', PASSWORDS['1002'] as string);
  const box = `127.0.0.1:${h.sipPort}`;
  const sipp = async (scenario: string, callee: string, extra: string[]) =>
    spawnProcess(t, 'sipp', ['-sf', scenario, '-s', callee, '-au', '1003', '-ap', PASSWORDS['1003'] as string, '-i', TRANSFEROR, '-p', String(await freePort(TRANSFEROR)), '-mi', TRANSFEROR, '-mp', String(await freePort(TRANSFEROR)), '-m', '1', '-nostdin', '-timeout', '40', '-timeout_error', ...extra, box], { cwd: SCENARIOS });

  // The transferor (1003) first consults Bob ...
  const consult = await sipp('transferor-consult.xml', '1002', ['-cid_str', 'consult-%u@test']);
  await bob.waitEvent('CALL_ESTABLISHED');
  const consultLeg = await until('the consultation call is bridged', () =>
    h.services.live.all().flatMap((c) => (c instanceof Bridge ? c.legs() : [])).find((l) => l.dialog.sip.callId === 'consult-1@test'),
  );
  const replaces = encodeURIComponent(`consult-1@test;to-tag=${consultLeg.dialog.sip.localTag};from-tag=${consultLeg.dialog.sip.remoteTag}`);
  // ... then calls Alice and transfers her to Bob.
  const refer = await sipp('transferor-refer.xml', '1001', ['-key', 'replaces', replaces]);
  await alice.waitEvent('CALL_ESTABLISHED');
  assert.equal((await refer.exited).code, 0, refer.output());
  assert.equal((await consult.exited).code, 0, consult.output());

  // Audio both ways within a few seconds of the transfer (a loaded machine may take a moment to re-anchor the
  // media); one window of 1.5 s with audio in both directions is what a user would call "they talk".
  let aliceHeard = 0;
  let bobHeard = 0;
  for (let i = 0; i < 6 && !(aliceHeard > 50 && bobHeard > 50); i++) {
    const a0 = total(await alice.rtpReceived());
    const b0 = total(await bob.rtpReceived());
    await sleep(1500);
    aliceHeard = total(await alice.rtpReceived()) - a0;
    bobHeard = total(await bob.rtpReceived()) - b0;
  }
  assert.ok(aliceHeard > 50, `Alice hears Bob: ${aliceHeard} packets in 1.5 s`);
  assert.ok(bobHeard > 50, `Bob hears Alice: ${bobHeard} packets in 1.5 s`);
  const calls = (await h.rtp.ng.command('list', { limit: 10 }))['calls'] as string[];
  assert.equal(calls.length, 1, 'the consultation call was deleted in rtpengine');

  alice.command('hangup');
  await bob.waitEvent('CALL_CLOSED');
  const cdrs = await until('CDRs complete', () => {
    const c = listCdrs(h.db);
    return c.length === 4 && c.every((x) => x.endedAt) && c;
  });
  assert.equal(cdrs.filter((c) => c.disposition === 'transferred').length, 2, JSON.stringify(cdrs));
});
