import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Harness, oneQueue } from './harness.ts';

const cbQueue = (extra = {}) =>
  oneQueue(2, {
    announce_every_s: null,
    wrapup_s: 0,
    strategy: 'linear',
    callback: { enabled: true, offer_after_s: 30, key: '2', confirm_key: '1', attempts: 2, retry_after_s: 120, answer_timeout_s: 40 },
    ...extra,
  });

test('the callback offer is announced after offer_after_s, and the key works only from then on', () => {
  const h = new Harness(cbQueue());
  h.enter('c1', 'q').wait(10).send({ type: 'dtmf', callId: 'c1', key: '2' });
  assert.equal(h.eventsOf('callback-requested').length, 0);
  h.wait(20);
  assert.deepEqual(h.commandsOf('announce'), [{ type: 'announce', callId: 'c1', prompt: 'callback-offer', key: '2' }]);
  h.send({ type: 'dtmf', callId: 'c1', key: '2' });
  assert.deepEqual(h.eventsOf('callback-requested').map((e) => [e.callId, e.number, e.position]), [['c1', '+49100', 1]]);
  assert.deepEqual(h.commandsOf('route'), [{ type: 'route', callId: 'c1', to: { kind: 'callback' }, reason: 'callback' }]);
});

test('a callback keeps its place, reserves an agent, and rings the agent only after the customer confirms', () => {
  const h = new Harness(cbQueue());
  h.enter('c1', 'q').enter('c2', 'q').wait(30).send({ type: 'dtmf', callId: 'c1', key: '2' });
  h.enter('c3', 'q');
  // The callback still counts for position and estimates.
  assert.deepEqual(h.acd.queue('q').entries.map((e) => [e.callId, e.phase]), [
    ['c1', 'callback'],
    ['c2', 'waiting'],
    ['c3', 'waiting'],
  ]);
  assert.equal(h.acd.estimate('c3')?.position, 3);
  h.login('a1');
  assert.equal(h.state('a1'), 'reserved');
  assert.deepEqual(h.commandsOf('dial-callback'), [
    { type: 'dial-callback', callId: 'c1', number: '+49100', agentId: 'a1', attempt: 1, confirmKey: '1', timeoutS: 40 },
  ]);
  assert.equal(h.commandsOf('offer').length, 0, 'the agent does not ring before the customer confirms');
  h.wait(5).send({ type: 'dtmf', callId: 'c1', key: '1' });
  assert.deepEqual(h.commandsOf('offer').map((c) => [c.callId, c.agentId]), [['c1', 'a1']]);
  h.answer('a1', 'c1');
  assert.deepEqual(h.eventsOf('callback-connected').map((e) => e.attempt), [1]);
  assert.equal(h.eventsOf('connect')[0]?.callback, true);
  assert.equal(h.eventsOf('connect')[0]?.interactionId, h.eventsOf('enter')[0]?.interactionId);
});

test('an unconfirmed callback is retried after retry_after_s keeping its place, then given up', () => {
  const h = new Harness(cbQueue());
  h.enter('c1', 'q').wait(30).send({ type: 'dtmf', callId: 'c1', key: '2' });
  h.enter('c2', 'q', { callerNumber: undefined });
  h.login('a1');
  h.send({ type: 'callback-failed', callId: 'c1', reason: 'busy' });
  // a1 is free again and takes the live caller while the callback waits for its retry.
  assert.equal(h.offeredTo('a1'), 'c2');
  h.answer('a1', 'c2').wait(10).hangupAgent('a1');
  assert.deepEqual(h.acd.queue('q').entries.map((e) => e.callId), ['c1']);
  h.wait(109.999);
  assert.equal(h.commandsOf('dial-callback').length, 1);
  h.wait(0.001);
  assert.deepEqual(h.commandsOf('dial-callback').map((c) => c.attempt), [1, 2]);
  // An answering machine never presses 1: the attempt times out.
  h.wait(40);
  assert.deepEqual(h.commandsOf('cancel-callback'), [{ type: 'cancel-callback', callId: 'c1' }]);
  assert.deepEqual(h.eventsOf('callback-failed').map((e) => [e.reason, e.attempt, e.final]), [
    ['busy', 1, false],
    ['no-confirm', 2, true],
  ]);
  assert.equal(h.state('a1'), 'available');
  assert.deepEqual(h.acd.queue('q').entries, []);
});

test('overflow to callback turns the waiting caller into a callback at the same place', () => {
  const h = new Harness(cbQueue({ overflow: { after_s: 60, to: 'callback' } }));
  h.enter('c1', 'q').wait(60);
  assert.deepEqual(h.eventsOf('callback-requested').map((e) => e.callId), ['c1']);
  assert.equal(h.eventsOf('exit').length, 0);
});

test('a reserved agent pausing before the customer confirms does not cost an attempt', () => {
  const h = new Harness(cbQueue());
  h.enter('c1', 'q').wait(30).send({ type: 'dtmf', callId: 'c1', key: '2' });
  h.login('a1').send({ type: 'agent-pause', agentId: 'a1', reason: 'x' });
  assert.deepEqual(h.commandsOf('cancel-callback'), [{ type: 'cancel-callback', callId: 'c1' }]);
  h.login('a2');
  assert.deepEqual(h.commandsOf('dial-callback').map((c) => [c.agentId, c.attempt]), [
    ['a1', 1],
    ['a2', 1],
  ]);
  assert.deepEqual(h.acd.invariantViolations(), []);
});

test('abandoned-resume: a caller who calls back within abandoned_resume_s regains their place', () => {
  const h = new Harness(oneQueue(1, { announce_every_s: null, abandoned_resume_s: 60 }));
  h.enter('c1', 'q', { callerNumber: '+4911' }).wait(5).enter('c2', 'q').enter('c3', 'q');
  h.wait(5).send({ type: 'caller-hangup', callId: 'c1' });
  assert.deepEqual(h.eventsOf('abandon').map((e) => [e.callId, e.waitMs, e.position]), [['c1', 10_000, 1]]);
  h.wait(59);
  const first = h.eventsOf('enter')[0]?.interactionId;
  assert.equal(h.acd.resumableInteraction('q', '+4911', h.now), first, 'the adapter can learn the resumed interaction before the call enters');
  assert.equal(h.acd.resumableInteraction('q', '+4999', h.now), undefined);
  h.enter('c4', 'q', { callerNumber: '+4911' });
  assert.equal(h.acd.resumableInteraction('q', '+4911', h.now), undefined, 'a place is resumed once');
  const entries = h.acd.queue('q').entries;
  assert.deepEqual(entries.map((e) => e.callId), ['c4', 'c2', 'c3']);
  assert.equal(entries[0]?.waitMs, 69_000, 'the earlier wait counts');
  const enter = h.eventsOf('enter').at(-1);
  assert.deepEqual(enter && [enter.resumed, enter.position, enter.interactionId], [true, 1, h.eventsOf('enter')[0]?.interactionId]);
});

test('abandoned-resume expires after abandoned_resume_s', () => {
  const h = new Harness(oneQueue(1, { announce_every_s: null, abandoned_resume_s: 60 }));
  h.enter('c1', 'q', { callerNumber: '+4911' }).enter('c2', 'q').send({ type: 'caller-hangup', callId: 'c1' });
  h.wait(61);
  assert.equal(h.acd.resumableInteraction('q', '+4911', h.now), undefined);
  h.enter('c3', 'q', { callerNumber: '+4911' });
  assert.deepEqual(h.acd.queue('q').entries.map((e) => e.callId), ['c2', 'c3']);
  assert.equal(h.eventsOf('enter').at(-1)?.resumed, false);
});
