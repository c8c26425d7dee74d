import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Harness, oneQueue } from './harness.ts';

const noWrap = { wrapup_s: 0, announce_every_s: null } as const;

test('longest-idle offers the agent whose last call ended longest ago', () => {
  const h = new Harness(oneQueue(3, { ...noWrap, strategy: 'longest-idle' }));
  h.login('a1', 'a2', 'a3');
  assert.equal(h.serve('c1', 'q'), 'a1');
  h.wait(1);
  assert.equal(h.serve('c2', 'q'), 'a2');
  h.wait(1);
  assert.equal(h.serve('c3', 'q'), 'a3');
  h.wait(1);
  // a1 has been idle longest now.
  assert.equal(h.serve('c4', 'q'), 'a1');
});

test('round-robin remembers where it stopped and wraps around', () => {
  const h = new Harness(oneQueue(3, { ...noWrap, strategy: 'round-robin' }));
  h.login('a1', 'a2', 'a3');
  const served = ['c1', 'c2', 'c3', 'c4', 'c5'].map((c) => h.serve(c, 'q'));
  assert.deepEqual(served, ['a1', 'a2', 'a3', 'a1', 'a2']);
});

test('round-robin skips a busy member and continues after it', () => {
  const h = new Harness(oneQueue(3, { ...noWrap, strategy: 'round-robin' }));
  h.login('a1', 'a2', 'a3');
  assert.equal(h.serve('c1', 'q'), 'a1');
  h.send({ type: 'agent-pause', agentId: 'a2', reason: 'lunch' });
  assert.equal(h.serve('c2', 'q'), 'a3');
  h.send({ type: 'agent-unpause', agentId: 'a2' });
  assert.equal(h.serve('c3', 'q'), 'a1');
});

test('fewest-calls offers the member with the fewest answered calls from this queue', () => {
  const h = new Harness(oneQueue(2, { ...noWrap, strategy: 'fewest-calls' }));
  h.login('a1');
  h.serve('c1', 'q');
  h.serve('c2', 'q');
  h.login('a2');
  assert.equal(h.serve('c3', 'q'), 'a2');
  assert.equal(h.serve('c4', 'q'), 'a2');
  // Two calls each now: member-list order breaks the tie.
  assert.equal(h.serve('c5', 'q'), 'a1');
});

test('least-talk-time offers the agent with the least talk time', () => {
  const h = new Harness(oneQueue(2, { ...noWrap, strategy: 'least-talk-time' }));
  h.login('a1', 'a2');
  assert.equal(h.serve('c1', 'q', 100), 'a1');
  assert.equal(h.serve('c2', 'q', 30), 'a2');
  assert.equal(h.serve('c3', 'q', 30), 'a2');
  assert.equal(h.serve('c4', 'q', 30), 'a2');
  // a2 has 90 s, a1 100 s.
  assert.equal(h.serve('c5', 'q', 30), 'a2');
  assert.equal(h.serve('c6', 'q', 30), 'a1');
});

test('linear always starts from the top of the member list', () => {
  const h = new Harness(oneQueue(3, { ...noWrap, strategy: 'linear' }));
  h.login('a3', 'a2', 'a1');
  assert.equal(h.serve('c1', 'q'), 'a1');
  assert.equal(h.serve('c2', 'q'), 'a1');
  h.enter('c3', 'q');
  h.enter('c4', 'q');
  assert.equal(h.offeredTo('a1'), 'c3');
  assert.equal(h.offeredTo('a2'), 'c4');
});

test('random uses the injected generator', () => {
  const draws = [0.99, 0.0, 0.5];
  const h = new Harness(oneQueue(3, { ...noWrap, strategy: 'random' }), () => draws.shift() ?? 0);
  h.login('a1', 'a2', 'a3');
  assert.deepEqual(['c1', 'c2', 'c3'].map((c) => h.serve(c, 'q')), ['a3', 'a1', 'a2']);
});

