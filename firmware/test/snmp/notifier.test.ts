import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSnmpConfig } from '../../src/config/snmp-schema.ts';
import { Notifier, notificationVarbinds } from '../../src/snmp/notifier.ts';
import { captureLogger } from './tools.ts';

test('a storm across many conditions is capped per minute', () => {
  let now = 0;
  const { log, lines } = captureLogger();
  const n = new Notifier({ config: parseSnmpConfig({}), engineId: '80007ed905000000000000000000000001', log, rateLimit: { holdDownMs: 60_000, maxPerMinute: 3 }, now: () => now });
  for (let i = 1; i <= 5; i++) n.notify({ name: 'cbTrunkDown', index: i, values: { cbTrunkName: `t${i}`, cbTrunkState: 'down', cbTrunkRegState: 'failed' } }, `trunk:${i}`);
  assert.equal(n.counters.suppressed, 2);
  assert.equal(lines.filter((l) => String(l['msg']).startsWith('notification dropped')).length, 2);
  now = 61_000;
  n.notify({ name: 'cbTrunkDown', index: 6, values: { cbTrunkName: 't6', cbTrunkState: 'down', cbTrunkRegState: 'failed' } }, 'trunk:6');
  assert.equal(n.counters.suppressed, 2, 'a minute later notifications flow again');
  n.close();
});

test('varbinds follow the MIB: row index for columns, .0 for scalars, every listed object required', () => {
  const vbs = notificationVarbinds({ name: 'cbDiskSpaceLow', index: 2, values: { cbDiskMountPoint: '/rec', cbDiskFree: 12, cbDiskUsedPercent: 97, cbNotifThreshold: 90 } });
  assert.deepEqual(
    vbs.map((v) => [v.oid, v.value]),
    [
      ['1.3.6.1.4.1.32473.1.1.1.11.1.2.2', '/rec'],
      ['1.3.6.1.4.1.32473.1.1.1.11.1.6.2', 12],
      ['1.3.6.1.4.1.32473.1.1.1.11.1.7.2', 97],
      ['1.3.6.1.4.1.32473.1.1.6.3.0', 90],
    ],
  );
  assert.throws(() => notificationVarbinds({ name: 'cbTrunkDown', values: { cbTrunkName: 'x', cbTrunkState: 'down', cbTrunkRegState: 'failed' } }), /table column, give the row index/);
  assert.throws(() => notificationVarbinds({ name: 'cbTrunkUp', index: 1, values: { cbTrunkName: 'x', cbTrunkState: 'up' } }), /missing value for cbTrunkRegState/);
  assert.throws(() => notificationVarbinds({ name: 'cbTrunkUp', index: 1, values: { cbTrunkName: 'x', cbTrunkState: 'sideways', cbTrunkRegState: 'failed' } }), /sideways is not one of up, down, degraded/);
});
