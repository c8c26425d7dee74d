import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listCdrs } from '../../src/config/repositories/cdrs.ts';
import { audioStats, packetsInWindow, Phone, phoneRtpBase, talkBothWays, totalPackets as total } from './baresip.ts';
import { freePort } from '../helpers/ports.ts';
import { spawnProcess } from '../helpers/process.ts';
import { PASSWORDS, SCENARIOS, startCallHarness, until, type CallHarness } from './harness.ts';
import { NattedPhone } from './natted-phone.ts';
import { reply } from './raw-calls.ts';
import { RawSip, Registration } from './sip-client.ts';

type Ctx = Parameters<typeof startCallHarness>[0];

async function phones(t: Ctx, h: CallHarness, list: [string, string, number][]): Promise<Phone[]> {
  const out: Phone[] = [];
  for (const [ext, address, hz] of list) {
    const p = await Phone.start(t, { address, toneHz: hz, rtpBase: await phoneRtpBase() });
    await p.register(h.sipPort, ext, PASSWORDS[ext] as string);
    out.push(p);
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('hold and resume: the held party gets music on hold from rtpengine, two-way audio after resume', async (t) => {
  const h = await startCallHarness(t);
  const [alice, bob] = (await phones(t, h, [['1001', '127.0.0.1', 440], ['1002', '127.0.0.2', 880]])) as [Phone, Phone];
  alice.command('dial', '1002');
  await alice.waitEvent('CALL_ESTABLISHED');
  await bob.waitEvent('CALL_ESTABLISHED');
  await sleep(1000);
  const beforeHold = await bob.rtpReceived();
  const aliceSsrc = [...beforeHold.keys()];
  assert.ok(total(beforeHold) > 30, 'Bob hears Alice before the hold');

  alice.command('hold');
  await sleep(2500);
  const duringHold = await bob.rtpReceived();
  const music = [...duringHold].filter(([ssrc]) => !aliceSsrc.includes(ssrc));
  // Alice sends nothing while holding (baresip), so what Bob receives now is rtpengine's music on hold.
  assert.equal(music.length, 1, `a new RTP source (the music) reached Bob: ${JSON.stringify([...duringHold])}`);
  assert.ok((music[0]?.[1] ?? 0) > 80, `music packets: ${music[0]?.[1]}`);

  alice.command('resume');
  await sleep(500);
  const resumed = await bob.rtpReceived();
  const aliceAgain = await alice.rtpReceived();
  await sleep(2000);
  const bobLater = await bob.rtpReceived();
  const aliceLater = await alice.rtpReceived();
  assert.ok(total(bobLater) - total(resumed) > 60, `Bob hears Alice again: ${total(resumed)} -> ${total(bobLater)}`);
  assert.ok(total(aliceLater) - total(aliceAgain) > 60, `Alice hears Bob again: ${total(aliceAgain)} -> ${total(aliceLater)}`);
  // The music stopped: its source no longer grows.
  const musicSsrc = music[0]?.[0] as string;
  assert.ok((bobLater.get(musicSsrc) ?? 0) - (resumed.get(musicSsrc) ?? 0) < 10, 'music stopped after resume');
  alice.command('hangup');
  await bob.waitEvent('CALL_CLOSED');
});

test('blind transfer (REFER): the transferee talks to the target, the transferor leaves', async (t) => {
  const h = await startCallHarness(t);
  const [alice, bob, chloe] = (await phones(t, h, [['1001', '127.0.0.1', 440], ['1002', '127.0.0.2', 880], ['1003', '127.0.0.3', 660]])) as [Phone, Phone, Phone];
  alice.command('dial', '1002');
  await alice.waitEvent('CALL_ESTABLISHED');
  await bob.waitEvent('CALL_ESTABLISHED');
  await sleep(800);
  bob.command('transfer', '1003');
  const chloeUp = await chloe.waitEvent('CALL_ESTABLISHED');
  assert.match(chloeUp.peeruri ?? '', /1001@/, 'Chloe sees the transferee (Alice) calling');
  await bob.waitEvent('CALL_CLOSED');
  // Under the load of a full test run the transferee's audio has started up to a few seconds late (seen twice in
  // fresh-clone runs, never alone): the assertion is that it comes, as in the attended-transfer tests.
  await talkBothWays(['Alice', 'Chloe'], async () => total(await alice.rtpReceived()), async () => total(await chloe.rtpReceived()));
  alice.command('hangup');
  await chloe.waitEvent('CALL_CLOSED');
  const heard = audioStats(chloe.takeReceivedDump());
  assert.ok(Math.abs(heard.freq - 440) < 40 && heard.rms > 0.05, `Chloe heard Alice's 440 Hz: ${JSON.stringify(heard)}`);
  const cdrs = await until('CDRs complete', () => {
    const c = listCdrs(h.db);
    return c.length === 3 && c.every((x) => x.endedAt) && c;
  });
  assert.equal(new Set(cdrs.map((c) => c.interactionId)).size, 1, 'one interaction across the transfer');
  assert.equal(cdrs.find((c) => c.extension === '1002')?.disposition, 'transferred');
  await until('rtpengine call deleted', async () => ((await h.rtp.ng.command('list', { limit: 10 }))['calls'] as string[]).length === 0);
});

test('blind transfer of a call the transferor held first, to a phone behind NAT: the music stops and the two talk', async (t) => {
  const h = await startCallHarness(t);
  const [alice, bob] = (await phones(t, h, [['1001', '127.0.0.1', 440], ['1002', '127.0.0.2', 880]])) as [Phone, Phone];
  const chloe = await NattedPhone.start(t, { sipPort: h.sipPort, user: '1003', password: PASSWORDS['1003'] as string });
  alice.command('dial', '1002');
  await alice.waitEvent('CALL_ESTABLISHED');
  await bob.waitEvent('CALL_ESTABLISHED');
  bob.command('hold');
  await sleep(1000);
  bob.command('transfer', '1003');
  await bob.waitEvent('CALL_CLOSED');
  await talkBothWays(['Alice', 'Chloe'], async () => total(await alice.rtpReceived()), () => Promise.resolve(chloe.heard));
  // One stream reaches Alice now: Chloe's. Music on hold still playing would be a second one.
  const a0 = await alice.rtpReceived();
  await sleep(1000);
  const a1 = await alice.rtpReceived();
  const growing = [...a1].filter(([ssrc, n]) => n - (a0.get(ssrc) ?? 0) > 10);
  assert.equal(growing.length, 1, `streams Alice receives: ${JSON.stringify([...a1])}`);
  alice.command('hangup');
  await until('the call ended', () => h.services.live.size === 0);
});

test('blind transfer the target refuses (486): the transferor still hears the other party', async (t) => {
  // SIPp is the transferor: baresip hangs up by itself when its transfer fails.
  const h = await startCallHarness(t, { digestAlgorithms: ['MD5'] });
  const [alice] = (await phones(t, h, [['1001', '127.0.0.1', 440]])) as [Phone];
  const busy = await RawSip.open(t, '127.0.0.3');
  assert.equal((await new Registration(busy, h.sipPort, '1002').send({ contact: `<sip:1002@127.0.0.3:${busy.port}>`, expires: 300, password: PASSWORDS['1002'] as string })).status, 200);
  const at = '127.0.0.6';
  // The transferor echoes what it hears, so Alice hearing herself proves audio both ways with it.
  const transferor = spawnProcess(t, 'sipp', ['-sf', 'transferor-blind-refused.xml', '-s', '1001', '-au', '1003', '-ap', PASSWORDS['1003'] as string, '-i', at, '-p', String(await freePort(at)), '-mi', at, '-mp', String(await freePort(at)), '-rtp_echo', '-m', '1', '-nostdin', '-timeout', '40', '-timeout_error', `127.0.0.1:${h.sipPort}`], { cwd: SCENARIOS });
  await alice.waitEvent('CALL_ESTABLISHED');
  const invite = await busy.next((m) => m.start.startsWith('INVITE '), 10_000);
  busy.send(reply(invite, '486 Busy Here'), h.sipPort);
  await until('the transfer failed', () => listCdrs(h.db).some((c) => c.callee === '1002' && c.endedAt));
  const echoed = await packetsInWindow(alice);
  assert.ok(echoed > 50, `Alice hears the transferor (its echo of her): ${echoed} packets in 1.5 s`);
  assert.equal((await transferor.exited).code, 0, transferor.output());
});

test('DND with forward-on-busy, and forward on no answer after the ring timeout', async (t) => {
  const h = await startCallHarness(t);
  const [alice, bob] = (await phones(t, h, [['1001', '127.0.0.1', 440], ['1002', '127.0.0.2', 880]])) as [Phone, Phone];
  const chloe = await Phone.start(t, { address: '127.0.0.3', toneHz: 660, rtpBase: await phoneRtpBase() });
  await chloe.register(h.sipPort, '1003', PASSWORDS['1003'] as string, { answer: 'manual' });
  // 1004 is on DND and forwards busy calls to 1002.
  alice.command('dial', '1004');
  const up = await bob.waitEvent('CALL_ESTABLISHED');
  assert.match(up.peeruri ?? '', /1001@/);
  await alice.waitEvent('CALL_ESTABLISHED');
  alice.command('hangup');
  await bob.waitEvent('CALL_CLOSED');

  // 1003 rings (Chloe does not pick up) for its 5 s ring timeout, then forwards on no answer to 1001.
  const since = alice.events.length;
  const started = Date.now();
  bob.command('dial', '1003');
  await chloe.waitEvent('CALL_INCOMING');
  const fwd = await alice.waitEvent('CALL_ESTABLISHED', 15_000, since);
  assert.ok(Date.now() - started >= 4500, 'forwarded only after the ring timeout');
  await chloe.waitEvent('CALL_CLOSED');
  assert.match(fwd.peeruri ?? '', /1002@/);
  await bob.waitEvent('CALL_ESTABLISHED', 10_000, bob.events.findIndex((e) => e.type === 'CALL_CLOSED') + 1);
  bob.command('hangup');
  await alice.waitEvent('CALL_CLOSED', 10_000, since);
});

test('call pickup: a phone in the same pickup group takes a call ringing at another extension with *8', async (t) => {
  const h = await startCallHarness(t);
  const [alice, bob] = (await phones(t, h, [['1001', '127.0.0.1', 440], ['1002', '127.0.0.2', 880]])) as [Phone, Phone];
  const chloe = await Phone.start(t, { address: '127.0.0.3', toneHz: 660, rtpBase: await phoneRtpBase() });
  await chloe.register(h.sipPort, '1003', PASSWORDS['1003'] as string, { answer: 'manual' });
  alice.command('dial', '1003');
  await chloe.waitEvent('CALL_INCOMING');
  bob.command('dial', '*8');
  await bob.waitEvent('CALL_ESTABLISHED');
  await alice.waitEvent('CALL_ESTABLISHED');
  await chloe.waitEvent('CALL_CLOSED');
  await sleep(500);
  const a0 = total(await alice.rtpReceived());
  const b0 = total(await bob.rtpReceived());
  await sleep(2000);
  assert.ok(total(await alice.rtpReceived()) - a0 > 60, 'Alice hears Bob');
  assert.ok(total(await bob.rtpReceived()) - b0 > 60, 'Bob hears Alice');
  alice.command('hangup');
  await bob.waitEvent('CALL_CLOSED');
  const cdrs = await until('CDRs complete', () => {
    const c = listCdrs(h.db);
    return c.length === 3 && c.every((x) => x.endedAt) && c;
  });
  assert.equal(cdrs.find((c) => c.extension === '1002')?.disposition, 'answered');
  assert.equal(cdrs.find((c) => c.extension === '1003')?.disposition, 'cancelled');

  // Nothing ringing: the code is refused.
  const since = bob.events.length;
  bob.command('dial', '*8');
  const refused = await bob.waitEvent('CALL_CLOSED', 10_000, since);
  assert.match(refused.param ?? '', /404/);
});
