import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { test } from 'node:test';
import { startSnmpAgent, type SnmpAgent } from '../../src/snmp/agent.ts';
import { parseSnmpConfig } from '../../src/config/snmp-schema.ts';
import { generateEngineId } from '../../src/snmp/engine-id.ts';
import { freePort } from '../helpers/ports.ts';
import { FakeSource } from './fake-source.ts';
import { MIB_ARGS, V3_SHA1_USER, V3_USER, captureLogger, tool, v3Args } from './tools.ts';

async function start(t: { after(fn: () => Promise<void>): void }, source = new FakeSource()) {
  const port = await freePort();
  const { log, lines } = captureLogger();
  const config = parseSnmpConfig({
    contact: 'NOC <noc@example.net>',
    location: 'Rack 4, Berlin',
    users: [V3_USER, V3_SHA1_USER],
    communities: [
      { name: 'ro-local', networks: ['127.0.0.0/8'] },
      { name: 'ro-elsewhere', networks: ['192.0.2.0/24', '2001:db8::/32'] },
    ],
  });
  const engineId = generateEngineId();
  const agent: SnmpAgent = await startSnmpAgent({ bind: '127.0.0.1', port, config, engineId, source, log });
  t.after(() => agent.close());
  return { agent, port, lines, source, target: `udp:127.0.0.1:${port}` };
}

const quick = ['-r', '0', '-t', '2'];

test('v3 authPriv (SHA-256/AES and SHA/AES): get, walk and table of CALLBOX-MIB', async (t) => {
  const { target, agent, lines } = await start(t);
  assert.match(agent.engineId, /^80007ed905[0-9a-f]{24}$/);
  assert.ok(lines.some((l) => String(l['msg']).includes(agent.engineId)), 'the engine ID is in the log for the admin');

  const get = await tool('snmpget', [...v3Args(V3_USER), ...MIB_ARGS, ...quick, target, 'CALLBOX-MIB::cbSysFirmwareVersion.0', 'CALLBOX-MIB::cbSipCallsProcessed.0', 'CALLBOX-MIB::cbSysTemperature.0']);
  assert.equal(get.stderr, '');
  assert.match(get.stdout, /cbSysFirmwareVersion\.0 = STRING: 1\.2\.3-test/);
  assert.match(get.stdout, /cbSipCallsProcessed\.0 = Counter64: 5000000000/);
  assert.match(get.stdout, /cbSysTemperature\.0 = INTEGER: 485 0\.1 degrees Celsius/);

  const sha1 = await tool('snmpget', [...v3Args(V3_SHA1_USER), ...MIB_ARGS, ...quick, target, 'CALLBOX-MIB::cbSysBoardModel.0']);
  assert.match(sha1.stdout, /cbSysBoardModel\.0 = STRING: Test Board/);

  const walk = await tool('snmpwalk', [...v3Args(V3_USER), ...MIB_ARGS, ...quick, target, 'CALLBOX-MIB::callboxMIB']);
  assert.equal(walk.stderr, '');
  for (const line of [
    /cbSysRtpengineState\.0 = INTEGER: up\(1\)/,
    /cbSysMemTotal\.0 = Gauge32: 2097152 KiB/,
    /cbDiskMountPoint\.1 = STRING: \/data/,
    /cbDiskFree\.1 = Gauge32: 40 MiB/,
    /cbSipCallsPerSecond\.0 = Gauge32: 125 0\.01 calls per second/,
    /cbTrunkCount\.0 = Gauge32: 2/,
    /cbTrunkName\.2 = STRING: carrier-b/,
    /cbTrunkState\.2 = INTEGER: down\(2\)/,
    /cbTrunkRegState\.1 = INTEGER: registered\(2\)/,
    /cbTrunkLastChange\.1 = STRING: 2026-11-30,8:15:30\.0,\+0:0/,
    /cbQueueName\.1 = STRING: Support/,
    /cbQueueServiceLevelTarget\.1 = Gauge32: 80 percent/,
    /cbRecOldestRetained\.0 = STRING: 2026-6-1,0:0:0\.0,\+0:0/,
  ]) {
    assert.match(walk.stdout, line);
  }
  assert.doesNotMatch(walk.stdout, /cbTrunkIndex|cbNotif/, 'index columns and notify-only objects are not readable');
  const bulk = await tool('snmpbulkwalk', [...v3Args(V3_USER), ...MIB_ARGS, ...quick, '-Cr25', target, 'CALLBOX-MIB::callboxMIB']);
  assert.equal(bulk.stdout, walk.stdout, 'GETBULK returns what GETNEXT did');

  const table = await tool('snmptable', [...v3Args(V3_USER), ...MIB_ARGS, ...quick, '-Cf', '|', target, 'CALLBOX-MIB::cbTrunkTable']);
  assert.equal(table.stderr, '');
  const rows = table.stdout.trim().split('\n').slice(-2);
  assert.equal(rows[0], 'carrier-a|up|registered|23 milliseconds|2|0|2026-11-30,8:15:30.0,+0:0');
  assert.equal(rows[1], 'carrier-b|down|failed|0 milliseconds|0|5|2026-12-1,10:0:0.0,+0:0');
});

