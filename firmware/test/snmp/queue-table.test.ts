import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { Acd, type AcdInput } from '../../src/acd/index.ts';
import { parseSnmpConfig } from '../../src/config/snmp-schema.ts';
import { engineIdFromFile } from '../../src/snmp/engine-id.ts';
import { QueueFigureBook, type QueueTarget } from '../../src/snmp/queue-figures.ts';
import { ServiceDataSource } from '../../src/snmp/service-source.ts';
import { startSnmp } from '../../src/snmp/service.ts';
import { freePort } from '../helpers/ports.ts';
import { tempDir } from '../helpers/tmp.ts';
import { FakeSource } from './fake-source.ts';
import { MIB_ARGS, V3_USER, captureLogger, tool, v3Args } from './tools.ts';
import { startTrapd } from './trapd.ts';

const QUARTER = 15 * 60_000;

test('the queue table follows the distributor: waiting callers, agents, and the interval service level with its notification', { timeout: 60_000 }, async (t) => {
  // A clock at the start of the current quarter hour, so every call below falls into one interval.
  let now = Math.floor(Date.now() / QUARTER) * QUARTER + 1000;
  const acd = new Acd({ agents: [{ id: '1001' }, { id: '1002' }, { id: '1003' }], queues: [{ id: '500', members: [{ agentId: '1001' }, { agentId: '1002' }, { agentId: '1003' }] }] }, { now });
  const targets = new Map<string, QueueTarget>([['500', { name: 'Support', serviceLevelS: 20, targetPercent: 80 }]]);
  const book = new QueueFigureBook({ acd, members: () => new Map([['500', ['1001', '1002', '1003']]]), targets: () => targets, now: () => now });
  // As the queue app's onEvents does: every output's events reach the book.
  const send = (input: AcdInput) => book.add(acd.handle(input, now).events);
  const at = (ms: number) => {
    now = ms;
    book.add(acd.tick(now).events);
  };

  const dir = tempDir(t);
  const { engineId } = engineIdFromFile(path.join(dir, 'snmp-engine-id'));
  const trapd = await startTrapd(t, { dir, port: await freePort(), engineId, user: V3_USER, community: 'traps' });
  const source = new ServiceDataSource(new FakeSource());
  source.attach({ sip: () => new FakeSource().sipCounters, trunks: () => [], queues: () => book.list() });
  const port = await freePort();
  const config = parseSnmpConfig({ users: [V3_USER], trap_receivers: [{ host: '127.0.0.1', port: trapd.port, version: '2c', community: 'traps' }] });
  const svc = await startSnmp({ config, bind: '127.0.0.1', port, engineId, source, log: captureLogger().log, watchIntervalMs: 100 });
  t.after(() => svc.close());
  const table = async () => (await tool('snmptable', [...v3Args(V3_USER), ...MIB_ARGS, '-r', '1', '-t', '3', '-OU', '-Cf', '|', '-CH', `udp:127.0.0.1:${port}`, 'CALLBOX-MIB::cbQueueTable'])).stdout.trim();

  // Nobody called yet: nothing waits, nobody was missed.
  assert.match(await table(), /^Support\|500\|0\|0\|0\|0\|0\|0\|100\|80\|0\|0$/m);

  const t0 = now;
  send({ type: 'agent-login', agentId: '1002', paused: 'lunch' });
  send({ type: 'caller-entered', callId: 'c1', queue: '500' });
  // 1001 logs in after 25 s: c1 is answered, later than the 20 s the service level allows.
  at(t0 + 25_000);
  send({ type: 'agent-login', agentId: '1001' });
  assert.equal(acd.agent('1001').offeredCallId, 'c1');
  send({ type: 'agent-answered', agentId: '1001', callId: 'c1' });
  at(t0 + 26_000);
  send({ type: 'caller-entered', callId: 'c2', queue: '500' });
  at(t0 + 27_000);
  send({ type: 'caller-entered', callId: 'c3', queue: '500' });
  at(t0 + 37_000);
  send({ type: 'caller-hangup', callId: 'c3' });
  at(t0 + 40_000);

  assert.deepEqual(book.list(), [
    {
      name: 'Support',
      number: '500',
      callersWaiting: 1,
      longestWaitSeconds: 14,
      agentsLoggedIn: 2,
      agentsAvailable: 0,
      agentsOnCall: 1,
      agentsPaused: 1,
      serviceLevelPercent: 0,
      serviceLevelTargetPercent: 80,
      abandonedToday: 1,
      asaTodaySeconds: 25,
    },
  ]);
  const breached = await trapd.waitFor(/cbServiceLevelBreached/);
  assert.match(breached[0] as string, /cbQueueName\.1 = STRING: "?Support"?\tCALLBOX-MIB::cbQueueServiceLevel\.1 = Gauge32: 0 percent\tCALLBOX-MIB::cbQueueServiceLevelTarget\.1 = Gauge32: 80 percent/);
  await new Promise((r) => setTimeout(r, 1100));
  assert.match(await table(), /^Support\|500\|1\|14\|2\|0\|1\|1\|0\|80\|1\|25$/m);
});
