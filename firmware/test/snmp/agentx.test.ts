import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseSnmpConfig } from '../../src/config/snmp-schema.ts';
import { generateEngineId } from '../../src/snmp/engine-id.ts';
import { renderSnmpdAccess } from '../../src/snmp/snmpd-access.ts';
import { startSnmpSubagent } from '../../src/snmp/subagent.ts';
import { freePort } from '../helpers/ports.ts';
import { spawnProcess } from '../helpers/process.ts';
import { tempDir } from '../helpers/tmp.ts';
import { FakeSource } from './fake-source.ts';
import { BASE_MIB_DIR, MIB_ARGS, MIB_DIR, REPO, V3_USER, captureLogger, tool, v3Args } from './tools.ts';

function snmpdConf(dir: string, port: number, socket: string): string {
  const conf = path.join(dir, 'snmpd.conf');
  writeFileSync(
    conf,
    [
      `agentaddress udp:127.0.0.1:${port}`,
      'master agentx',
      `agentXSocket ${socket}`,
      `createUser ${V3_USER.name} SHA-256 ${V3_USER.auth.password} AES ${V3_USER.priv.password}`,
      `rouser ${V3_USER.name} authpriv`,
      'rocommunity ro-local 127.0.0.1',
      'sysDescr Callbox test appliance',
      '',
    ].join('\n'),
  );
  return conf;
}

function startSnmpd(t: Parameters<typeof spawnProcess>[0], dir: string, conf: string) {
  const snmpd = spawnProcess(t, 'snmpd', ['-f', '-Lo', '-C', '-c', conf, '-M', `${MIB_DIR}:${BASE_MIB_DIR}`, '-m', ''], {
    env: { ...process.env, SNMP_PERSISTENT_DIR: path.join(dir, 'persist'), MIBS: '' },
  });
  return snmpd;
}

test('CALLBOX-MIB through snmpd as AgentX master, next to the host MIBs, and again after snmpd restarts', { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t);
  const port = await freePort();
  const socket = path.join(dir, 'agentx.sock');
  const conf = snmpdConf(dir, port, socket);
  let snmpd = startSnmpd(t, dir, conf);
  await snmpd.waitFor(/NET-SNMP version/);

  const source = new FakeSource();
  const { log } = captureLogger();
  const sub = await startSnmpSubagent({ config: parseSnmpConfig({ mode: 'agentx' }), engineId: generateEngineId(), source, log, master: socket, reconnectMs: 200 });
  t.after(() => sub.close());
  await sub.whenRegistered();

  const target = `udp:127.0.0.1:${port}`;
  const walkAll = async () => {
    const walk = await tool('snmpwalk', [...v3Args(V3_USER), ...MIB_ARGS, '-r', '1', '-t', '5', target, 'CALLBOX-MIB::callboxMIB']);
    assert.equal(walk.stderr, '');
    return walk.stdout;
  };
  const first = await walkAll();
  for (const line of [
    /cbSysFirmwareVersion\.0 = STRING: 1\.2\.3-test/,
    /cbSipCallsProcessed\.0 = Counter64: 5000000000/,
    /cbTrunkName\.2 = STRING: carrier-b/,
    /cbTrunkLastChange\.1 = STRING: 2026-11-30,8:15:30\.0,\+0:0/,
    /cbQueueAgentsOnCall\.1 = Gauge32: 4/,
    /cbDiskMountPoint\.1 = STRING: \/data/,
  ]) {
    assert.match(first, line);
  }
  const bulk = await tool('snmpbulkwalk', [...v3Args(V3_USER), ...MIB_ARGS, '-Cr20', '-r', '1', '-t', '5', target, 'CALLBOX-MIB::callboxMIB']);
  assert.equal(bulk.stderr, '');
  assert.equal(bulk.stdout, first, 'GETBULK through snmpd returns what GETNEXT did');
  const table = await tool('snmptable', [...v3Args(V3_USER), ...MIB_ARGS, '-Cf', '|', '-r', '1', '-t', '5', target, 'CALLBOX-MIB::cbTrunkTable']);
  assert.equal(table.stdout.trim().split('\n').at(-1), 'carrier-b|down|failed|0 milliseconds|0|5|2026-12-1,10:0:0.0,+0:0');

  // The standard host MIBs come from snmpd itself (numeric: Debian ships no IETF MIB files).
  const host = await tool('snmpget', ['-v2c', '-c', 'ro-local', '-On', '-r', '1', '-t', '5', target, '1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.25.1.1.0', '1.3.6.1.2.1.2.1.0']);
  assert.match(host.stdout, /\.1\.3\.6\.1\.2\.1\.1\.1\.0 = STRING: "Callbox test appliance"/);
  assert.match(host.stdout, /\.1\.3\.6\.1\.2\.1\.25\.1\.1\.0 = Timeticks:/);
  assert.match(host.stdout, /\.1\.3\.6\.1\.2\.1\.2\.1\.0 = INTEGER: \d+/);

  // snmpd's access control applies to our subtree too: SET is refused.
  const set = await tool('snmpset', [...v3Args(V3_USER), ...MIB_ARGS, '-r', '0', '-t', '5', target, 'CALLBOX-MIB::cbSysBoardModel.0', 's', 'x']);
  assert.match(set.stderr, /notWritable|noAccess|noCreation|authorizationError/);

  // snmpd restarts (package upgrade, admin): the subagent notices, comes back and registers again.
  await snmpd.stop();
  snmpd = startSnmpd(t, dir, conf);
  await snmpd.waitFor(/NET-SNMP version/);
  source.trunkList = [{ ...source.trunkList[0]!, name: 'Köln-Süd' }];
  await sub.whenRegistered();
  const deadline = performance.now() + 20_000;
  while (sub.counters.registrations < 2 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.equal(sub.counters.registrations, 2);
  const again = await walkAll();
  assert.match(again, /cbTrunkName\.1 = STRING: Köln-Süd/);
  assert.doesNotMatch(again, /cbTrunkName\.2/);
  assert.match(again, /cbSysBoardModel\.0 = STRING: Test Board/);
  assert.ok(sub.counters.requests > 0);
});

