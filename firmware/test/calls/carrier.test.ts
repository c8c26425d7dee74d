import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listCdrs } from '../../src/config/repositories/cdrs.ts';
import { spawnProcess } from '../helpers/process.ts';
import { audioStats, Phone, phoneRtpBase } from './baresip.ts';
import { CARRIER_HOST, PASSWORDS, SCENARIOS, startCallHarness, until, type CallHarness } from './harness.ts';
import { freePort } from '../helpers/ports.ts';
import { tempDir } from '../helpers/tmp.ts';
import { digestResponse } from '../../src/calls/digest/verify.ts';
import { parseDigestParams } from '../../src/calls/digest/params.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';

type Ctx = Parameters<typeof startCallHarness>[0];

/** SIPp as the carrier on 127.0.0.5; its message trace goes to `trace`. */
async function sipp(t: Ctx, h: CallHarness, args: string[], trace = path.join(tempDir(t), 'sipp.log')) {
  const mp = await freePort(CARRIER_HOST);
  const proc = spawnProcess(t, 'sipp', [...args, '-i', CARRIER_HOST, '-p', String(h.carrierPort), '-mi', CARRIER_HOST, '-mp', String(mp), '-nostdin', '-timeout', '30', '-timeout_error', '-m', '1', '-trace_msg', '-message_file', trace], { cwd: SCENARIOS });
  return Object.assign(proc, { trace });
}

/** Packets rtpengine received from each party of its only call. */
async function packetsPerParty(h: CallHarness): Promise<number[]> {
  const calls = (await h.rtp.ng.command('list', { limit: 10 }))['calls'] as string[];
  assert.equal(calls.length, 1, 'one call anchored in rtpengine');
  const q = await h.rtp.ng.command('query', { 'call-id': calls[0] });
  return Object.values(q['tags'] as Record<string, { medias: { streams: { stats: { packets: number } }[] }[] }>).map((t) => t.medias[0]?.streams[0]?.stats.packets ?? 0);
}

test('a carrier call to a DID reaches its extension, with audio both ways through rtpengine', async (t) => {
  const h = await startCallHarness(t);
  const bob = await Phone.start(t, { address: '127.0.0.2', toneHz: 880, rtpBase: await phoneRtpBase() });
  await bob.register(h.sipPort, '1002', PASSWORDS['1002'] as string);
  const carrier = await sipp(t, h, ['-sf', 'carrier-inbound.xml', '-s', '4930123458', `127.0.0.1:${h.sipPort}`]);
  const established = await bob.waitEvent('CALL_ESTABLISHED');
  assert.match(established.peeruri ?? '', /4917612345678/);
  await new Promise((r) => setTimeout(r, 2500));
  const packets = await packetsPerParty(h);
  assert.ok(packets.length === 2 && packets.every((p) => p > 40), `RTP from the carrier and from the phone: ${packets}`);
  assert.equal((await carrier.exited).code, 0, carrier.output());
  await bob.waitEvent('CALL_CLOSED');
  const heard = audioStats(bob.takeReceivedDump());
  assert.ok(Math.abs(heard.freq - 1000) < 60 && heard.rms > 0.05, `the phone heard the carrier's 1000 Hz: ${JSON.stringify(heard)}`);
  const cdrs = await until('CDRs complete', () => {
    const c = listCdrs(h.db);
    return c.length === 2 && c.every((x) => x.endedAt) && c;
  });
  assert.equal(cdrs[0]?.direction, 'inbound');
  assert.equal(cdrs[0]?.trunk, 'carrier');
});

test('a phone calls out through the carrier, which challenges with 407; the call completes with audio', async (t) => {
  const h = await startCallHarness(t);
  const alice = await Phone.start(t, { toneHz: 440, rtpBase: await phoneRtpBase() });
  await alice.register(h.sipPort, '1001', PASSWORDS['1001'] as string);
  const carrier = await sipp(t, h, ['-sf', 'carrier-outbound-407.xml']);
  await new Promise((r) => setTimeout(r, 300));
  // National format dialled; the route normalises to +4930123999 and the trunk wants it without the plus.
  alice.command('dial', '030123999');
  await alice.waitEvent('CALL_ESTABLISHED').catch((err: Error) => {
    throw new Error(`${err.message}\ncarrier:\n${carrier.output()}`, { cause: err });
  });
  await new Promise((r) => setTimeout(r, 2500));
  const packets = await packetsPerParty(h);
  assert.ok(packets.every((p) => p > 40), `RTP both ways: ${packets}`);
  alice.command('hangup');
  assert.equal((await carrier.exited).code, 0, carrier.output());
  await alice.waitEvent('CALL_CLOSED');
  const heard = audioStats(alice.takeReceivedDump());
  assert.ok(Math.abs(heard.freq - 1000) < 60 && heard.rms > 0.05, `the phone heard the carrier: ${JSON.stringify(heard)}`);
  const cdrs = await until('CDRs complete', () => {
    const c = listCdrs(h.db);
    return c.length === 2 && c.every((x) => x.endedAt) && c;
  });
  // The retried INVITE carries a digest made with the trunk's credentials for the carrier's challenge.
  const header = /Proxy-Authorization: (.*)/.exec(readFileSync(carrier.trace, 'utf8'))?.[1]?.trim() ?? '';
  const p = parseDigestParams(header) ?? {};
  assert.equal(p['username'], 'callbox');
  assert.equal(p['response'], digestResponse({ algorithm: 'MD5', username: 'callbox', realm: 'carrier.test', password: 'carrier-secret', method: 'INVITE', uri: p['uri'] ?? '', nonce: 'a1b2c3d4e5' }));
  const out = cdrs.find((c) => c.trunk === 'carrier');
  assert.equal(out?.callee, '+4930123999');
  assert.equal(out?.disposition, 'answered');
});
