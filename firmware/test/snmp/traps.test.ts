import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startSnmpAgent } from '../../src/snmp/agent.ts';
import { watchConditions } from '../../src/snmp/conditions.ts';
import { parseSnmpConfig } from '../../src/config/snmp-schema.ts';
import { generateEngineId } from '../../src/snmp/engine-id.ts';
import { freePort } from '../helpers/ports.ts';
import { tempDir } from '../helpers/tmp.ts';
import { FakeSource, queue } from './fake-source.ts';
import { V3_USER, captureLogger } from './tools.ts';
import { startTrapd } from './trapd.ts';

async function setup(t: { after(fn: () => Promise<void> | void): void }, rateLimit?: { holdDownMs: number; maxPerMinute?: number }) {
  const dir = tempDir(t);
  const engineId = generateEngineId();
  const trapd = await startTrapd(t, { dir, port: await freePort(), engineId, user: V3_USER, community: 'trapcomm' });
  const config = parseSnmpConfig({
    users: [V3_USER],
    trap_receivers: [
      { host: '127.0.0.1', port: trapd.port, version: '3', user: V3_USER.name },
      { host: '127.0.0.1', port: trapd.port, version: '2c', community: 'trapcomm' },
    ],
  });
  const source = new FakeSource();
  const { log } = captureLogger();
  const agent = await startSnmpAgent({ bind: '127.0.0.1', port: await freePort(), config, engineId, source, log, ...(rateLimit ? { rateLimit } : {}) });
  t.after(() => agent.close());
  return { trapd, agent, source, log };
}

const v3 = /^TRAP2, SNMP v3, user nms/;
const v2c = /^TRAP2, SNMP v2c, community trapcomm/;

test('a trunk whose OPTIONS stop answering produces cbTrunkDown over v3 and v2c; its recovery cbTrunkUp', async (t) => {
  const { trapd, agent, source, log } = await setup(t);
  const watcher = watchConditions({ source, notify: agent.sendNotification, log });
  t.after(() => watcher.stop());
  watcher.check();
  source.trunkList = source.trunkList.map((tr) => (tr.index === 1 ? { ...tr, state: 'down', optionsRttMs: null } : tr));
  watcher.check();
  const down = await trapd.waitFor(/snmpTrapOID\.0 = OID: CALLBOX-MIB::cbTrunkDown/, 2);
  assert.equal(down.filter((l) => v3.test(l)).length, 1, down.join('\n'));
  assert.equal(down.filter((l) => v2c.test(l)).length, 1, down.join('\n'));
  for (const line of down) {
    assert.match(line, /CALLBOX-MIB::cbTrunkName\.1 = STRING: carrier-a\tCALLBOX-MIB::cbTrunkState\.1 = INTEGER: down\(2\)\tCALLBOX-MIB::cbTrunkRegState\.1 = INTEGER: registered\(2\)/);
  }
  // Both trunks are down now: the NOC also hears that no external call is possible.
  const all = await trapd.waitFor(/snmpTrapOID\.0 = OID: CALLBOX-MIB::cbAllTrunksDown/, 2);
  assert.match(all[0]!, /cbTrunkCount\.0 = Gauge32: 2/);

  source.trunkList = source.trunkList.map((tr) => (tr.index === 2 ? { ...tr, state: 'up' } : tr));
  watcher.check();
  const up = await trapd.waitFor(/cbTrunkUp/, 2);
  assert.match(up[0]!, /cbTrunkName\.2 = STRING: carrier-b\tCALLBOX-MIB::cbTrunkState\.2 = INTEGER: up\(1\)/);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(agent.counters.notificationsSent, 6, trapd.received().join('\n'));
});

test('a flapping trunk is rate-limited, and receivers end up told its final state', async (t) => {
  const { trapd, agent } = await setup(t, { holdDownMs: 1500 });
  const send = (state: 'up' | 'down') =>
    agent.sendNotification(state === 'down' ? 'cbTrunkDown' : 'cbTrunkUp', { index: 1, values: { cbTrunkName: 'carrier-a', cbTrunkState: state, cbTrunkRegState: 'registered' } }, 'trunk:1');
  for (let i = 0; i < 10; i++) send(i % 2 === 0 ? 'down' : 'up');
  send('down');
  await trapd.waitFor(/cbTrunkDown/, 2);
  await new Promise((r) => setTimeout(r, 2500));
  const lines = trapd.received();
  // 11 changes in a burst: the first is sent, the rest are held; when the hold-down ends the trunk is down
  // again, which receivers already know, so nothing more is sent.
  assert.equal(lines.filter((l) => /cbTrunkDown/.test(l)).length, 2, lines.join('\n'));
  assert.equal(lines.filter((l) => /cbTrunkUp/.test(l)).length, 0, lines.join('\n'));
  assert.equal(agent.counters.notificationsSuppressed, 10);

  // A change held back that differs from what receivers know is delivered when the hold-down ends.
  send('up');
  send('down');
  send('up');
  const up = await trapd.waitFor(/cbTrunkUp/, 2, 5000);
  assert.match(up[0]!, /cbTrunkState\.1 = INTEGER: up\(1\)/);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(trapd.received().length, 4);
});

