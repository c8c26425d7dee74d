import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listCdrs } from '../../src/config/repositories/cdrs.ts';
import { listQueueEvents } from '../../src/config/repositories/queue-events.ts';
import { audioStats } from '../calls/baresip.ts';
import { until } from '../calls/harness.ts';
import { startQueueHarness } from './harness.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

test('an extension that does not answer forwards to a queue: the caller waits there and an agent gets the call with audio', async (t) => {
  const h = await startQueueHarness(t);
  const alice = await h.phone(t, '1001', { toneHz: 440, address: '127.0.0.1' });
  const frank = await h.phone(t, '1006', { toneHz: 550, address: '127.0.0.4', answer: 'manual' });
  const eve = await h.phone(t, '1005', { toneHz: 660, address: '127.0.0.3' });
  await until('agent logged in', () => h.queues.acd.agent('1001').state === 'available');
  // Keep the agent busy first, so the forwarded caller is seen waiting in the queue.
  alice.command('dial', '*47');
  await alice.waitEvent('CALL_CLOSED');
  await until('agent paused', () => h.queues.acd.agent('1001').state === 'paused');

  eve.command('dial', '1006');
  await frank.waitEvent('CALL_INCOMING');
  // 1006 rings for its ring_timeout_s (5 s), then the call goes to queue 501 (forward.no_answer).
  const entry = await until('the caller waits in queue 501', () => h.queues.acd.queue('501').entries[0], 15_000);
  await frank.waitEvent('CALL_CLOSED');
  await eve.waitEvent('CALL_ESTABLISHED');

  const aliceSince = alice.events.length;
  alice.command('dial', '*48');
  // The agent is connected with the caller (their peer is the caller's number, not the *48 code call).
  await until('agent connected', () => alice.events.slice(aliceSince).find((e) => e.type === 'CALL_ESTABLISHED' && /1005@/.test(e.peeruri ?? '')), 15_000);
  assert.equal(h.queues.acd.agent('1001').state, 'on-call');
  await sleep(500);
  const e0 = total(await eve.rtpReceived());
  const a0 = total(await alice.rtpReceived());
  await sleep(2000);
  assert.ok(total(await eve.rtpReceived()) - e0 > 60, 'the caller hears the agent');
  assert.ok(total(await alice.rtpReceived()) - a0 > 60, 'the agent hears the caller');
  eve.command('hangup');
  await until('agent call closed', () => alice.events.slice(aliceSince).filter((e) => e.type === 'CALL_CLOSED').length >= 2);
  const heard = audioStats(alice.takeReceivedDump());
  assert.ok(Math.abs(heard.freq - 660) < 40 && heard.rms > 0.05, `the agent heard the caller's 660 Hz: ${JSON.stringify(heard)}`);
  await until('rtpengine holds no call', async () => (await h.mediaCalls()).length === 0);

  // One interaction: the caller's leg, the forwarding extension's unanswered leg, the agent's leg and the queue visit.
  const cdrs = await until('CDRs complete', () => {
    const c = listCdrs(h.db).filter((x) => x.interactionId === entry.interactionId);
    return c.length === 3 && c.every((x) => x.endedAt) && c;
  });
  assert.deepEqual(cdrs.map((c) => [c.callee, c.disposition]).sort(), [
    ['1001', 'answered'],
    ['1006', 'answered'],
    ['1006', 'no-answer'],
  ]);
  const log = listQueueEvents(h.db, { interactionId: entry.interactionId });
  assert.deepEqual(log.map((e) => e.type).filter((x) => x === 'enter' || x === 'connect' || x === 'complete'), ['enter', 'connect', 'complete']);
});

test('an extension forwarding every call to a queue: the caller is answered by the queue, with one CDR for their leg', async (t) => {
  const h = await startQueueHarness(t);
  const eve = await h.phone(t, '1005', { toneHz: 660, address: '127.0.0.3' });
  eve.command('dial', '1007');
  await eve.waitEvent('CALL_ESTABLISHED');
  const entry = await until('the caller waits in queue 500', () => h.queues.acd.queue('500').entries[0]);
  await sleep(1500);
  assert.ok(total(await eve.rtpReceived()) > 30, 'the caller hears the queue music');
  eve.command('hangup');
  await eve.waitEvent('CALL_CLOSED');
  await until('the caller left the queue', () => h.queues.acd.queue('500').entries.length === 0);
  await until('rtpengine holds no call', async () => (await h.mediaCalls()).length === 0);
  const cdrs = await until('CDR ended', () => {
    const c = listCdrs(h.db);
    return c.every((x) => x.endedAt) && c;
  });
  assert.deepEqual(
    cdrs.map((c) => [c.interactionId, c.caller, c.callee, c.disposition]),
    [[entry.interactionId, '1005', '1007', 'answered']],
  );
});
