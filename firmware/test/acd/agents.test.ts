import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ERROR_DELAY_S } from '../../src/acd/offers.ts';
import { Harness, oneQueue } from './harness.ts';

const twoQueues = (wrapup: number) => ({
  agents: [{ id: 'a1' }],
  queues: [
    { id: 'sales', options: { wrapup_s: wrapup, announce_every_s: null }, members: [{ agentId: 'a1' }] },
    { id: 'support', options: { wrapup_s: 30, announce_every_s: null }, members: [{ agentId: 'a1' }] },
  ],
});

test('wrap-up after a call from one queue holds the agent back from every queue', () => {
  const h = new Harness(twoQueues(20));
  h.login('a1');
  h.serve('c1', 'sales');
  assert.equal(h.state('a1'), 'wrap-up');
  h.enter('c2', 'support');
  assert.equal(h.offeredTo('a1'), undefined);
  h.wait(19.9);
  assert.equal(h.offeredTo('a1'), undefined);
  h.wait(0.1);
  assert.equal(h.offeredTo('a1'), 'c2');
  assert.deepEqual(h.eventsOf('agent-wrapup').map((e) => e.untilAt), [h.now]);
});

test('the agent can end wrap-up early', () => {
  const h = new Harness(twoQueues(60));
  h.login('a1');
  h.serve('c1', 'sales');
  h.enter('c2', 'support');
  h.wait(5).send({ type: 'agent-wrapup-end', agentId: 'a1' });
  assert.equal(h.offeredTo('a1'), 'c2');
});

test('an agent in two queues is offered one call at a time', () => {
  const h = new Harness(twoQueues(0));
  h.login('a1');
  h.enter('c1', 'sales').enter('c2', 'support');
  assert.equal(h.offers().length, 1);
  h.wait(14);
  assert.equal(h.offers().length, 1);
});

test('auto-pause after autopause_after unanswered offers in a row; an answer resets the count', () => {
  const h = new Harness(oneQueue(1, { autopause_after: 2, ring_timeout_s: 10, wrapup_s: 0, announce_every_s: null }));
  h.login('a1');
  h.enter('c1', 'q').wait(10);
  assert.equal(h.eventsOf('ring-no-answer').length, 1);
  h.answer('a1', 'c1').wait(5).hangupAgent('a1');
  h.enter('c2', 'q').wait(10);
  assert.equal(h.state('a1'), 'reserved', 'one miss after an answer does not pause');
  h.wait(10);
  assert.equal(h.state('a1'), 'paused');
  assert.equal(h.acd.agent('a1').pauseReason, 'autopause');
  assert.deepEqual(h.eventsOf('agent-pause').map((e) => e.reason), ['autopause']);
  // The caller is still waiting, first in line.
  assert.deepEqual(h.acd.queue('q').entries.map((e) => e.callId), ['c2']);
});

test('busy and reject delays keep the agent from new offers for a while', () => {
  const h = new Harness(oneQueue(1, { busy_delay_s: 20, reject_delay_s: 40, wrapup_s: 0, announce_every_s: null }));
  h.login('a1');
  h.enter('c1', 'q').send({ type: 'offer-failed', agentId: 'a1', callId: 'c1', reason: 'busy' });
  assert.equal(h.state('a1'), 'available');
  h.wait(19);
  assert.equal(h.offeredTo('a1'), undefined);
  h.wait(1);
  assert.equal(h.offeredTo('a1'), 'c1');
  h.send({ type: 'offer-failed', agentId: 'a1', callId: 'c1', reason: 'rejected' });
  h.wait(39);
  assert.equal(h.offeredTo('a1'), undefined);
  h.wait(1);
  assert.equal(h.offeredTo('a1'), 'c1');
  assert.deepEqual(h.eventsOf('offer-failed').map((e) => e.reason), ['busy', 'rejected']);
});

