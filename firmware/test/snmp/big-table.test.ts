import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startSnmpAgent } from '../../src/snmp/agent.ts';
import { parseSnmpConfig } from '../../src/config/snmp-schema.ts';
import { generateEngineId } from '../../src/snmp/engine-id.ts';
import { freePort } from '../helpers/ports.ts';
import { FakeSource, manyTrunks } from './fake-source.ts';
import { MIB_ARGS, V3_USER, captureLogger, tool, v3Args } from './tools.ts';

// No timing assertion (benchmarks are separate): the walk must simply finish inside the test timeout.
test('a 5,000-row trunk table is walkable with snmpwalk over v3, in order and complete', { timeout: 180_000 }, async (t) => {
  const source = new FakeSource();
  source.trunkList = manyTrunks(5000);
  const port = await freePort();
  const agent = await startSnmpAgent({ bind: '127.0.0.1', port, config: parseSnmpConfig({ users: [V3_USER] }), engineId: generateEngineId(), source, log: captureLogger().log });
  t.after(() => agent.close());

  const walk = await tool('snmpwalk', [...v3Args(V3_USER), ...MIB_ARGS, '-r', '1', '-t', '10', `udp:127.0.0.1:${port}`, 'CALLBOX-MIB::cbTrunkTable'], { timeoutMs: 170_000 });
  assert.equal(walk.stderr, '');
  const lines = walk.stdout.trim().split('\n');
  assert.equal(lines.length, 5000 * 7);
  assert.equal(lines[0], 'CALLBOX-MIB::cbTrunkName.1 = STRING: trunk-00001');
  assert.equal(lines[4999], 'CALLBOX-MIB::cbTrunkName.5000 = STRING: trunk-05000');
  assert.equal(lines[5000], 'CALLBOX-MIB::cbTrunkState.1 = INTEGER: down(2)');
  assert.equal(lines.at(-1), 'CALLBOX-MIB::cbTrunkLastChange.5000 = STRING: 2026-11-1,0:0:19.0,+0:0');

  // Rows that go away disappear from the next walk; the sorted key cache follows.
  source.trunkList = source.trunkList.filter((r) => r.index % 2 === 0);
  await new Promise((r) => setTimeout(r, 1100));
  const names = await tool('snmpwalk', [...v3Args(V3_USER), ...MIB_ARGS, '-r', '1', '-t', '10', `udp:127.0.0.1:${port}`, 'CALLBOX-MIB::cbTrunkName'], { timeoutMs: 170_000 });
  const rows = names.stdout.trim().split('\n');
  assert.equal(rows.length, 2500);
  assert.equal(rows[0], 'CALLBOX-MIB::cbTrunkName.2 = STRING: trunk-00002');
});
