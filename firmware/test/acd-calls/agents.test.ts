import assert from 'node:assert/strict';
import { test } from 'node:test';
import { until } from '../calls/harness.ts';
import { listQueueEvents } from '../../src/config/repositories/queue-events.ts';
import { applySiteFile } from '../../src/config/site-apply.ts';
import { queueSite, startQueueHarness } from './harness.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('an agent paused with *47 from the desk phone gets no offer; *48 makes them available and they ring', async (t) => {
  const h = await startQueueHarness(t);
  const alice = await h.phone(t, '1001', { toneHz: 440, address: '127.0.0.1', answer: 'manual' });
  const bob = await h.phone(t, '1002', { toneHz: 880, address: '127.0.0.2', answer: 'manual' });
  const eve = await h.phone(t, '1005', { toneHz: 660, address: '127.0.0.3' });
  await until('agents logged in', () => h.queues.acd.agents().filter((a) => a.state === 'available').length === 2);

  alice.command('dial', '*47');
  await alice.waitEvent('CALL_ESTABLISHED');
  // The confirmation prompt plays, then the box hangs up.
  await alice.waitEvent('CALL_CLOSED');
  assert.equal(h.queues.acd.agent('1001').state, 'paused');
  assert.equal(h.queues.acd.agent('1001').pauseReason, 'phone');

  const since = alice.events.length;
  eve.command('dial', '500');
  await bob.waitEvent('CALL_INCOMING');
  await sleep(1500);
  assert.deepEqual(h.queues.acd.queue('500').entries[0]?.ringing, ['1002'], 'only the unpaused agent is offered the call');
  assert.equal(alice.events.slice(since).filter((e) => e.type === 'CALL_INCOMING').length, 0, 'the paused phone did not ring');

  alice.command('dial', '*48');
  await alice.waitEvent('CALL_CLOSED', 10_000, since);
  // Back from pause, Alice is rung for the caller still waiting (ring-all).
  await alice.waitEvent('CALL_INCOMING', 10_000, since);
  alice.command('accept');
  await alice.waitEvent('CALL_ESTABLISHED', 10_000, alice.events.findIndex((e, i) => i >= since && e.type === 'CALL_INCOMING'));
  await bob.waitEvent('CALL_CLOSED');
  assert.equal(h.queues.acd.agent('1001').state, 'on-call');
  const talking = alice.events.length;
  eve.command('hangup');
  await alice.waitEvent('CALL_CLOSED', 10_000, talking);
  await until('rtpengine holds no call', async () => (await h.mediaCalls()).length === 0);

  // Log out from the phone: no longer offered; an extension that is no agent is refused.
  const before = alice.events.length;
  alice.command('dial', '*46');
  await alice.waitEvent('CALL_ESTABLISHED', 10_000, before);
  await alice.waitEvent('CALL_CLOSED', 10_000, before);
  assert.equal(h.queues.acd.agent('1001').state, 'logged-out');
  const eveBefore = eve.events.length;
  eve.command('dial', '*45');
  const refused = await eve.waitEvent('CALL_CLOSED', 10_000, eveBefore);
  assert.match(refused.param ?? '', /403/);
});

test('round-robin: consecutive callers go to the agents in turn', async (t) => {
  const h = await startQueueHarness(t);
  const alice = await h.phone(t, '1001', { toneHz: 440, address: '127.0.0.1' });
  const bob = await h.phone(t, '1002', { toneHz: 880, address: '127.0.0.2' });
  const eve = await h.phone(t, '1005', { toneHz: 660, address: '127.0.0.3' });
  await until('agents logged in', () => h.queues.acd.agents().filter((a) => a.state === 'available').length === 2);
  const answeredBy: string[] = [];
  for (let i = 0; i < 3; i++) {
    const marks = [alice.events.length, bob.events.length];
    eve.command('dial', '501');
    const who = await until('an agent answered', () => {
      if (alice.events.slice(marks[0]).some((e) => e.type === 'CALL_ESTABLISHED')) return '1001';
      if (bob.events.slice(marks[1]).some((e) => e.type === 'CALL_ESTABLISHED')) return '1002';
      return undefined;
    });
    answeredBy.push(who);
    await sleep(500);
    // The second call is ended by the agent: the caller is hung up and the agent is free again too.
    if (i === 1) (who === '1001' ? alice : bob).command('hangup');
    else eve.command('hangup');
    await until('agents free again', () => ['1001', '1002'].every((a) => h.queues.acd.agent(a).state === 'available'));
  }
  assert.notEqual(answeredBy[0], answeredBy[1], `agents in turn: ${answeredBy.join(', ')}`);
  assert.equal(answeredBy[0], answeredBy[2], `agents in turn: ${answeredBy.join(', ')}`);
  await until('rtpengine holds no call', async () => (await h.mediaCalls()).length === 0);
});