test('objects report what exists: no sensor, no retained recording, rows come and go', async (t) => {
  const { target, source } = await start(t);
  source.sys = { ...source.sys, temperatureC: null };
  source.rec = { ...source.rec, oldestRetained: null };
  source.trunkList = [source.trunkList[1]!, { ...source.trunkList[0]!, index: 3, name: 'carrier-c' }];
  await new Promise((r) => setTimeout(r, 1100)); // the agent copies data at most once per second
  const get = await tool('snmpget', [...v3Args(V3_USER), ...MIB_ARGS, ...quick, target, 'CALLBOX-MIB::cbSysTemperature.0']);
  assert.match(get.stdout, /cbSysTemperature\.0 = No Such Instance/);
  const walk = await tool('snmpwalk', [...v3Args(V3_USER), ...MIB_ARGS, ...quick, target, 'CALLBOX-MIB::callboxMIB']);
  assert.doesNotMatch(walk.stdout, /cbSysTemperature|cbRecOldestRetained/);
  assert.match(walk.stdout, /cbSysCpuLoad\.0 = Gauge32: 17 percent/);
  assert.match(walk.stdout, /cbTrunkName\.3 = STRING: carrier-c/);
  assert.doesNotMatch(walk.stdout, /cbTrunkName\.1 /);
  assert.match(walk.stdout, /cbTrunkCount\.0 = Gauge32: 2/);
  source.trunkList = [];
  source.queueList = [];
  await new Promise((r) => setTimeout(r, 1100));
  const empty = await tool('snmpwalk', [...v3Args(V3_USER), ...MIB_ARGS, ...quick, target, 'CALLBOX-MIB::cbTrunks']);
  assert.equal(empty.stderr, '');
  assert.equal(empty.stdout.trim(), 'CALLBOX-MIB::cbTrunkCount.0 = Gauge32: 0');
});

test('v2c only with a configured community, and only from its networks', async (t) => {
  const { target, agent } = await start(t);
  const ok = await tool('snmpwalk', ['-v2c', '-c', 'ro-local', ...MIB_ARGS, ...quick, target, 'CALLBOX-MIB::cbSip']);
  assert.equal(ok.stderr, '');
  assert.match(ok.stdout, /cbSipRegisteredEndpoints\.0 = Gauge32: 12/);
  assert.match(ok.stdout, /cbSipFailedCalls4xx\.0 = Counter64: 11/);

  const before = agent.counters.authFailures;
  const elsewhere = await tool('snmpget', ['-v2c', '-c', 'ro-elsewhere', ...MIB_ARGS, ...quick, target, 'CALLBOX-MIB::cbSysUptime.0']);
  assert.match(elsewhere.stderr, /Timeout/);
  const unknown = await tool('snmpget', ['-v2c', '-c', 'public', ...MIB_ARGS, ...quick, target, 'CALLBOX-MIB::cbSysUptime.0']);
  assert.match(unknown.stderr, /Timeout/);
  const v1 = await tool('snmpget', ['-v1', '-c', 'ro-local', ...MIB_ARGS, ...quick, target, 'CALLBOX-MIB::cbSysUptime.0']);
  assert.match(v1.stderr, /Timeout/);
  assert.equal(agent.counters.authFailures, before + 3);
});