test('the shipped snmpd fragment with the access file rendered from the site file: v3 and v2c by network, limited to the callbox view', { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  const port = await freePort();
  const socket = path.join(dir, 'agentx.sock');
  const accessFile = path.join(dir, 'snmpd-access.conf');
  const config = parseSnmpConfig({
    mode: 'agentx',
    location: 'Rack 4, Berlin',
    users: [V3_USER],
    communities: [
      { name: 'ro-local', networks: ['127.0.0.0/8', '::1/128'] },
      { name: 'ro-elsewhere', networks: ['192.0.2.0/24'] },
    ],
  });
  writeFileSync(accessFile, renderSnmpdAccess(config), { mode: 0o600 });
  // Only what differs on a test machine: addresses, paths, and the callbox group that does not exist here.
  const shipped = readFileSync(path.join(REPO, 'firmware/snmpd/callbox-snmpd.conf'), 'utf8');
  const conf = path.join(dir, 'snmpd.conf');
  const adapted = shipped
    .replace(/^agentaddress .*$/m, `agentaddress udp:127.0.0.1:${port}`)
    .replace(/^agentXPerms .*$/m, 'agentXPerms 0660 0750')
    .replace('/var/agentx/master', socket)
    .replace('/var/lib/callbox/snmpd-access.conf', accessFile);
  assert.notEqual(adapted, shipped);
  writeFileSync(conf, adapted);
  const snmpd = startSnmpd(t, dir, conf);
  await snmpd.waitFor(/NET-SNMP version/);
  assert.doesNotMatch(snmpd.output(), /error|warning/i);

  const sub = await startSnmpSubagent({ config, engineId: generateEngineId(), source: new FakeSource(), log: captureLogger().log, master: socket });
  t.after(() => sub.close());
  await sub.whenRegistered();
  const target = `udp:127.0.0.1:${port}`;

  const v3 = await tool('snmpget', [...v3Args(V3_USER), ...MIB_ARGS, '-r', '1', '-t', '5', target, 'CALLBOX-MIB::cbSysFirmwareVersion.0', '1.3.6.1.6.3.10.2.1.1.0']);
  assert.match(v3.stdout, /cbSysFirmwareVersion\.0 = STRING: 1\.2\.3-test/);
  assert.match(v3.stdout, /No Such Object/, 'outside the callbox view');
  const v2c = await tool('snmpget', ['-v2c', '-c', 'ro-local', ...MIB_ARGS, '-r', '1', '-t', '5', target, 'CALLBOX-MIB::cbTrunkCount.0', '1.3.6.1.2.1.1.2.0', '1.3.6.1.2.1.1.6.0']);
  assert.match(v2c.stdout, /cbTrunkCount\.0 = Gauge32: 2/);
  assert.match(v2c.stdout, /SNMPv2-SMI::enterprises\.32473\.2\.1|callboxAppliance/, 'sysObjectID from the fragment');
  assert.match(v2c.stdout, /Rack 4, Berlin/, 'sysLocation from the site file');
  const elsewhere = await tool('snmpget', ['-v2c', '-c', 'ro-elsewhere', ...MIB_ARGS, '-r', '0', '-t', '2', target, 'CALLBOX-MIB::cbTrunkCount.0']);
  assert.match(elsewhere.stderr, /Timeout/);
  const wrong = await tool('snmpget', [...v3Args(V3_USER, { authPassword: 'wrong-password' }), ...MIB_ARGS, '-r', '0', '-t', '2', target, 'CALLBOX-MIB::cbTrunkCount.0']);
  assert.match(wrong.stderr, /Authentication failure|Timeout/);
});