test('disk filling past the threshold, a failed disk, heat, engines and a breached service level each notify', async (t) => {
  const { trapd, agent, source, log } = await setup(t, { holdDownMs: 300 });
  const watcher = watchConditions({ source, notify: agent.sendNotification, log, thresholds: { diskUsedPercent: 90, temperatureC: 70 } });
  t.after(() => watcher.stop());
  source.queueList = [{ ...queue(1, 'Support', '500'), serviceLevelPercent: 85 }];
  watcher.check();
  assert.deepEqual(trapd.received(), [], 'healthy state notifies nothing');

  source.sys = {
    ...source.sys,
    temperatureC: 71.5,
    rtpengine: 'down',
    disks: [
      { mountPoint: '/data', device: '/dev/sdb1', state: 'mounted', sizeBytes: 100 * 1048576, freeBytes: 5 * 1048576, usedPercent: 95 },
      { mountPoint: '/rec', device: '', state: 'unmounted', sizeBytes: 0, freeBytes: 0, usedPercent: 0 },
    ],
  };
  source.queueList = [{ ...queue(1, 'Support', '500'), serviceLevelPercent: 62 }];
  watcher.check();
  const low = await trapd.waitFor(/cbDiskSpaceLow/, 2);
  assert.match(low[0]!, /cbDiskMountPoint\.1 = STRING: \/data\tCALLBOX-MIB::cbDiskFree\.1 = Gauge32: 5 MiB\tCALLBOX-MIB::cbDiskUsedPercent\.1 = Gauge32: 95 percent\tCALLBOX-MIB::cbNotifThreshold\.0 = INTEGER: 90/);
  const failed = await trapd.waitFor(/cbDiskFailed/, 2);
  assert.match(failed[0]!, /cbDiskMountPoint\.2 = STRING: \/rec\tCALLBOX-MIB::cbDiskDevice\.2 = STRING: \tCALLBOX-MIB::cbDiskState\.2 = INTEGER: unmounted\(2\)/);
  const hot = await trapd.waitFor(/cbTemperatureHigh/, 2);
  assert.match(hot[0]!, /cbSysTemperature\.0 = INTEGER: 715 0\.1 degrees Celsius\tCALLBOX-MIB::cbNotifThreshold\.0 = INTEGER: 700/);
  const rtp = await trapd.waitFor(/cbRtpengineDown/, 2);
  assert.match(rtp[0]!, /cbSysRtpengineState\.0 = INTEGER: down\(2\)/);
  const sl = await trapd.waitFor(/cbServiceLevelBreached/, 2);
  assert.match(sl[0]!, /cbQueueName\.1 = STRING: Support\tCALLBOX-MIB::cbQueueServiceLevel\.1 = Gauge32: 62 percent\tCALLBOX-MIB::cbQueueServiceLevelTarget\.1 = Gauge32: 80 percent/);

  source.sys = { ...source.sys, rtpengine: 'up' };
  watcher.check();
  await trapd.waitFor(/cbRtpengineUp/, 2);
  watcher.check();
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(trapd.received().length, 12, 'a condition that persists is not repeated');
});

test('event notifications (brute force, firmware updated) carry their objects', async (t) => {
  const { trapd, agent } = await setup(t);
  agent.sendNotification('cbRegistrationBruteForce', { values: { cbNotifSourceAddress: '198.51.100.7', cbSipAuthFailures: 1234n } }, 'bruteforce:198.51.100.7');
  agent.sendNotification('cbFirmwareUpdated', { values: { cbSysFirmwareVersion: '1.2.3-test', cbNotifPreviousVersion: '1.2.2' } });
  const bf = await trapd.waitFor(/cbRegistrationBruteForce/, 2);
  assert.match(bf[0]!, /cbNotifSourceAddress\.0 = STRING: 198\.51\.100\.7\tCALLBOX-MIB::cbSipAuthFailures\.0 = Counter64: 1234/);
  const fw = await trapd.waitFor(/cbFirmwareUpdated/, 2);
  assert.match(fw[0]!, /cbSysFirmwareVersion\.0 = STRING: 1\.2\.3-test\tCALLBOX-MIB::cbNotifPreviousVersion\.0 = STRING: 1\.2\.2/);
});

test('informs (v3 and v2c) are acknowledged by the receiver', async (t) => {
  const dir = tempDir(t);
  const engineId = generateEngineId();
  const trapd = await startTrapd(t, { dir, port: await freePort(), engineId, user: V3_USER, community: 'trapcomm' });
  const config = parseSnmpConfig({
    users: [V3_USER],
    trap_receivers: [
      { host: '127.0.0.1', port: trapd.port, version: '3', user: V3_USER.name, inform: true },
      { host: '127.0.0.1', port: trapd.port, version: '2c', community: 'trapcomm', inform: true },
    ],
  });
  const agent = await startSnmpAgent({ bind: '127.0.0.1', port: await freePort(), config, engineId, source: new FakeSource(), log: captureLogger().log });
  t.after(() => agent.close());
  agent.sendNotification('cbSipEngineDown', { values: { cbSysSipEngineState: 'down' } });
  const got = await trapd.waitFor(/cbSipEngineDown/, 2);
  assert.ok(got.some((l) => /^INFORM, SNMP v3, user nms/.test(l)), got.join('\n'));
  assert.ok(got.some((l) => /^INFORM, SNMP v2c, community trapcomm/.test(l)), got.join('\n'));
  // An inform counts as sent only once the receiver acknowledged it.
  const deadline = performance.now() + 5000;
  while (agent.counters.notificationsSent < 2 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.equal(agent.counters.notificationsSent, 2);
});
