import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { alive, spawnProcess } from '../helpers/process.ts';
import { boxEnv } from '../helpers/box-env.ts';
import { tempDir } from '../helpers/tmp.ts';

const cli = path.resolve(import.meta.dirname, '../../src/cli.ts');

const envFor = (dataDir: string) => boxEnv(dataDir);

/** PIDs of the direct children of pid (rtpengine and the SIP engine under `callbox run`). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)]).toString().trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
function pgrep(pattern: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', pattern]).toString().trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
test('callbox run reaches a green /health with the example site and real rtpengine, and stops leaving no child', async (t) => {
  const dataDir = tempDir(t);
  const env = await envFor(dataDir);
  const box = spawnProcess(t, process.execPath, [cli, 'run'], { env });
  await box.waitFor(/Callbox is up/, 30_000);
  const out = box.output();
  assert.match(out, /Login: +admin \/ \S{12,}/, 'first boot prints the generated admin password once');

  const res = await fetch(`http://127.0.0.1:${env['CALLBOX_HTTP_PORT']}/health`);
  const body = (await res.json()) as { status: string; components: Record<string, { state: string }> };
  assert.equal(res.status, 200, JSON.stringify(body));
  for (const c of ['db', 'rtpengine', 'sip-engine', 'snmp', 'web']) assert.equal(body.components[c]?.state, 'up', `${c} is up`);

  // The example site's SNMPv3 user reads the box over authPriv (SHA-256, AES), as an NMS would.
  const sysObjectId = execFileSync('snmpget', ['-v3', '-l', 'authPriv', '-u', 'nms', '-a', 'SHA-256', '-A', 'nms-auth-passphrase', '-x', 'AES', '-X', 'nms-priv-passphrase', '-On', '-t', '3', '-r', '1', `udp:127.0.0.1:${env['CALLBOX_SNMP_PORT']}`, '1.3.6.1.2.1.1.2.0']).toString();
  assert.match(sysObjectId, /^\.1\.3\.6\.1\.2\.1\.1\.2\.0 = OID: \.1\.3\.6\.1\.4\.1\.\d+/);

  const children = childrenOf(box.child.pid as number);
  assert.ok(children.length >= 2, `rtpengine and the SIP engine run as children (${children.join(',')})`);

  // The example site was applied on first boot: its queues are in the exported configuration.
  const exported = execFileSync(process.execPath, [cli, 'config', 'export'], { env }).toString();
  assert.match(exported, /queues:/);

  const code = await box.stop(15_000);
  assert.equal(code, 0, box.output().slice(-2000));
  for (const pid of children) assert.equal(alive(pid), false, `child ${pid} is gone after shutdown`);
});

test('a second start on a port in use says which port and exits non-zero, leaving no child', async (t) => {
  const dataDir = tempDir(t);
  const env = await envFor(dataDir);
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(Number(env['CALLBOX_HTTP_PORT']), '127.0.0.1', r));
  t.after(() => blocker.close());
  const box = spawnProcess(t, process.execPath, [cli, 'run'], { env });
  const { code } = await box.exited;
  assert.equal(code, 1);
  assert.match(box.output(), /HTTP port \d+ on 127.0.0.1 is already in use: .*CALLBOX_HTTP_PORT/);
  assert.deepEqual(pgrep(`listen-ng=${env['CALLBOX_RTPENGINE_NG']}`), [], 'the rtpengine it started is stopped again');
});

test('an unwritable data dir and a foreign database file each give one clear line and change nothing', async (t) => {
  const parent = tempDir(t);
  const locked = path.join(parent, 'locked');
  execFileSync('mkdir', [locked]);
  chmodSync(locked, 0o500);
  // root ignores directory permissions: make the check meaningful by pointing below a regular file instead.
  const dataDir = process.getuid?.() === 0 ? path.join(parent, 'a-file', 'data') : locked;
  if (process.getuid?.() === 0) writeFileSync(path.join(parent, 'a-file'), 'not a directory');
  let box = spawnProcess(t, process.execPath, [cli, 'run'], { env: await envFor(dataDir) });
  assert.equal((await box.exited).code, 1);
  assert.match(box.output(), /data directory .* is not usable .*CALLBOX_DATA_DIR/);

  const foreignDir = tempDir(t);
  const foreign = path.join(foreignDir, 'callbox.db');
  writeFileSync(foreign, 'this is somebody else\'s file, not a database\n'.repeat(100));
  const before = readFileSync(foreign);
  box = spawnProcess(t, process.execPath, [cli, 'run'], { env: await envFor(foreignDir) });
  assert.equal((await box.exited).code, 1);
  const lines = box.output().trim().split('\n').filter((l) => l.includes('callbox run:'));
  assert.equal(lines.length, 1, box.output());
  assert.match(lines[0] as string, /callbox\.db/);
  assert.deepEqual(readFileSync(foreign), before, 'the foreign file is untouched');
});

test('with CALLBOX_SIP_ENGINE=external the box uses the SIP server already running, and /health shows when it dies', async (t) => {
  const env = await envFor(tempDir(t));
  const engine = spawnProcess(t, process.execPath, [cli, 'sip-engine', '--contact', `sip:127.0.0.1:${env['CALLBOX_SIP_PORT']};transport=udp,tcp`, '--port', String(env['CALLBOX_DRACHTIO_PORT']), '--secret', 'external-secret'], { env: { ...process.env, CALLBOX_LOG_FORMAT: 'json' } });
  await engine.waitFor(/sip engine ready/, 30_000);
  const box = spawnProcess(t, process.execPath, [cli, 'run'], { env: { ...env, CALLBOX_SIP_ENGINE: 'external', CALLBOX_DRACHTIO_SECRET: 'external-secret' } });
  await box.waitFor(/Callbox is up/, 60_000);
  const health = async () => (await (await fetch(`http://127.0.0.1:${env['CALLBOX_HTTP_PORT']}/health`)).json()) as { status: string; components: Record<string, { state: string; detail: string }> };
  assert.match((await health()).components['sip-engine']?.detail ?? '', /external/);
  assert.equal(childrenOf(box.child.pid as number).length, 1, 'only rtpengine runs as a child');

  await engine.stop();
  const deadline = Date.now() + 15_000;
  let h = await health();
  while (h.components['sip-engine']?.state !== 'down' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    h = await health();
  }
  assert.equal(h.components['sip-engine']?.state, 'down');
  assert.equal(h.status, 'fault');
});

test('Ctrl-C at the terminal stops everything once and cleanly; a kill -9 of the supervisor still takes its children down', async (t) => {
  // As a terminal does: the whole foreground process group gets SIGINT.
  let env = await envFor(tempDir(t));
  let box = spawnProcess(t, process.execPath, [cli, 'run'], { env, detached: true });
  await box.waitFor(/Callbox is up/, 60_000);
  let children = childrenOf(box.child.pid as number);
  process.kill(-(box.child.pid as number), 'SIGINT');
  const { code } = await box.exited;
  assert.equal(code, 0, box.output().slice(-2000));
  assert.doesNotMatch(box.output(), /stopped unexpectedly|failed to stop/, 'no child was restarted or lost during shutdown');
  for (const pid of children) assert.equal(alive(pid), false, `child ${pid} is gone`);

  env = await envFor(tempDir(t));
  box = spawnProcess(t, process.execPath, [cli, 'run'], { env });
  await box.waitFor(/Callbox is up/, 60_000);
  children = childrenOf(box.child.pid as number);
  assert.ok(children.length >= 2);
  process.kill(box.child.pid as number, 'SIGKILL');
  await box.exited;
  const deadline = Date.now() + 10_000;
  while (children.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(children.filter(alive), [], 'rtpengine and the SIP engine die with their supervisor');
});