test('the agent is read-only: SET is refused with notWritable over v3 and v2c', async (t) => {
  const { target, source } = await start(t);
  const v3 = await tool('snmpset', [...v3Args(V3_USER), ...MIB_ARGS, ...quick, target, 'CALLBOX-MIB::cbSysBoardModel.0', 's', 'hacked']);
  assert.match(v3.stderr, /notWritable/);
  const v2 = await tool('snmpset', ['-v2c', '-c', 'ro-local', ...MIB_ARGS, ...quick, target, 'CALLBOX-MIB::cbTrunkName.1', 's', 'hacked']);
  assert.match(v2.stderr, /notWritable/);
  const get = await tool('snmpget', [...v3Args(V3_USER), ...MIB_ARGS, ...quick, target, 'CALLBOX-MIB::cbSysBoardModel.0', 'CALLBOX-MIB::cbTrunkName.1']);
  assert.match(get.stdout, /Test Board/);
  assert.match(get.stdout, /carrier-a/);
  assert.equal(source.sys.boardModel, 'Test Board');
});

test('wrong v3 credentials are rejected, counted and logged', async (t) => {
  const { target, agent, lines } = await start(t);
  const before = agent.counters.authFailures;
  const wrongPassword = await tool('snmpget', [...v3Args(V3_USER, { authPassword: 'not-the-password' }), ...MIB_ARGS, ...quick, target, 'CALLBOX-MIB::cbSysUptime.0']);
  assert.notEqual(wrongPassword.code, 0);
  assert.doesNotMatch(wrongPassword.stdout, /cbSysUptime/);
  const unknownUser = await tool('snmpget', [...v3Args(V3_USER, { name: 'intruder' }), ...MIB_ARGS, ...quick, target, 'CALLBOX-MIB::cbSysUptime.0']);
  assert.match(unknownUser.stderr, /Unknown user name/);
  assert.ok(agent.counters.authFailures >= before + 2, `auth failures ${agent.counters.authFailures} (before ${before})`);
  const logged = lines.filter((l) => l['msg'] === 'SNMP authentication failure').map((l) => String(l['reason']));
  assert.ok(logged.some((r) => /digest/i.test(r)), logged.join('; '));
  assert.ok(logged.some((r) => /unknown SNMPv3 user intruder/.test(r)), logged.join('; '));
  assert.ok(agent.counters.requests > 0);
});

test('SNMPv2-MIB system group: an NMS recognises the device by sysObjectID and sysDescr', async (t) => {
  const { target } = await start(t);
  const args = [...v3Args(V3_USER), '-M', MIB_ARGS[1]!, '-m', 'CALLBOX-MIB:SNMPv2-MIB', ...quick, target];
  const get = await tool('snmpget', [...args, 'SNMPv2-MIB::sysDescr.0', 'SNMPv2-MIB::sysObjectID.0', 'SNMPv2-MIB::sysUpTime.0', 'SNMPv2-MIB::sysContact.0', 'SNMPv2-MIB::sysName.0', 'SNMPv2-MIB::sysLocation.0']);
  assert.equal(get.stderr, '');
  assert.match(get.stdout, /sysDescr\.0 = STRING: Callbox 1\.2\.3-test on Test Board/);
  assert.match(get.stdout, /sysObjectID\.0 = OID: CALLBOX-ROOT-MIB::callboxAppliance/);
  assert.match(get.stdout, /sysUpTime\.0 = Timeticks: \(\d+\)/);
  assert.match(get.stdout, /sysContact\.0 = STRING: NOC <noc@example\.net>/);
  assert.match(get.stdout, new RegExp(`sysName\\.0 = STRING: ${hostname()}`));
  assert.match(get.stdout, /sysLocation\.0 = STRING: Rack 4, Berlin/);
  // A walk from the top of the tree goes from the system group into CALLBOX-MIB.
  const walk = await tool('snmpwalk', [...args, '.1.3.6.1']);
  assert.match(walk.stdout, /^SNMPv2-MIB::sysDescr\.0 = /);
  assert.match(walk.stdout, /SNMPv2-MIB::sysLocation\.0 = STRING: Rack 4, Berlin\nCALLBOX-MIB::cbSysFirmwareVersion\.0/);
});
