import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Harness, oneQueue } from './harness.ts';

test('estimated wait follows the live queue: callers ahead, staffed agents, measured handle time', () => {
  const h = new Harness(oneQueue(2, { announce_every_s: null, wrapup_s: 0, expected_handle_s: 100 }));
  h.enter('c1', 'q').enter('c2', 'q').enter('c3', 'q');
  assert.equal(h.acd.estimate('c1')?.ewtMs, null, 'nobody staffed: no estimate');
  h.login('a1');
  // a1 rings for c1 (assumed busy for a handle time); c2 is next, c3 after it.
  assert.deepEqual(h.acd.estimate('c2'), { position: 2, ewtMs: 100_000 });
  assert.deepEqual(h.acd.estimate('c3'), { position: 3, ewtMs: 200_000 });
  h.login('a2');
  // Both agents ring now; c3 waits for the first to finish.
  assert.deepEqual(h.acd.estimate('c3'), { position: 3, ewtMs: 100_000 });
  h.answer('a1', 'c1').answer('a2', 'c2').enter('c4', 'q').wait(40);
  assert.equal(h.acd.estimate('c3')?.ewtMs, 60_000, 'the current calls have run 40 s of their 100 s');
  assert.equal(h.acd.estimate('c4')?.ewtMs, 60_000);
  h.hangupAgent('a1');
  assert.equal(h.offeredTo('a1'), 'c3');
  assert.equal(h.acd.estimate('c4')?.ewtMs, 48_000, 'the 40 s call pulled the handle time to 88 s; a2 is 40 s into its call');
});

test('estimates after measured calls use the measured handle time', () => {
  const h = new Harness(oneQueue(1, { announce_every_s: null, wrapup_s: 0, expected_handle_s: 300 }));
  h.login('a1');
  for (let i = 0; i < 30; i++) h.serve(`c${i}`, 'q', 60);
  const handle = h.acd.queue('q').handleMs;
  assert.ok(Math.abs(handle - 60_000) < 1_000, `handle ${handle}`);
  h.enter('x1', 'q').answer('a1', 'x1').enter('x2', 'q').enter('x3', 'q');
  const e = h.acd.estimate('x3')?.ewtMs ?? 0;
  assert.ok(Math.abs(e - 2 * handle) < 1, `ewt ${e}`);
});

test('the queue view gives the wallboard the expected wait of a new caller and the longest wait', () => {
  const h = new Harness(oneQueue(1, { announce_every_s: null, wrapup_s: 0, expected_handle_s: 100 }));
  assert.equal(h.acd.queue('q').ewtMs, null);
  h.login('a1');
  assert.equal(h.acd.queue('q').ewtMs, 0);
  h.enter('c1', 'q').answer('a1').wait(30).enter('c2', 'q').wait(10);
  const view = h.acd.queue('q');
  assert.equal(view.longestWaitMs, 10_000);
  // a1 has 60 s left on c1, then c2 takes a full handle time.
  assert.equal(view.ewtMs, 160_000);
});