test('weighted-random gives each member a share proportional to its weight', () => {
  let seed = 42;
  const rng = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const config = {
    agents: [{ id: 'a1' }, { id: 'a2' }],
    queues: [{ id: 'q', options: { ...noWrap, strategy: 'weighted-random' as const }, members: [{ agentId: 'a1', weight: 1 }, { agentId: 'a2', weight: 3 }] }],
  };
  const h = new Harness(config, rng);
  h.login('a1', 'a2');
  const count = { a1: 0, a2: 0 };
  for (let i = 0; i < 400; i++) count[h.serve(`c${i}`, 'q', 1) as 'a1' | 'a2']++;
  assert.ok(count.a2 > 2 * count.a1, `a2 ${count.a2} vs a1 ${count.a1}`);
  assert.ok(count.a1 > 50, `a1 still gets calls: ${count.a1}`);
});

test('ring-all rings every available agent; the first to answer wins and the others stop ringing', () => {
  const h = new Harness(oneQueue(3, { ...noWrap, strategy: 'ring-all' }));
  h.login('a1', 'a2', 'a3');
  h.enter('c1', 'q');
  assert.deepEqual(h.offers().map((o) => o.agentId).sort(), ['a1', 'a2', 'a3']);
  const mark = h.commands.length;
  h.answer('a2', 'c1');
  const after = h.commands.slice(mark);
  assert.deepEqual(after.filter((c) => c.type === 'cancel-offer').map((c) => c.agentId).sort(), ['a1', 'a3']);
  assert.ok(after.some((c) => c.type === 'bridge' && c.agentId === 'a2'));
  assert.deepEqual([h.state('a1'), h.state('a2'), h.state('a3')], ['available', 'on-call', 'available']);
  // A late answer from a1 gets its leg hung up and does not steal the call.
  const mark2 = h.commands.length;
  h.answer('a1', 'c1');
  assert.deepEqual(h.commands.slice(mark2), [{ type: 'cancel-offer', callId: 'c1', agentId: 'a1' }]);
  assert.equal(h.state('a1'), 'available');
});

test('ring-progressively adds one more agent every progressive_step_s and keeps the earlier ones ringing', () => {
  const h = new Harness(oneQueue(3, { ...noWrap, strategy: 'ring-progressively', progressive_step_s: 5, ring_timeout_s: 60 }));
  h.login('a1', 'a2', 'a3');
  h.enter('c1', 'q');
  assert.deepEqual(h.offers().map((o) => o.agentId), ['a1']);
  h.wait(5);
  assert.deepEqual(h.offers().map((o) => o.agentId), ['a1', 'a2']);
  h.wait(5);
  assert.deepEqual(h.offers().map((o) => o.agentId), ['a1', 'a2', 'a3']);
  assert.deepEqual([h.state('a1'), h.state('a2'), h.state('a3')], ['reserved', 'reserved', 'reserved']);
});

test('skills best match offers the most proficient agent, ties to the longest idle', () => {
  const skills = { a1: { billing: 3 }, a2: { billing: 5 }, a3: { billing: 5 } };
  const h = new Harness(oneQueue(3, { ...noWrap, strategy: 'skills', skills: { billing: 2 } }, skills));
  h.login('a1').wait(1).login('a3').wait(1).login('a2');
  assert.equal(h.serve('c1', 'q'), 'a3');
  assert.equal(h.serve('c2', 'q'), 'a2');
  // Per-call requirements from the IVR replace the queue's.
  h.enter('c3', 'q', { skills: { billing: 4 } });
  assert.equal(h.offeredTo('a3'), 'c3');
});

test('members with a lower penalty are offered calls first', () => {
  const config = {
    agents: [{ id: 'a1' }, { id: 'a2' }],
    queues: [{ id: 'q', options: { ...noWrap, strategy: 'linear' as const }, members: [{ agentId: 'a1', penalty: 2 }, { agentId: 'a2', penalty: 0 }] }],
  };
  const h = new Harness(config);
  h.login('a1', 'a2');
  assert.equal(h.serve('c1', 'q'), 'a2');
  h.send({ type: 'agent-pause', agentId: 'a2', reason: 'break' });
  assert.equal(h.serve('c2', 'q'), 'a1');
});
