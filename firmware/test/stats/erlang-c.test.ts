import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentsFor, averageSpeedOfAnswer, erlangC, occupancy, serviceLevel } from '../../src/stats/index.ts';

const close = (actual: number, expected: number, eps = 1e-4): void => assert.ok(Math.abs(actual - expected) < eps, `${actual} vs ${expected}`);

test('Erlang C matches the closed formula', () => {
  close(erlangC(12, 10), 0.449388);
  close(erlangC(11, 10), 0.682118);
  close(erlangC(3, 2), 4 / 9);
  assert.equal(erlangC(10, 10), 1, 'no steady state when traffic reaches the agents');
  assert.equal(erlangC(5, 0), 0);
});

test('service level, ASA and occupancy for 100 calls/h of 180 s', () => {
  const input = { agents: 8, callsPerHour: 100, ahtS: 180 };
  close(serviceLevel(input, 20), 0.880148);
  close(averageSpeedOfAnswer(input), 10.035990, 1e-3);
  close(occupancy(input), 5 / 8);
  assert.equal(serviceLevel({ ...input, agents: 5 }, 20), 0);
  assert.equal(averageSpeedOfAnswer({ ...input, agents: 5 }), Number.POSITIVE_INFINITY);
});

test('agents needed for 80 % answered within 20 s', () => {
  assert.equal(agentsFor(100, 180, 20, 0.8), 8);
  assert.equal(agentsFor(100, 180, 20, 0.95), 10);
  assert.equal(agentsFor(100, 180, 20, 0.8, 6), null);
});
