import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AcdEvent } from '../../src/acd/index.ts';
import { until } from '../calls/harness.ts';
import { startQueueHarness } from './harness.ts';

test('abandoned-resume: a caller who hangs up and calls again keeps their interaction id in the CDRs and the queue log', async (t) => {
  const h = await startQueueHarness(t);
  const heard: AcdEvent[] = [];
  t.after(h.queues.onEvents((events) => heard.push(...events)));
  const eve = await h.phone(t, '1005', { toneHz: 660, address: '127.0.0.3' });
  // Sales (501) has no agent logged in: the caller waits.
  eve.command('dial', '501');
  await eve.waitEvent('CALL_ESTABLISHED');
  const first = await until('the caller waits', () => h.queues.acd.queue('501').entries[0]);
  eve.command('hangup');
  await until('the caller abandoned', () => h.queues.acd.queue('501').entries.length === 0);
  const since = eve.events.length;
  eve.command('dial', '501');
  await eve.waitEvent('CALL_ESTABLISHED', 10_000, since);
  const second = await until('the caller waits again', () => h.queues.acd.queue('501').entries[0]);
  assert.notEqual(second.callId, first.callId, 'a new call');
  assert.equal(second.interactionId, first.interactionId, 'the same interaction');

  const enters = h.db.prepare("SELECT call_id, interaction_id, data FROM queue_events WHERE type = 'enter' ORDER BY id").all() as Array<{ call_id: string; interaction_id: string; data: string }>;
  assert.deepEqual(
    enters.map((e) => [e.call_id, e.interaction_id, (JSON.parse(e.data) as { resumed: boolean }).resumed]),
    [
      [first.callId, first.interactionId, false],
      [second.callId, first.interactionId, true],
    ],
  );
  const cdrs = h.db.prepare("SELECT leg_id, interaction_id FROM cdrs WHERE callee = '501' ORDER BY id").all() as Array<{ leg_id: string; interaction_id: string }>;
  assert.deepEqual(
    cdrs.map((c) => c.interaction_id),
    [first.interactionId, first.interactionId],
    'both calls CDRs carry the interaction',
  );
  assert.deepEqual(
    heard.filter((e) => e.type === 'enter' || e.type === 'abandon').map((e) => [e.type, 'interactionId' in e && e.interactionId]),
    [
      ['enter', first.interactionId],
      ['abandon', first.interactionId],
      ['enter', first.interactionId],
    ],
    'the queue service hands its events to listeners (onEvents)',
  );
  eve.command('hangup');
  await until('rtpengine holds no call', async () => (await h.mediaCalls()).length === 0);
});
