import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AcdConfig } from '../../src/acd/index.ts';
import { Harness, oneQueue } from './harness.ts';

const quiet = { announce_every_s: null, wrapup_s: 0 } as const;

test('an unanswered offer times out after ring_timeout_s and goes to the next agent', () => {
  const h = new Harness(oneQueue(2, { ...quiet, strategy: 'linear', ring_timeout_s: 12 }));
  h.login('a1', 'a2');
  h.enter('c1', 'q');
  h.wait(11.999);
  assert.equal(h.offeredTo('a1'), 'c1');
  h.wait(0.001);
  assert.equal(h.offeredTo('a1'), undefined);
  assert.equal(h.offeredTo('a2'), 'c1');
  assert.deepEqual(h.commandsOf('cancel-offer'), [{ type: 'cancel-offer', callId: 'c1', agentId: 'a1' }]);
  assert.equal(h.eventsOf('ring-no-answer')[0]?.ringMs, 12_000);
});

test('widening lowers skill requirements over the wait and the caller keeps their position', () => {
  const skills = { a1: { french: 2 } };
  const h = new Harness(
    oneQueue(1, { ...quiet, skills: { french: 4 }, widening: [{ after_s: 30, min_proficiency: 3 }, { after_s: 90, min_proficiency: 2 }] }, skills),
  );
  h.login('a1');
  h.enter('c1', 'q').wait(10).enter('c2', 'q', { skills: {} });
  // c2 asks for nothing: the agent takes it although c1 is ahead (c1 cannot be served by a1 yet).
  assert.equal(h.offeredTo('a1'), 'c2');
  h.answer('a1', 'c2').hangupAgent('a1');
  h.enter('c3', 'q');
  assert.equal(h.offeredTo('a1'), undefined);
  assert.deepEqual(h.acd.queue('q').entries.map((e) => e.callId), ['c1', 'c3']);
  h.at(89_999);
  assert.equal(h.offeredTo('a1'), undefined);
  h.at(90_000);
  assert.equal(h.offeredTo('a1'), 'c1', 'after 90 s proficiency 2 is enough, and c1 is still first');
});

test('widening to any member and to higher penalties', () => {
  const config: AcdConfig = {
    agents: [{ id: 'a1', skills: { german: 5 } }, { id: 'a2', skills: {} }],
    queues: [
      {
        id: 'q',
        options: { ...quiet, skills: { german: 3 }, max_penalty: 0, widening: [{ after_s: 20, max_penalty: 5 }, { after_s: 40, any_member: true }] },
        members: [{ agentId: 'a1', penalty: 3 }, { agentId: 'a2', penalty: 0 }],
      },
    ],
  };
  const h = new Harness(config);
  h.login('a1', 'a2');
  h.enter('c1', 'q');
  assert.equal(h.offers().length, 0, 'a1 has the skill but penalty 3 > 0; a2 lacks the skill');
  h.wait(20);
  assert.equal(h.offeredTo('a1'), 'c1');
  h.send({ type: 'offer-failed', agentId: 'a1', callId: 'c1', reason: 'error' });
  h.send({ type: 'agent-pause', agentId: 'a1', reason: 'x' });
  h.wait(19);
  assert.equal(h.offeredTo('a2'), undefined);
  h.wait(1);
  assert.equal(h.offeredTo('a2'), 'c1');
});

test('priority callers go first but take at most priority_share_max of the last priority_window offers while normal callers wait', () => {
  const h = new Harness(oneQueue(1, { ...quiet, priority_share_max: 0.5, priority_window: 4 }));
  h.enter('n1', 'q').enter('n2', 'q').enter('n3', 'q');
  for (let i = 1; i <= 6; i++) h.enter(`v${i}`, 'q', { priority: 5 });
  assert.deepEqual(h.acd.queue('q').entries.slice(0, 2).map((e) => e.callId), ['v1', 'v2']);
  h.login('a1');
  const served: string[] = [];
  for (let i = 0; i < 9; i++) {
    const c = h.offeredTo('a1') as string;
    served.push(c);
    h.answer('a1', c).wait(1).hangupAgent('a1');
  }
  assert.deepEqual(served, ['v1', 'v2', 'n1', 'n2', 'n3', 'v3', 'v4', 'v5', 'v6']);
});

test('within one priority class callers are served in arrival order', () => {
  const h = new Harness(oneQueue(1, quiet));
  h.enter('c1', 'q').enter('c2', 'q', { priority: 1 }).enter('c3', 'q');
  h.login('a1');
  const served: string[] = [];
  for (let i = 0; i < 3; i++) {
    const c = h.offeredTo('a1') as string;
    served.push(c);
    h.answer('a1', c).hangupAgent('a1');
  }
  assert.deepEqual(served, ['c2', 'c1', 'c3']);
});

test('overflow after after_s sends the caller to the other queue with the same interaction id', () => {
  const config = {
    agents: [{ id: 'a1' }, { id: 'a2' }],
    queues: [
      { id: '500', options: { ...quiet, overflow: { after_s: 60, to: 'queue:501' } }, members: [{ agentId: 'a1' }] },
      { id: '501', options: quiet, members: [{ agentId: 'a2' }] },
    ],
  };
  const h = new Harness(config);
  h.login('a2');
  h.enter('c1', '500').wait(60);
  const exit = h.eventsOf('exit')[0];
  assert.deepEqual(exit && { reason: exit.reason, to: exit.to, waitMs: exit.waitMs }, { reason: 'overflow', to: 'queue:501', waitMs: 60_000 });
  const enters = h.eventsOf('enter');
  assert.deepEqual(enters.map((e) => e.queue), ['500', '501']);
  assert.equal(enters[0]?.interactionId, enters[1]?.interactionId);
  assert.equal(h.offeredTo('a2'), 'c1');
  assert.equal(h.commandsOf('route').length, 0);
});

