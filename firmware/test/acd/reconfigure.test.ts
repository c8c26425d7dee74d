import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AcdConfig } from '../../src/acd/index.ts';
import { Harness } from './harness.ts';

const quiet = { announce_every_s: null, wrapup_s: 0 } as const;

function base(): AcdConfig {
  return {
    agents: [{ id: 'a1', skills: { billing: 2 } }, { id: 'a2' }],
    queues: [
      { id: '500', options: { ...quiet, skills: { billing: 3 } }, members: [{ agentId: 'a1' }] },
      { id: '501', options: { ...quiet, callback: { enabled: true, offer_after_s: 0 } }, members: [{ agentId: 'a2' }] },
    ],
  };
}

test('new members and relaxed skills take effect for callers already waiting, who keep their place', () => {
  const h = new Harness(base());
  h.login('a1', 'a2');
  h.enter('c1', '500').enter('c2', '500');
  assert.equal(h.offers().length, 0, 'a1 has billing 2, the queue asks for 3');
  const queue = (skills: Record<string, number>): AcdConfig['queues'][number] => ({ id: '500', options: { ...quiet, skills }, members: [{ agentId: 'a1' }, { agentId: 'a2' }] });
  h.acd.reconfigure({ ...base(), queues: [queue({ billing: 2 }), base().queues[1] as AcdConfig['queues'][number]] }, h.now);
  assert.equal(h.offeredTo('a1'), 'c1');
  assert.equal(h.offeredTo('a2'), undefined, 'a2 is a member now but has no billing skill');
  h.acd.reconfigure({ ...base(), queues: [queue({}), base().queues[1] as AcdConfig['queues'][number]] }, h.now);
  assert.equal(h.offeredTo('a2'), 'c2');
});

test('a removed queue lets its callers leave and gives up its callbacks; a removed agent logs out after its call', () => {
  const h = new Harness(base());
  h.login('a1');
  h.enter('c1', '501').send({ type: 'dtmf', callId: 'c1', key: '2' });
  h.enter('c2', '501');
  h.enter('c3', '500', { skills: {} }).answer('a1');
  const next: AcdConfig = { agents: [{ id: 'a2' }], queues: [{ id: '500', options: quiet, members: [] }] };
  const out = h.acd.reconfigure(next, h.now);
  assert.deepEqual(
    out.events.filter((e) => e.type === 'exit' || e.type === 'callback-failed').map((e) => [e.type, e.callId]),
    [
      ['callback-failed', 'c1'],
      ['exit', 'c2'],
    ],
  );
  assert.equal(h.state('a1'), 'on-call');
  h.hangupAgent('a1');
  assert.equal(h.state('a1'), 'logged-out');
  assert.deepEqual(h.acd.queueIds(), ['500']);
  assert.deepEqual(h.acd.invariantViolations(), []);
});

test('an invalid configuration changes nothing', () => {
  const h = new Harness(base());
  h.login('a1');
  const bad: AcdConfig = { agents: [{ id: 'a1' }], queues: [{ id: '500', options: { ring_timeout_s: -1 }, members: [{ agentId: 'zz' }] }] };
  assert.throws(() => h.acd.reconfigure(bad, h.now), /queues\.0\.options\.ring_timeout_s/);
  assert.deepEqual(h.acd.queueIds(), ['500', '501']);
  assert.equal(h.state('a1'), 'available');
});
