import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KpiCollector } from '../../src/stats/index.ts';
import { Harness, oneQueue } from '../acd/harness.ts';

const MIN = 60_000;

test('ASA, AHT, abandonment and service level per interval from real ACD events', () => {
  const h = new Harness(oneQueue(1, { announce_every_s: null, wrapup_s: 30 }));
  h.login('a1');
  // 00:00 c1 answered after 10 s, talks 60 s, 30 s wrap-up.
  h.enter('c1', 'q').wait(10).answer('a1').wait(60).hangupAgent('a1');
  // 00:01:10 c2 arrives during wrap-up and is answered at 00:01:40 (30 s wait), talks 120 s.
  h.enter('c2', 'q').wait(30).answer('a1');
  // c3 hangs up after 2 s (short abandon), c4 after 60 s.
  h.enter('c3', 'q').wait(2).send({ type: 'caller-hangup', callId: 'c3' });
  h.enter('c4', 'q').wait(60).send({ type: 'caller-hangup', callId: 'c4' });
  h.at(4 * MIN).hangupAgent('a1').wait(30);
  const kpi = new KpiCollector({ intervalMs: 15 * MIN, serviceLevelS: 20, shortAbandonS: 5 });
  for (const e of h.events) kpi.add(e);
  const { queues, agents } = kpi.report(15 * MIN);
  assert.equal(queues.length, 1);
  const q = queues[0];
  assert.ok(q);
  assert.deepEqual(
    { offered: q.offered, answered: q.answered, withinSl: q.answeredWithinSl, abandoned: q.abandoned, short: q.shortAbandoned, handled: q.handled },
    { offered: 4, answered: 2, withinSl: 1, abandoned: 1, short: 1, handled: 2 },
  );
  assert.equal(q.asaS, 20);
  // c1: 60 s talk + 30 s wrap-up; c2: from 00:01:40 to 00:04:00 = 140 s talk + 30 s wrap-up.
  assert.equal(q.ahtS, (90 + 170) / 2);
  assert.equal(q.abandonRate, 1 / 3);
  assert.equal(q.serviceLevel, 1 / 3);
  const a = agents[0];
  assert.ok(a);
  assert.deepEqual({ talk: a.talkMs, wrap: a.wrapMs }, { talk: 200_000, wrap: 60_000 });
  assert.equal(a.idleMs, 15 * MIN - 260_000);
  assert.equal(a.occupancy, 260_000 / (15 * MIN));
});

test('agent time is split at interval boundaries and paused time is not idle', () => {
  const h = new Harness(oneQueue(1, { announce_every_s: null, wrapup_s: 0 }));
  h.at(10 * MIN).login('a1');
  h.at(14 * MIN).enter('c1', 'q').answer('a1');
  h.at(17 * MIN).hangupAgent('a1').send({ type: 'agent-pause', agentId: 'a1', reason: 'lunch' });
  const kpi = new KpiCollector({ intervalMs: 15 * MIN });
  for (const e of h.events) kpi.add(e);
  const { agents } = kpi.report(20 * MIN);
  assert.deepEqual(
    agents.map((a) => [a.start / MIN, a.idleMs / MIN, a.talkMs / MIN, a.pausedMs / MIN]),
    [
      [0, 4, 1, 0],
      [15, 0, 2, 3],
    ],
  );
  assert.equal(agents[1]?.occupancy, 1);
});
