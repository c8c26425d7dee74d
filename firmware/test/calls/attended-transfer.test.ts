import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { Bridge } from '../../src/calls/bridge.ts';
import { listCdrs } from '../../src/config/repositories/cdrs.ts';
import { freePort } from '../helpers/ports.ts';
import { spawnProcess } from '../helpers/process.ts';
import { packetsInWindow, Phone, phoneRtpBase, talkBothWays, totalPackets as total } from './baresip.ts';
import { PASSWORDS, SCENARIOS, startCallHarness, until, type CallHarness } from './harness.ts';
import { NattedPhone } from './natted-phone.ts';

const TRANSFEROR = '127.0.0.6';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The transferor (1003, SIPp) consults Bob (1002), then calls Alice (1001, baresip) and transfers her to Bob with
 * REFER and Replaces. Returns once both SIPp legs are done (the box hung up both).
 */
async function consultThenTransfer(t: TestContext, h: CallHarness, alice: Phone, bobAnswered: () => Promise<unknown>, referScenario = 'transferor-refer.xml'): Promise<void> {
  const { consult, refer } = await startTransfer(t, h, alice, bobAnswered, referScenario);
  assert.equal((await refer.exited).code, 0, refer.output());
  assert.equal((await consult.exited).code, 0, consult.output());
}

/** The two SIPp legs of the transferor, once Alice answered the second one (the REFER follows 1 s later). */
async function startTransfer(t: TestContext, h: CallHarness, alice: Phone, bobAnswered: () => Promise<unknown>, referScenario: string, referExtra: string[] = []) {
  const box = `127.0.0.1:${h.sipPort}`;
  const sipp = async (scenario: string, callee: string, extra: string[]) =>
    spawnProcess(t, 'sipp', ['-sf', scenario, '-s', callee, '-au', '1003', '-ap', PASSWORDS['1003'] as string, '-i', TRANSFEROR, '-p', String(await freePort(TRANSFEROR)), '-mi', TRANSFEROR, '-mp', String(await freePort(TRANSFEROR)), '-m', '1', '-nostdin', '-timeout', '40', '-timeout_error', ...extra, box], { cwd: SCENARIOS });

  const consult = await sipp('transferor-consult.xml', '1002', ['-cid_str', 'consult-%u@test']);
  await bobAnswered();
  const consultLeg = await until('the consultation call is bridged', () =>
    h.services.live.all().flatMap((c) => (c instanceof Bridge ? c.legs() : [])).find((l) => l.dialog.sip.callId === 'consult-1@test'),
  );
  const replaces = encodeURIComponent(`consult-1@test;to-tag=${consultLeg.dialog.sip.localTag};from-tag=${consultLeg.dialog.sip.remoteTag}`);
  const refer = await sipp(referScenario, '1001', ['-key', 'replaces', replaces, ...referExtra]);
  await alice.waitEvent('CALL_ESTABLISHED');
  return { consult, refer };
}

test('attended transfer (REFER with Replaces, SIPp as the transferor): the two other parties talk to each other', async (t) => {
  // SIPp 3.6 computes only MD5 and answers the first challenge it reads, so this box offers MD5 alone.
  const h = await startCallHarness(t, { digestAlgorithms: ['MD5'] });
  const alice = await Phone.start(t, { toneHz: 440, rtpBase: await phoneRtpBase() });
  const bob = await Phone.start(t, { address: '127.0.0.2', toneHz: 880, rtpBase: await phoneRtpBase() });
  await alice.register(h.sipPort, '1001', PASSWORDS['1001'] as string);
  await bob.register(h.sipPort, '1002', PASSWORDS['1002'] as string);
  await consultThenTransfer(t, h, alice, () => bob.waitEvent('CALL_ESTABLISHED'));
  await talkBothWays(['Alice', 'Bob'], async () => total(await alice.rtpReceived()), async () => total(await bob.rtpReceived()));
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

test('attended transfer to a phone behind NAT: the box sends it the audio from the port it sends to, so the NAT lets it in', async (t) => {
  const h = await startCallHarness(t, { digestAlgorithms: ['MD5'] });
  const alice = await Phone.start(t, { toneHz: 440, rtpBase: await phoneRtpBase() });
  await alice.register(h.sipPort, '1001', PASSWORDS['1001'] as string);
  const bob = await NattedPhone.start(t, { sipPort: h.sipPort, user: '1002', password: PASSWORDS['1002'] as string });
  // Bob answers by himself; the transfer waits until the consultation call is bridged.
  await consultThenTransfer(t, h, alice, () => Promise.resolve());
  await talkBothWays(['Alice', 'Bob'], async () => total(await alice.rtpReceived()), async () => Promise.resolve(bob.heard));
});

test('attended transfer of a call the transferor put on hold first (as desk phones do): the music stops and both talk', async (t) => {
  const h = await startCallHarness(t, { digestAlgorithms: ['MD5'] });
  const alice = await Phone.start(t, { toneHz: 440, rtpBase: await phoneRtpBase() });
  const bob = await Phone.start(t, { address: '127.0.0.2', toneHz: 880, rtpBase: await phoneRtpBase() });
  await alice.register(h.sipPort, '1001', PASSWORDS['1001'] as string);
  await bob.register(h.sipPort, '1002', PASSWORDS['1002'] as string);
  await consultThenTransfer(t, h, alice, () => bob.waitEvent('CALL_ESTABLISHED'), 'transferor-hold-refer.xml');
  await talkBothWays(['Alice', 'Bob'], async () => total(await alice.rtpReceived()), async () => total(await bob.rtpReceived()));
  // One stream reaches Alice now: Bob's. Music on hold still playing would be a second one.
  const a0 = await alice.rtpReceived();
  await sleep(1000);
  const a1 = await alice.rtpReceived();
  const growing = [...a1].filter(([ssrc, n]) => n - (a0.get(ssrc) ?? 0) > 10).map(([ssrc]) => ssrc);
  assert.equal(growing.length, 1, `streams Alice receives: ${JSON.stringify([...a1])}`);
});

test('attended transfer the moving party refuses (488 to the re-INVITE): the transferor and the other party still hear each other', async (t) => {
  const h = await startCallHarness(t, { digestAlgorithms: ['MD5'] });
  const alice = await Phone.start(t, { toneHz: 440, rtpBase: await phoneRtpBase() });
  await alice.register(h.sipPort, '1001', PASSWORDS['1001'] as string);
  const bob = await NattedPhone.start(t, { sipPort: h.sipPort, user: '1002', password: PASSWORDS['1002'] as string, refuseReinvites: true });
  // The transferor echoes what it hears, so Alice hearing herself proves audio both ways with it.
  const { refer } = await startTransfer(t, h, alice, () => Promise.resolve(), 'transferor-refer-refused.xml', ['-rtp_echo']);
  await until('Bob refused the transfer', () => bob.refused > 0);
  const echoed = await packetsInWindow(alice);
  assert.ok(echoed > 50, `Alice hears the transferor (its echo of her): ${echoed} packets in 1.5 s`);
  assert.equal((await refer.exited).code, 0, refer.output());
});
