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

test('after a stall, a datagram that arrived meanwhile is read before timers that came due (no needless retransmission)', async (t) => {
  const dgram = await import('node:dgram');
  const rx = dgram.createSocket('udp4');
  const tx = dgram.createSocket('udp4');
  t.after(() => {
    rx.close();
    tx.close();
  });
  await new Promise<void>((r) => rx.bind(0, '127.0.0.1', () => r()));
  const order: string[] = [];
  rx.on('message', () => order.push('response read'));
  const w = new TimerWheel((e) => assert.fail(String(e)));
  w.schedule(20, () => order.push('timer A'));
  await new Promise((r) => setTimeout(r, 5)); // the wheel's interval is running
  // The engine busy past the timer's due time (as with a burst of messages), the answer waiting in the socket;
  // the stall ends in the check phase, so the loop's next phase is the timers'.
  await new Promise<void>((r) =>
    setImmediate(() => {
      tx.send('SIP/2.0 180 Ringing\r\n\r\n', rx.address().port, '127.0.0.1');
      const until = Date.now() + 60;
      while (Date.now() < until);
      r();
    }),
  );
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(order, ['response read', 'timer A']);
  w.stop();
});

test('cancelling timers of one slot, before it and from a callback in it, leaves exactly the others to fire', async () => {
  const w = new TimerWheel((e) => assert.fail(String(e)));
  const fired: number[] = [];
  const timers = [0, 1, 2, 3, 4].map((i) => w.schedule(20, () => {
    fired.push(i);
    if (i === 0) w.cancel(timers[3]);
  }));
  w.cancel(timers[1]);
  assert.equal(w.pending, 4);
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(fired.sort(), [0, 2, 4]);
  assert.equal(w.pending, 0);
  w.stop();
});
