import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listCdrs } from '../../src/config/repositories/cdrs.ts';
import { listQueueEvents } from '../../src/config/repositories/queue-events.ts';
import { audioStats } from '../calls/baresip.ts';
import { until } from '../calls/harness.ts';
import { startQueueHarness } from './harness.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

test('ring-all: the caller hears music, both agents ring, the first to answer gets the call with audio both ways, the other stops ringing', async (t) => {
  const h = await startQueueHarness(t);
  const alice = await h.phone(t, '1001', { toneHz: 440, address: '127.0.0.1', answer: 'manual' });
  const bob = await h.phone(t, '1002', { toneHz: 880, address: '127.0.0.2', answer: 'manual' });
  const eve = await h.phone(t, '1005', { toneHz: 660, address: '127.0.0.3' });
  await until('agents logged in by registering', () => h.queues.acd.agents().filter((a) => a.state === 'available').length === 2);

  eve.command('dial', '500');
  await eve.waitEvent('CALL_ESTABLISHED');
  const ringingAlice = await alice.waitEvent('CALL_INCOMING');
  await bob.waitEvent('CALL_INCOMING');
  assert.match(ringingAlice.peeruri ?? '', /1005@/, 'the agent sees the caller number');
  await sleep(1500);
  const music = await eve.rtpReceived();
  assert.ok(total(music) > 30, `the waiting caller receives music from rtpengine: ${JSON.stringify([...music])}`);
  const entry = h.queues.acd.queue('500').entries[0];
  assert.deepEqual([...(entry?.ringing ?? [])].sort(), ['1001', '1002']);

  alice.command('accept');
  await alice.waitEvent('CALL_ESTABLISHED');
  await bob.waitEvent('CALL_CLOSED');
  assert.equal(h.queues.acd.agent('1001').state, 'on-call');
  assert.equal(h.queues.acd.agent('1002').state, 'available', 'the agent who lost the race is free again');
  const before = await eve.rtpReceived();
  await sleep(3000);
  const after = await eve.rtpReceived();
  const fromAlice = [...after].filter(([ssrc]) => !music.has(ssrc));
  assert.ok(fromAlice.length >= 1 && (fromAlice[0]?.[1] ?? 0) - (before.get(fromAlice[0]?.[0] ?? '') ?? 0) > 80, `the caller hears the agent: ${JSON.stringify([...after])}`);

  eve.command('hangup');
  await alice.waitEvent('CALL_CLOSED');
  const heard = audioStats(alice.takeReceivedDump());
  assert.ok(Math.abs(heard.freq - 660) < 40 && heard.rms > 0.05, `the agent heard the caller's 660 Hz: ${JSON.stringify(heard)}`);
  await until('agent free after the call', () => h.queues.acd.agent('1001').state === 'available');
  await until('rtpengine holds no call', async () => (await h.mediaCalls()).length === 0);
  const cdrs = await until('CDRs complete', () => {
    const c = listCdrs(h.db);
    return c.length === 3 && c.every((x) => x.endedAt) && c;
  });
  assert.equal(new Set(cdrs.map((c) => c.interactionId)).size, 1, 'one interaction for the caller and both agent legs');
  assert.equal(cdrs.find((c) => c.extension === '1001')?.disposition, 'answered');
  assert.equal(cdrs.find((c) => c.extension === '1002')?.disposition, 'cancelled');
  // The queue log has the visit under the same interaction id, and the console's counters see the answered call.
  const log = listQueueEvents(h.db, { interactionId: cdrs[0]?.interactionId as string });
  assert.deepEqual(
    log.map((e) => `${e.type}${e.agent ? `:${e.agent}` : ''}`).sort(),
    ['complete:1001', 'connect:1001', 'enter', 'offer:1001', 'offer:1002'],
  );
  assert.equal(log.find((e) => e.type === 'complete')?.data['by'], 'caller');
  assert.equal(h.queues.today().queues.get('500')?.answered, 1);
  assert.equal(h.queues.today().agents.get('1001'), 1);
});