test('an error answer from the phone keeps the agent from new offers for ERROR_DELAY_S, so a broken phone cannot spin', () => {
  const h = new Harness(oneQueue(1, { busy_delay_s: 0, reject_delay_s: 0, wrapup_s: 0, announce_every_s: null }));
  h.login('a1');
  h.enter('c1', 'q').send({ type: 'offer-failed', agentId: 'a1', callId: 'c1', reason: 'error' });
  assert.equal(h.offeredTo('a1'), undefined, 'not offered again at once');
  h.wait(ERROR_DELAY_S - 0.1);
  assert.equal(h.offeredTo('a1'), undefined);
  h.wait(0.1);
  assert.equal(h.offeredTo('a1'), 'c1');
  assert.deepEqual(h.eventsOf('offer-failed').map((e) => e.reason), ['error']);
  assert.equal(h.acd.agent('a1').unanswered, 0, 'an error is not an unanswered offer (no auto-pause)');
});

test('a pause during a call takes effect after the call and its wrap-up', () => {
  const h = new Harness(oneQueue(1, { wrapup_s: 10, announce_every_s: null }));
  h.login('a1');
  h.enter('c1', 'q').answer('a1');
  h.send({ type: 'agent-pause', agentId: 'a1', reason: 'lunch' });
  assert.equal(h.state('a1'), 'on-call');
  h.wait(30).hangupAgent('a1');
  assert.equal(h.state('a1'), 'wrap-up');
  h.wait(10);
  assert.equal(h.state('a1'), 'paused');
  assert.equal(h.acd.agent('a1').pauseReason, 'lunch');
  h.enter('c2', 'q');
  assert.equal(h.offeredTo('a1'), undefined);
  h.send({ type: 'agent-unpause', agentId: 'a1' });
  assert.equal(h.offeredTo('a1'), 'c2');
});

test('pausing or logging out while ringing stops the ringing and re-offers the caller', () => {
  const h = new Harness(oneQueue(2, { wrapup_s: 0, strategy: 'linear', announce_every_s: null }));
  h.login('a1');
  h.enter('c1', 'q').send({ type: 'agent-ringing', agentId: 'a1', callId: 'c1' });
  assert.equal(h.state('a1'), 'ringing');
  h.send({ type: 'agent-logout', agentId: 'a1' });
  assert.equal(h.state('a1'), 'logged-out');
  assert.deepEqual(h.commandsOf('cancel-offer'), [{ type: 'cancel-offer', callId: 'c1', agentId: 'a1' }]);
  h.login('a2');
  assert.equal(h.offeredTo('a2'), 'c1');
  h.send({ type: 'agent-pause', agentId: 'a2', reason: 'meeting' });
  assert.equal(h.state('a2'), 'paused');
  assert.deepEqual(h.acd.queue('q').entries.map((e) => e.ringing), [[]]);
  assert.deepEqual(h.acd.invariantViolations(), []);
});

test('a caller hanging up while agents ring leaves no agent reserved or ringing', () => {
  const h = new Harness(oneQueue(3, { strategy: 'ring-all', announce_every_s: null }));
  h.login('a1', 'a2', 'a3');
  h.enter('c1', 'q').send({ type: 'agent-ringing', agentId: 'a2', callId: 'c1' });
  h.send({ type: 'caller-hangup', callId: 'c1' });
  assert.deepEqual(h.acd.agents().map((a) => a.state), ['available', 'available', 'available']);
  assert.equal(h.commandsOf('cancel-offer').length, 3);
  assert.equal(h.eventsOf('abandon').length, 1);
});

test('logout during a call waits for the call to end', () => {
  const h = new Harness(oneQueue(1, { wrapup_s: 5, announce_every_s: null }));
  h.login('a1');
  h.enter('c1', 'q').answer('a1').send({ type: 'agent-logout', agentId: 'a1' });
  assert.equal(h.state('a1'), 'on-call');
  h.wait(10).send({ type: 'caller-hangup', callId: 'c1' }).wait(5);
  assert.equal(h.state('a1'), 'logged-out');
  assert.deepEqual(h.eventsOf('complete').map((e) => e.by), ['caller']);
});
