import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Lingering } from '../../src/sip-engine/transaction/lingering.ts';

test('lingering transactions expire in order after their time; one re-added under its key keeps its own time', () => {
  const l = new Lingering<string>(1000);
  l.add('a', '200 for a', 0);
  l.add('b', '200 for b', 10);
  l.add('a', 'again', 500); // the same key answered again later (a re-used branch)
  assert.equal(l.size, 2);
  l.sweep(999);
  assert.equal(l.get('a'), 'again');
  l.sweep(1000);
  assert.equal(l.get('a'), 'again', "a's first entry is due, but the newer one stays");
  assert.equal(l.get('b'), '200 for b');
  l.sweep(1010);
  assert.equal(l.get('b'), undefined);
  assert.equal(l.nextDue, 1500);
  l.sweep(1500);
  assert.equal(l.size, 0);
  assert.equal(l.nextDue, undefined);
});

test('a long run of lingering entries is swept without keeping the expired ones', () => {
  const l = new Lingering<number>(100);
  for (let i = 0; i < 20_000; i++) {
    l.add(`k${i}`, i, i);
    l.sweep(i);
  }
  assert.equal(l.size, 100);
  assert.equal(l.get('k19899'), undefined);
  assert.equal(l.get('k19900'), 19900);
});