test('max_wait_s, max_len, exit keys and destinations outside the queue become route commands', () => {
  const h = new Harness(
    oneQueue(1, { ...quiet, max_wait_s: 120, max_wait_to: 'hangup:closed', max_len: 2, max_len_to: 'extension:100', exit_keys: { '0': 'external:+4930123' } }),
  );
  h.enter('c1', 'q').enter('c2', 'q').enter('c3', 'q');
  h.send({ type: 'dtmf', callId: 'c2', key: '0' });
  h.at(120_000);
  assert.deepEqual(
    h.commandsOf('route').map((c) => [c.callId, c.reason, c.to]),
    [
      ['c3', 'full', { kind: 'extension', target: '100' }],
      ['c2', 'key', { kind: 'external', target: '+4930123' }],
      ['c1', 'timeout', { kind: 'hangup', prompt: 'closed' }],
    ],
  );
  assert.deepEqual(h.acd.queue('q').entries, []);
});

test('join_empty: false turns callers away while no member is logged in and unpaused', () => {
  const h = new Harness(oneQueue(1, { ...quiet, join_empty: false, empty_to: 'ivr:closed' }));
  h.enter('c1', 'q');
  h.login('a1').send({ type: 'agent-pause', agentId: 'a1', reason: 'x' });
  h.enter('c2', 'q');
  h.send({ type: 'agent-unpause', agentId: 'a1' });
  h.send({ type: 'agent-answered', agentId: 'a1', callId: h.offeredTo('a1') as string });
  h.enter('c3', 'q');
  assert.deepEqual(h.eventsOf('exit').map((e) => [e.callId, e.reason, e.to]), [
    ['c1', 'empty', 'ivr:closed'],
    ['c2', 'empty', 'ivr:closed'],
  ]);
  assert.deepEqual(h.acd.queue('q').entries.map((e) => e.callId), ['c3'], 'an agent on a call still staffs the queue');
});

test('leave_when_empty: waiting callers leave when the last member logs out', () => {
  const h = new Harness(oneQueue(2, { ...quiet, leave_when_empty: true, empty_to: 'queue:999' }));
  h.login('a1', 'a2');
  h.enter('c1', 'q').answer('a1').enter('c2', 'q').enter('c3', 'q');
  h.send({ type: 'offer-failed', agentId: 'a2', callId: 'c2', reason: 'rejected' });
  h.send({ type: 'agent-logout', agentId: 'a2' });
  assert.equal(h.eventsOf('exit').length, 0, 'a1 is still on a call');
  h.send({ type: 'agent-logout', agentId: 'a1' }).hangupAgent('a1');
  assert.deepEqual(h.eventsOf('exit').map((e) => [e.callId, e.reason]), [
    ['c2', 'empty'],
    ['c3', 'empty'],
  ]);
  assert.deepEqual(h.commandsOf('route').map((c) => c.to), [{ kind: 'queue', target: '999' }, { kind: 'queue', target: '999' }]);
});

test('overflow loops between full queues end with a hang-up instead of recursing', () => {
  const config = {
    agents: [],
    queues: [
      { id: '1', options: { ...quiet, max_len: 1, max_len_to: 'queue:2' }, members: [] },
      { id: '2', options: { ...quiet, max_len: 1, max_len_to: 'queue:1' }, members: [] },
    ],
  };
  const h = new Harness(config);
  h.enter('x1', '1').enter('x2', '2').enter('c', '1');
  assert.deepEqual(h.commandsOf('route').map((c) => [c.callId, c.to.kind]), [['c', 'hangup']]);
  assert.equal(h.eventsOf('enter').filter((e) => e.callId === 'c').length, h.eventsOf('exit').filter((e) => e.callId === 'c').length);
});

test('periodic announcements tell waiting callers their position and estimated wait', () => {
  const h = new Harness(oneQueue(1, { announce_every_s: 30, wrapup_s: 0, expected_handle_s: 120 }));
  h.login('a1');
  h.enter('c1', 'q').answer('a1').enter('c2', 'q').enter('c3', 'q');
  h.wait(30);
  const a = h.commandsOf('announce').map((c) => [c.callId, c.position, c.ewtS]);
  assert.deepEqual(a, [
    ['c2', 1, 90],
    ['c3', 2, 210],
  ]);
});

test('a transfer to another queue completes the call and keeps the interaction id', () => {
  const config = {
    agents: [{ id: 'a1' }, { id: 'a2' }],
    queues: [
      { id: '500', options: quiet, members: [{ agentId: 'a1' }] },
      { id: '501', options: quiet, members: [{ agentId: 'a2' }] },
    ],
  };
  const h = new Harness(config);
  h.login('a1', 'a2');
  h.enter('c1', '500').answer('a1').wait(30).send({ type: 'transfer', callId: 'c1', to: 'queue:501' });
  assert.deepEqual(h.eventsOf('complete').map((e) => [e.by, e.talkMs]), [['transfer', 30_000]]);
  assert.equal(h.offeredTo('a2'), 'c1');
  h.answer('a2');
  const ids = new Set(h.events.flatMap((e) => ('interactionId' in e ? [e.interactionId] : [])));
  assert.equal(ids.size, 1);
});
