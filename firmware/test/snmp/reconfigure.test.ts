import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { parseSnmpConfig } from '../../src/config/snmp-schema.ts';
import { engineIdFromFile } from '../../src/snmp/engine-id.ts';
import { startSnmp } from '../../src/snmp/service.ts';
import { freePort } from '../helpers/ports.ts';
import { tempDir } from '../helpers/tmp.ts';
import { FakeSource } from './fake-source.ts';
import { MIB_ARGS, V3_SHA1_USER, V3_USER, captureLogger, tool, v3Args } from './tools.ts';
import { startTrapd } from './trapd.ts';

const quick = ['-r', '1', '-t', '2'];

test('a changed SNMP configuration is served without a restart: users, communities and receivers, same engine ID, counters kept', { timeout: 90_000 }, async (t) => {
  const dir = tempDir(t);
  const { engineId } = engineIdFromFile(path.join(dir, 'snmp-engine-id'));
  const port = await freePort();
  const target = `udp:127.0.0.1:${port}`;
  const trapd = await startTrapd(t, { dir, port: await freePort(), engineId, user: V3_USER, community: 'traps' });
  const { log } = captureLogger();
  const svc = await startSnmp({ config: parseSnmpConfig({ users: [V3_USER] }), bind: '127.0.0.1', port, engineId, source: new FakeSource(), log });
  t.after(() => svc.close());

  const get = (security: string[]) => tool('snmpget', [...security, ...MIB_ARGS, ...quick, target, 'CALLBOX-MIB::cbSysBoardModel.0']);
  assert.match((await get(v3Args(V3_USER))).stdout, /Test Board/);
  assert.doesNotMatch((await get(v3Args(V3_SHA1_USER))).stdout, /Test Board/, 'the second user is not configured yet');
  const countedBefore = svc.counters.requests;
  assert.ok(countedBefore >= 2);

  await svc.reconfigure(
    parseSnmpConfig({
      users: [V3_SHA1_USER],
      communities: [{ name: 'noc-ro', networks: ['127.0.0.0/8'] }],
      trap_receivers: [{ host: '127.0.0.1', port: trapd.port, version: '2c', community: 'traps' }],
    }),
  );
  assert.equal(svc.engineId, engineId);
  assert.match((await get(v3Args(V3_SHA1_USER))).stdout, /Test Board/, 'the added user reads at once');
  assert.match((await get(['-v2c', '-c', 'noc-ro'])).stdout, /Test Board/, 'the added community reads at once');
  assert.doesNotMatch((await get(v3Args(V3_USER))).stdout, /Test Board/, 'the removed user is refused');
  assert.ok(svc.counters.requests > countedBefore, 'the request counter went on from where it was');
  assert.ok(svc.counters.authFailures >= 2, 'failures before and after the change both count');

  svc.sendNotification('cbRegistrationBruteForce', { values: { cbNotifSourceAddress: '127.0.0.9', cbSipAuthFailures: 3n } }, 'bruteforce:test');
  await trapd.waitFor(/cbRegistrationBruteForce/);

  // Nothing changed: the agent is left alone (no gap in service).
  const requests = svc.counters.requests;
  await svc.reconfigure(parseSnmpConfig({ users: [V3_SHA1_USER], communities: [{ name: 'noc-ro', networks: ['127.0.0.0/8'] }], trap_receivers: [{ host: '127.0.0.1', port: trapd.port, version: '2c', community: 'traps' }] }));
  assert.equal(svc.counters.requests, requests);
  assert.match((await get(['-v2c', '-c', 'noc-ro'])).stdout, /Test Board/);
});

test('switching to AgentX mode and back: the standalone port is freed and taken again', { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  const { engineId } = engineIdFromFile(path.join(dir, 'snmp-engine-id'));
  const port = await freePort();
  const { log } = captureLogger();
  const config = parseSnmpConfig({ communities: [{ name: 'noc-ro', networks: ['127.0.0.1/32'] }] });
  const svc = await startSnmp({ config, bind: '127.0.0.1', port, engineId, source: new FakeSource(), log });
  t.after(() => svc.close());
  const get = () => tool('snmpget', ['-v2c', '-c', 'noc-ro', ...MIB_ARGS, ...quick, `udp:127.0.0.1:${port}`, 'CALLBOX-MIB::cbSysBoardModel.0']);
  assert.match((await get()).stdout, /Test Board/);

  await svc.reconfigure({ ...config, mode: 'agentx', agentx_socket: path.join(dir, 'no-snmpd-here.sock') });
  assert.equal(svc.mode, 'agentx');
  assert.doesNotMatch((await get()).stdout, /Test Board/, 'in AgentX mode only snmpd answers on the network');

  await svc.reconfigure(config);
  assert.equal(svc.mode, 'standalone');
  assert.match((await get()).stdout, /Test Board/);
});
