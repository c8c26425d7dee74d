import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { freePort } from '../helpers/ports.ts';
import { spawnProcess } from '../helpers/process.ts';
import { boxEnv } from '../helpers/box-env.ts';
import { tempDir } from '../helpers/tmp.ts';
import { MIB_ARGS, V3_SHA1_USER, tool, v3Args } from './tools.ts';
import { startTrapd } from './trapd.ts';

/**
 * The whole box (`callbox run`, dev profile with the example site) fed by real peers: SNMP sees configuration
 * applied by `callbox config apply` without a restart, the trunk table follows OPTIONS health, and traps come
 * from a carrier that dies and from password guessing.
 */

const run = promisify(execFile);
const cli = path.resolve(import.meta.dirname, '../../src/cli.ts');
const example = readFileSync(path.resolve(import.meta.dirname, '../../examples/site.yaml'), 'utf8');
const SCENARIOS = path.resolve(import.meta.dirname, 'scenarios');
const CARRIER_OPTIONS = path.resolve(import.meta.dirname, '../calls/scenarios/carrier-options.xml');

const envFor = (dataDir: string) => boxEnv(dataDir);

async function until<T>(what: string, f: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const end = performance.now() + timeoutMs;
  let last: unknown;
  while (performance.now() < end) {
    try {
      const v = await f();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

test('a running box: config apply takes effect at once (SNMP user, trap receiver, new trunks); trunk and queue tables; trunk and brute-force traps from real peers', { timeout: 300_000 }, async (t) => {
  const dir = tempDir(t);
  const dataDir = path.join(dir, 'data');
  const env = await envFor(dataDir);
  const box = spawnProcess(t, process.execPath, [cli, 'run'], { env });
  await box.waitFor(/Callbox is up/, 90_000);
  const agent = `udp:127.0.0.1:${env['CALLBOX_SNMP_PORT']}`;
  const engineId = readFileSync(path.join(dataDir, 'snmp-engine-id'), 'utf8').trim();
  const snmp = (cmd: string, oids: string[]) => tool(cmd, [...v3Args(V3_SHA1_USER), ...MIB_ARGS, '-r', '1', '-t', '2', agent, ...oids]);

  assert.doesNotMatch((await snmp('snmpget', ['CALLBOX-MIB::cbSysBoardModel.0'])).stdout, /STRING/, 'the user to be added cannot read yet');

  const trapd = await startTrapd(t, { dir, port: await freePort(), engineId, user: { ...V3_SHA1_USER, name: 'unused' }, community: 'traps' });
  const registrarPort = await freePort();
  const registrar = spawnProcess(t, 'sipp', ['-sf', 'registrar-accepts.xml', '-i', '127.0.0.1', '-p', String(registrarPort), '-mp', String(await freePort()), '-m', '1', '-nostdin', '-timeout', '120', '-timeout_error'], { cwd: SCENARIOS });
  const optionsPort = await freePort();
  const carrier = spawnProcess(t, 'sipp', ['-sf', CARRIER_OPTIONS, '-i', '127.0.0.1', '-p', String(optionsPort), '-mp', String(await freePort()), '-m', '1000', '-nostdin'], { cwd: SCENARIOS });

  // The change, from a separate process writing the same store, as an admin would make it.
  const site = parse(example) as { snmp: { users: unknown[]; trap_receivers: unknown[] }; trunks: unknown[] };
  site.snmp.users.push(V3_SHA1_USER);
  site.snmp.trap_receivers = [{ host: '127.0.0.1', port: trapd.port, version: '2c', community: 'traps' }];
  site.trunks.push(
    { name: 'carrier-c', host: '127.0.0.1', port: registrarPort, options_interval_s: 0, register: { user: '4930999000', password: 'carrier-c-secret', expires_s: 60 } },
    { name: 'carrier-d', host: '127.0.0.1', port: optionsPort, options_interval_s: 1, options_timeout_s: 1, options_down_after: 2 },
  );
  const file = path.join(dir, 'site.yaml');
  writeFileSync(file, stringify(site));
  await run(process.execPath, [cli, 'config', 'apply', file], { env });

  await until('the added SNMPv3 user to read', async () => ((await snmp('snmpget', ['CALLBOX-MIB::cbSysBoardModel.0'])).stdout.includes('STRING') ? true : undefined));
  const { code } = await until('the added trunk to REGISTER', () => Promise.race([registrar.exited, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 500))]), 60_000);
  assert.equal(code, 0, `SIPp registrar got and granted the REGISTER:\n${registrar.output().slice(-2000)}`);

  // The trunk table shows the configured trunks with their real state.
  const rowOf = async (name: string) => {
    const walk = (await snmp('snmpwalk', ['CALLBOX-MIB::cbTrunkName'])).stdout;
    const m = new RegExp(`cbTrunkName\\.(\\d+) = STRING: "?${name}"?`).exec(walk);
    return m ? Number(m[1]) : undefined;
  };
  const c = await until('carrier-c in the trunk table', () => rowOf('carrier-c'));
  const d = await until('carrier-d in the trunk table', () => rowOf('carrier-d'));
  await until('carrier-c registered and carrier-d up with an RTT', async () => {
    const out = (await snmp('snmpget', [`CALLBOX-MIB::cbTrunkRegState.${c}`, `CALLBOX-MIB::cbTrunkState.${d}`, `CALLBOX-MIB::cbTrunkOptionsRtt.${d}`])).stdout;
    return /cbTrunkRegState\.\d+ = INTEGER: registered/.test(out) && /cbTrunkState\.\d+ = INTEGER: up/.test(out) && /cbTrunkOptionsRtt\.\d+ = Gauge32: \d+/.test(out) ? out : undefined;
  });

  // The queue table has a row per configured queue, fed by the running distributor.
  const queueRows = (await snmp('snmptable', ['-OU', '-Cf', '|', '-CH', 'CALLBOX-MIB::cbQueueTable'])).stdout;
  assert.match(queueRows, /^Billing\|500\|0\|0\|\d+\|\d+\|0\|\d+\|100\|80\|0\|0$/m, queueRows);

  // The carrier dies: OPTIONS go unanswered, the trunk goes down, the NOC hears it.
  await carrier.stop();
  const down = await trapd.waitFor(new RegExp(`cbTrunkDown.*cbTrunkName\\.${d} = STRING: "?carrier-d`), 1, 60_000);
  assert.match(down[0] as string, new RegExp(`cbTrunkState\\.${d} = INTEGER: down\\(\\d\\).*cbTrunkRegState\\.${d} = INTEGER: notConfigured`));

  // Password guessing against the registrar: twelve REGISTERs for 1001 with a wrong digest.
  const guesser = spawnProcess(t, 'sipp', ['-sf', 'register-wrong-password.xml', '-s', '1001', '-i', '127.0.0.1', '-p', String(await freePort()), '-mp', String(await freePort()), '-m', '12', '-l', '1', '-nostdin', '-timeout', '60', '-timeout_error', `127.0.0.1:${env['CALLBOX_SIP_PORT']}`], { cwd: SCENARIOS });
  const guessed = await guesser.exited;
  assert.equal(guessed.code, 0, `every guess was refused with 403:\n${guesser.output().slice(-2000)}`);
  const bf = await trapd.waitFor(/cbRegistrationBruteForce/, 1, 30_000);
  assert.match(bf[0] as string, /cbNotifSourceAddress\.0 = STRING: "?127\.0\.0\.1"?\tCALLBOX-MIB::cbSipAuthFailures\.0 = Counter64: (1[0-9]|[2-9]\d)/);
  await until('twelve auth failures in cbSipAuthFailures', async () => (/Counter64: 12\b/.test((await snmp('snmpget', ['CALLBOX-MIB::cbSipAuthFailures.0'])).stdout) ? true : undefined), 10_000);

  // A call to a number nobody has (404): counted as processed and as failed by the class of its final answer.
  const caller = spawnProcess(t, 'sipp', ['-sn', 'uac', '-s', '4999999', '-i', '127.0.0.1', '-p', String(await freePort()), '-mp', String(await freePort()), '-m', '1', '-nostdin', '-timeout', '30', '-trace_msg', '-message_file', path.join(dir, 'uac.log'), `127.0.0.1:${env['CALLBOX_SIP_PORT']}`]);
  await caller.exited;
  assert.match(readFileSync(path.join(dir, 'uac.log'), 'utf8'), /SIP\/2\.0 404/, 'the box answered 404');
  // The agent serves a copy at most a second old: wait for the one taken after the call.
  const sip = await until('the call in the SIP counters', async () => {
    const out = (await snmp('snmpget', ['CALLBOX-MIB::cbSipCallsProcessed.0', 'CALLBOX-MIB::cbSipFailedCalls4xx.0', 'CALLBOX-MIB::cbSipFailedCalls5xx.0', 'CALLBOX-MIB::cbSipFailedCalls6xx.0', 'CALLBOX-MIB::cbSipActiveCalls.0'])).stdout;
    return /cbSipCallsProcessed\.0 = Counter64: 1\n/.test(out) ? out : undefined;
  }, 10_000);
  assert.match(sip, /cbSipFailedCalls4xx\.0 = Counter64: 1\n/, sip);
  assert.match(sip, /cbSipActiveCalls\.0 = Gauge32: 0/);

  const stopped = await box.stop(20_000);
  assert.equal(stopped, 0, box.output().slice(-3000));
});
