import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { z } from 'zod';
import { queueSchema } from '../../src/config/site-schema.ts';
import { Acd, acdConfigFromSite, defaultQueueOptions, queueOptionsSchema, queueOptionsTable, siteQueueSchema } from '../../src/acd/index.ts';

test('an empty options object gets the documented defaults', () => {
  const o = defaultQueueOptions();
  assert.equal(o.strategy, 'longest-idle');
  assert.equal(o.ring_timeout_s, 15);
  assert.equal(o.wrapup_s, 10);
  assert.equal(o.autopause_after, 3);
  assert.equal(o.join_empty, true);
  assert.equal(o.leave_when_empty, false);
  assert.equal(o.overflow, null);
  assert.equal(o.max_wait_s, null);
  assert.equal(o.callback.enabled, false);
  assert.equal(o.callback.confirm_key, '1');
  assert.equal(o.abandoned_resume_s, 60);
  // Every option carries a description for the README and the published JSON Schema.
  const schema = z.toJSONSchema(queueOptionsSchema, { io: 'input' }) as { properties: Record<string, { description?: string }> };
  const undocumented = Object.entries(schema.properties).filter(([k, v]) => v.description === undefined && !k.endsWith('_to')).map(([k]) => k);
  assert.deepEqual(undocumented, []);
  const table = queueOptionsTable();
  assert.deepEqual(table.find((r) => r.name === 'ring_timeout_s'), {
    name: 'ring_timeout_s',
    default: 15,
    description: 'an offer that is not answered in this time goes to the next agent',
  });
  assert.equal(table.length, Object.keys(o).length);
});

test('invalid options are reported with their paths', () => {
  const r = queueOptionsSchema.safeParse({
    strategy: 'fastest',
    overflow: { after_s: 30, to: 'voicemail:1' },
    skills: { Billing: 7 },
    widening: [{ after_s: 60 }, { after_s: 30 }],
    unknown_option: 1,
  });
  assert.equal(r.success, false);
  const paths = r.error?.issues.map((i) => i.path.join('.')).sort();
  assert.deepEqual(paths, ['', 'overflow.to', 'skills.Billing', 'strategy']);
  const cross = queueOptionsSchema.safeParse({ widening: [{ after_s: 60 }, { after_s: 30 }], overflow: { after_s: 10, to: 'callback' } });
  assert.deepEqual(cross.error?.issues.map((i) => i.path.join('.')).sort(), ['overflow.to', 'widening.1.after_s']);
});

test('a site-file queue in YAML becomes an engine that routes to its members', () => {
  const site = parse(`
extensions:
  - { number: "1001", name: Alice, agent: { skills: { billing: 4, german: 5 } } }
  - { number: "1002", name: Bob, agent: { skills: { billing: 2 } } }
  - { number: "2000", name: Lobby phone }
queues:
  - number: "500"
    name: Support
    strategy: linear
    members: ["1002", { extension: "1001", penalty: 1 }]
    ring_timeout_s: 20
    overflow: { after_s: 300, to: queue:501 }
    skills: { billing: 2 }
`) as { extensions: Array<{ number: string; agent?: { skills?: Record<string, number> } }>; queues: unknown[] };
  const queues = site.queues.map((q) => siteQueueSchema.parse(q));
  const acd = new Acd(acdConfigFromSite(site.extensions, queues));
  acd.handle({ type: 'agent-login', agentId: '1001' }, 0);
  acd.handle({ type: 'agent-login', agentId: '1002' }, 0);
  const out = acd.handle({ type: 'caller-entered', callId: 'c1', queue: '500' }, 0);
  assert.deepEqual(out.commands.map((c) => c.type === 'offer' && [c.agentId, c.timeoutS]), [['1002', 20]]);
  assert.throws(
    () => acdConfigFromSite(site.extensions, [siteQueueSchema.parse({ number: '9', name: 'x', members: ['2000'] })]),
    /queues\.0\.members\.0: extension 2000 has no agent block/,
  );
});

test('a queue exactly as the site file holds it (with announcements, music and service level) configures the distributor', () => {
  const queue = queueSchema.parse({ number: '500', name: 'Billing', members: ['1001'], service_level_s: 30, announce: { position: false }, music_on_hold: 'moh/default', wrapup_s: 5 });
  const config = acdConfigFromSite([{ number: '1001', agent: { skills: {} } }], [queue]);
  assert.deepEqual(Object.keys(config.queues[0]?.options ?? {}).filter((k) => ['service_level_s', 'announce', 'music_on_hold'].includes(k)), []);
  assert.equal((config.queues[0]?.options as { wrapup_s?: number }).wrapup_s, 5);
  assert.doesNotThrow(() => new Acd(config, { now: 0 }));
});