test('a queue added to the configuration while running takes calls within a second, and its agents ring', async (t) => {
  const h = await startQueueHarness(t);
  const chloe = await h.phone(t, '1003', { toneHz: 440, address: '127.0.0.1', answer: 'manual' });
  const eve = await h.phone(t, '1005', { toneHz: 660, address: '127.0.0.3' });
  const before = eve.events.length;
  eve.command('dial', '505');
  const refused = await eve.waitEvent('CALL_CLOSED', 10_000, before);
  assert.match(refused.param ?? '', /404/, 'no such number yet');

  const site = queueSite(h.carrierPort).replace('queues:\n', 'queues:\n  - { number: "505", name: Late, strategy: linear, members: ["1003"], announce_every_s: null }\n');
  const applied = applySiteFile(h.db, site, 'test');
  assert.ok(applied.ok, JSON.stringify(applied));
  await until('the distributor knows the new queue', () => h.queues.acd.queueIds().includes('505'));
  eve.command('dial', '505');
  await chloe.waitEvent('CALL_INCOMING');
  assert.equal(h.queues.acd.queue('505').entries[0]?.ringing[0], '1003');
  eve.command('hangup');
  await chloe.waitEvent('CALL_CLOSED');
  await until('rtpengine holds no call', async () => (await h.mediaCalls()).length === 0);
});

test('an agent logged in without a registered phone is logged out when offered a call; the caller keeps waiting', async (t) => {
  const h = await startQueueHarness(t);
  const eve = await h.phone(t, '1005', { toneHz: 660, address: '127.0.0.3' });
  eve.command('dial', '503');
  await eve.waitEvent('CALL_ESTABLISHED');
  await until('caller waiting', () => h.queues.acd.queue('503').entries.length === 1);
  h.queues.submit({ type: 'agent-login', agentId: '1003' });
  await until('agent logged out again', () => h.queues.acd.agent('1003').state === 'logged-out');
  assert.deepEqual(
    listQueueEvents(h.db, { types: ['agent-login', 'offer', 'agent-logout'] }).map((e) => e.type),
    ['agent-login', 'offer', 'agent-logout'],
  );
  assert.equal(h.queues.acd.queue('503').entries[0]?.phase, 'waiting');
  eve.command('hangup');
  await until('rtpengine holds no call', async () => (await h.mediaCalls()).length === 0);
});

test('an agent transferring the queue caller to an extension is free again, and the queue log says so', async (t) => {
  const h = await startQueueHarness(t);
  const alice = await h.phone(t, '1001', { toneHz: 440, address: '127.0.0.1' });
  const david = await h.phone(t, '1004', { toneHz: 550, address: '127.0.0.4' });
  const eve = await h.phone(t, '1005', { toneHz: 660, address: '127.0.0.3' });
  await until('agent logged in', () => h.queues.acd.agent('1001').state === 'available');
  eve.command('dial', '500');
  await alice.waitEvent('CALL_ESTABLISHED');
  await sleep(800);
  alice.command('transfer', '1004');
  const up = await david.waitEvent('CALL_ESTABLISHED');
  assert.match(up.peeruri ?? '', /1005@/, 'the transfer target talks to the caller');
  await alice.waitEvent('CALL_CLOSED');
  await until('agent free after the transfer', () => h.queues.acd.agent('1001').state === 'available');
  const complete = listQueueEvents(h.db, { types: ['complete'] });
  assert.equal(complete.length, 1);
  assert.equal(complete[0]?.data['by'], 'transfer');
  eve.command('hangup');
  await david.waitEvent('CALL_CLOSED');
  await until('rtpengine holds no call', async () => (await h.mediaCalls()).length === 0);
});