test('the caller hanging up while agents ring cancels every agent leg and frees the agents', async (t) => {
  const h = await startQueueHarness(t);
  const alice = await h.phone(t, '1001', { toneHz: 440, address: '127.0.0.1', answer: 'manual' });
  const bob = await h.phone(t, '1002', { toneHz: 880, address: '127.0.0.2', answer: 'manual' });
  const eve = await h.phone(t, '1005', { toneHz: 660, address: '127.0.0.3' });
  await until('agents logged in', () => h.queues.acd.agents().filter((a) => a.state === 'available').length === 2);
  eve.command('dial', '500');
  await alice.waitEvent('CALL_INCOMING');
  await bob.waitEvent('CALL_INCOMING');
  eve.command('hangup');
  await alice.waitEvent('CALL_CLOSED');
  await bob.waitEvent('CALL_CLOSED');
  await until('both agents free', () => ['1001', '1002'].every((a) => h.queues.acd.agent(a).state === 'available'));
  assert.equal(h.queues.acd.queue('500').entries.length, 0);
  await until('rtpengine holds no call', async () => (await h.mediaCalls()).length === 0);
});

test('an agent who rejects the call is not offered it again for the busy delay, while the other agent still rings', async (t) => {
  const h = await startQueueHarness(t);
  const alice = await h.phone(t, '1001', { toneHz: 440, address: '127.0.0.1', answer: 'manual' });
  const bob = await h.phone(t, '1002', { toneHz: 880, address: '127.0.0.2', answer: 'manual' });
  const eve = await h.phone(t, '1005', { toneHz: 660, address: '127.0.0.3' });
  await until('agents logged in', () => h.queues.acd.agents().filter((a) => a.state === 'available').length === 2);
  eve.command('dial', '500');
  await alice.waitEvent('CALL_INCOMING');
  await bob.waitEvent('CALL_INCOMING');
  const since = alice.events.length;
  alice.command('hangup');
  await alice.waitEvent('CALL_CLOSED', 10_000, since);
  const failed = await until('offer failure logged', () => listQueueEvents(h.db, { types: ['offer-failed', 'ring-no-answer'] })[0]);
  assert.equal(failed.agent, '1001');
  assert.equal(failed.data['reason'], 'busy', 'baresip declines with 486 Busy Here');
  await sleep(2000);
  assert.deepEqual(h.queues.acd.queue('500').entries[0]?.ringing, ['1002'], 'only Bob rings during the busy delay');
  assert.equal(alice.events.slice(since).filter((e) => e.type === 'CALL_INCOMING').length, 0);
  bob.command('accept');
  await bob.waitEvent('CALL_ESTABLISHED');
  eve.command('hangup');
  await bob.waitEvent('CALL_CLOSED');
  await until('rtpengine holds no call', async () => (await h.mediaCalls()).length === 0);
});

test('an agent talking on a call outside the queue is busy: only the free agent rings', async (t) => {
  const h = await startQueueHarness(t);
  const alice = await h.phone(t, '1001', { toneHz: 440, address: '127.0.0.1', answer: 'manual' });
  const bob = await h.phone(t, '1002', { toneHz: 880, address: '127.0.0.2', answer: 'manual' });
  const david = await h.phone(t, '1004', { toneHz: 550, address: '127.0.0.4' });
  const eve = await h.phone(t, '1005', { toneHz: 660, address: '127.0.0.3' });
  await until('agents logged in', () => h.queues.acd.agents().filter((a) => a.state === 'available').length === 2);
  david.command('dial', '1001');
  await alice.waitEvent('CALL_INCOMING');
  alice.command('accept');
  await david.waitEvent('CALL_ESTABLISHED');
  const since = alice.events.length;
  eve.command('dial', '500');
  await bob.waitEvent('CALL_INCOMING');
  const busy = await until('busy offer logged', () => listQueueEvents(h.db, { types: ['offer-failed'] })[0]);
  assert.equal(busy.agent, '1001');
  assert.equal(busy.data['reason'], 'busy');
  assert.equal(alice.events.slice(since).filter((e) => e.type === 'CALL_INCOMING').length, 0, 'no call waiting on the busy agent');
  eve.command('hangup');
  await bob.waitEvent('CALL_CLOSED');
  david.command('hangup');
  await alice.waitEvent('CALL_CLOSED', 10_000, since);
  await until('rtpengine holds no call', async () => (await h.mediaCalls()).length === 0);
});
