import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TimerWheel } from '../../src/sip-engine/transaction/timer-wheel.ts';

test('timer wheel fires in order, honours cancel, and stops when idle', async () => {
  const errors: unknown[] = [];
  const w = new TimerWheel((e) => errors.push(e));
  const fired: string[] = [];
  w.schedule(60, () => fired.push('b'));
  w.schedule(20, () => fired.push('a'));
  const c = w.schedule(40, () => fired.push('cancelled'));
  w.schedule(30, () => {
    throw new Error('boom');
  });
  w.cancel(c);
  assert.equal(w.pending, 3);
  await new Promise((r) => setTimeout(r, 150));
  assert.deepEqual(fired, ['a', 'b']);
  assert.equal(errors.length, 1, 'a throwing timer is reported, not fatal');
  assert.equal(w.pending, 0);
  w.stop();
});
