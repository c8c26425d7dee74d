import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { HealthSampler } from '../../src/platform/health.ts';
import { startSnmpAgent } from '../../src/snmp/agent.ts';
import { parseSnmpConfig } from '../../src/config/snmp-schema.ts';
import { healthDataSource } from '../../src/snmp/health-source.ts';
import { engineIdFromFile } from '../../src/snmp/engine-id.ts';
import { startSnmp } from '../../src/snmp/service.ts';
import { freePort } from '../helpers/ports.ts';
import { spawnProcess } from '../helpers/process.ts';
import { tempDir } from '../helpers/tmp.ts';
import { FakeSource } from './fake-source.ts';
import { BASE_MIB_DIR, MIB_ARGS, MIB_DIR, V3_USER, captureLogger, tool, v3Args } from './tools.ts';
import { startTrapd } from './trapd.ts';

test('the engine ID survives a restart: v3 traps from the restarted agent still reach a receiver keyed on it', async (t) => {
  const dir = tempDir(t);
  const idFile = path.join(dir, 'data', 'snmp-engine-id');
  const first = engineIdFromFile(idFile);
  assert.equal(first.created, true);
  assert.equal(readFileSync(idFile, 'utf8').trim(), first.engineId);

  const trapd = await startTrapd(t, { dir, port: await freePort(), engineId: first.engineId, user: V3_USER, community: 'unused' });
  const config = parseSnmpConfig({ users: [V3_USER], trap_receivers: [{ host: '127.0.0.1', port: trapd.port, version: '3', user: V3_USER.name }] });
  const source = new FakeSource();
  const { log, lines } = captureLogger();
  const port = await freePort();

  for (let run = 1; run <= 2; run++) {
    const { engineId, created } = engineIdFromFile(idFile);
    assert.equal(engineId, first.engineId);
    assert.equal(created, false);
    const svc = await startSnmp({ config, bind: '127.0.0.1', port, engineId, source, log, watchIntervalMs: 100 });
    assert.equal(svc.mode, 'standalone');
    const get = await tool('snmpget', [...v3Args(V3_USER), ...MIB_ARGS, '-r', '1', '-t', '3', `udp:127.0.0.1:${port}`, 'CALLBOX-MIB::cbSysConfigRevision.0']);
    assert.match(get.stdout, /cbSysConfigRevision\.0 = Gauge32: 7/);
    // The watcher runs on its own: a trunk going down reaches the receiver without anyone calling check().
    source.trunkList = source.trunkList.map((tr) => (tr.index === 1 ? { ...tr, state: run === 1 ? 'down' : 'up' } : tr));
    await trapd.waitFor(run === 1 ? /cbTrunkDown/ : /cbTrunkUp/);
    await svc.close();
  }
  assert.ok(lines.filter((l) => String(l['msg']).includes(first.engineId)).length >= 2, 'each start logs the engine ID');
});

test('engineIdFromFile rejects a damaged file instead of silently replacing the identity', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'snmp-engine-id');
  writeFileSync(file, 'not hex\n');
  assert.throws(() => engineIdFromFile(file), /engine ID must be 5 to 32 octets of hex/);
});

test('agentx mode starts before snmpd and registers once snmpd comes up', { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  const socket = path.join(dir, 'agentx.sock');
  const config = parseSnmpConfig({ mode: 'agentx', agentx_socket: socket });
  const { log } = captureLogger();
  const svc = await startSnmp({ config, bind: '127.0.0.1', port: 1, engineId: engineIdFromFile(path.join(dir, 'id')).engineId, source: new FakeSource(), log });
  t.after(() => svc.close());
  assert.equal(svc.mode, 'agentx');

  const port = await freePort();
  const conf = path.join(dir, 'snmpd.conf');
  writeFileSync(conf, [`agentaddress udp:127.0.0.1:${port}`, 'master agentx', `agentXSocket ${socket}`, 'rocommunity ro-local 127.0.0.1', ''].join('\n'));
  const snmpd = spawnProcess(t, 'snmpd', ['-f', '-Lo', '-C', '-c', conf, '-M', `${MIB_DIR}:${BASE_MIB_DIR}`, '-m', ''], { env: { ...process.env, SNMP_PERSISTENT_DIR: path.join(dir, 'persist'), MIBS: '' } });
  await snmpd.waitFor(/NET-SNMP version/);
  const deadline = performance.now() + 20_000;
  let out = '';
  while (performance.now() < deadline) {
    out = (await tool('snmpget', ['-v2c', '-c', 'ro-local', ...MIB_ARGS, '-r', '0', '-t', '1', `udp:127.0.0.1:${port}`, 'CALLBOX-MIB::cbSysBoardModel.0'])).stdout;
    if (/Test Board/.test(out)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.match(out, /cbSysBoardModel\.0 = STRING: Test Board/);
});

test('the health-fed data source shows the same numbers as the health sampler, and empty tables until services fill them', async (t) => {
  const health = new HealthSampler({ disks: [{ path: '/', mustBeMountPoint: true }] });
  const sample = await health.sample();
  const source = healthDataSource({ health: () => health.latest(), firmwareVersion: '0.1.0', boardModel: 'Generic x86-64', configRevision: () => 3, rtpengine: () => 'up' });
  const port = await freePort();
  const agent = await startSnmpAgent({ bind: '127.0.0.1', port, config: parseSnmpConfig({ users: [V3_USER] }), engineId: engineIdFromFile(path.join(tempDir(t), 'id')).engineId, source, log: captureLogger().log });
  t.after(() => agent.close());
  const walk = await tool('snmpwalk', [...v3Args(V3_USER), ...MIB_ARGS, '-r', '1', '-t', '3', `udp:127.0.0.1:${port}`, 'CALLBOX-MIB::callboxMIB']);
  assert.equal(walk.stderr, '');
  assert.match(walk.stdout, new RegExp(`cbSysMemTotal\\.0 = Gauge32: ${Math.floor(sample.memory.totalBytes / 1024)} KiB`));
  assert.match(walk.stdout, /cbSysFirmwareVersion\.0 = STRING: 0\.1\.0/);
  assert.match(walk.stdout, /cbSysRtpengineState\.0 = INTEGER: up\(1\)/);
  assert.match(walk.stdout, /cbSysSipEngineState\.0 = INTEGER: unknown\(3\)/);
  assert.match(walk.stdout, /cbDiskMountPoint\.1 = STRING: \/\n/);
  assert.match(walk.stdout, /cbDiskState\.1 = INTEGER: mounted\(1\)/);
  assert.match(walk.stdout, new RegExp(`cbDiskSize\\.1 = Gauge32: ${Math.floor((sample.disks[0]?.sizeBytes ?? 0) / 1048576)} MiB`));
  assert.match(walk.stdout, /cbTrunkCount\.0 = Gauge32: 0/);
  assert.match(walk.stdout, /cbQueueCount\.0 = Gauge32: 0/);
  assert.doesNotMatch(walk.stdout, /cbTrunkName|cbQueueName|cbRecOldestRetained/);
});
