import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listCdrs } from '../../src/config/repositories/cdrs.ts';
import { audioStats, Phone, phoneRtpBase } from './baresip.ts';
import { PASSWORDS, startCallHarness, until } from './harness.ts';

test('two baresip phones register with digest and call each other; audio flows both ways through rtpengine', async (t) => {
  const h = await startCallHarness(t);
  const alice = await Phone.start(t, { toneHz: 440, rtpBase: await phoneRtpBase() });
  const bob = await Phone.start(t, { address: '127.0.0.2', toneHz: 880, rtpBase: await phoneRtpBase() });
  await alice.register(h.sipPort, '1001', PASSWORDS['1001'] as string);
  await bob.register(h.sipPort, '1002', PASSWORDS['1002'] as string);
  assert.equal(h.services.registrar.lookup('1002').length, 1);

  alice.command('dial', '1002');
  await alice.waitEvent('CALL_ESTABLISHED');
  const incoming = await bob.waitEvent('CALL_ESTABLISHED');
  assert.match(incoming.peeruri ?? '', /1001@/);
  await new Promise((r) => setTimeout(r, 3000));

  const calls = (await h.rtp.ng.command('list', { limit: 10 }))['calls'] as string[];
  assert.equal(calls.length, 1, 'one call anchored in rtpengine');
  const q = await h.rtp.ng.command('query', { 'call-id': calls[0] });
  const tags = Object.values(q['tags'] as Record<string, { medias: { streams: { stats: { packets: number } }[] }[] }>);
  assert.equal(tags.length, 2);
  for (const tag of tags) assert.ok((tag.medias[0]?.streams[0]?.stats.packets ?? 0) > 50, `RTP from each party reached rtpengine: ${JSON.stringify(q['tags'])}`);

  alice.command('hangup');
  await bob.waitEvent('CALL_CLOSED');
  await alice.waitEvent('CALL_CLOSED');
  const a = audioStats(alice.takeReceivedDump());
  const b = audioStats(bob.takeReceivedDump());
  assert.ok(Math.abs(a.freq - 880) < 60 && a.rms > 0.05, `Alice heard Bob's 880 Hz: ${JSON.stringify(a)}`);
  assert.ok(Math.abs(b.freq - 440) < 40 && b.rms > 0.05, `Bob heard Alice's 440 Hz: ${JSON.stringify(b)}`);

  await until('rtpengine call deleted', async () => ((await h.rtp.ng.command('list', { limit: 10 }))['calls'] as string[]).length === 0);
  const cdrs = await until('CDRs complete', () => {
    const c = listCdrs(h.db);
    return c.length === 2 && c.every((x) => x.endedAt) && c;
  });
  assert.equal(cdrs[0]?.interactionId, cdrs[1]?.interactionId);
  assert.ok(cdrs.every((c) => c.answeredAt && c.disposition === 'answered'), JSON.stringify(cdrs));
  assert.equal(cdrs[0]?.caller, '1001');
  assert.deepEqual(h.db.prepare('SELECT COUNT(*) AS n FROM call_legs').get(), { n: 0 }, 'no stored dialog outlives the call');
});
