import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import net from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { freePort } from '../helpers/ports.ts';
import { tempDir } from '../helpers/tmp.ts';

const cli = path.resolve(import.meta.dirname, '../../src/cli.ts');
const example = path.resolve(import.meta.dirname, '../../examples/site.yaml');
const callbox = (args: string[], env: NodeJS.ProcessEnv = {}, input?: string) =>
  spawnSync(process.execPath, [cli, ...args], { env: { ...process.env, CALLBOX_LOG_FORMAT: 'json', ...env }, encoding: 'utf8', input });

test('version prints the version and the git commit', () => {
  const r = callbox(['version']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^callbox \d+\.\d+\.\d+ \(commit ([0-9a-f]{12}|unknown), node v24\./);
});

test('an unknown command prints usage and exits 2', () => {
  const r = callbox(['frobnicate']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command 'frobnicate'[\s\S]*config apply FILE/);
});

test('config apply reports each error with its path and line, changes nothing; export then apply is a no-op', (t) => {
  const dataDir = tempDir(t);
  const env = { CALLBOX_DATA_DIR: dataDir };
  let r = callbox(['config', 'apply', example], env);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /configuration revision 1/);
  const before = callbox(['config', 'export'], env).stdout;

  const bad = path.join(dataDir, 'bad.yaml');
  writeFileSync(bad, readFileSync(example, 'utf8').replace(/strategy: \S+/, 'strategy: fastest-finger'));
  r = callbox(['config', 'apply', bad], env);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /is not valid; nothing was changed/);
  assert.match(r.stderr, /queues\[0\]\.strategy: .*ring-all/);
  assert.equal(callbox(['config', 'export'], env).stdout, before, 'the configuration in force is unchanged');

  const exported = path.join(dataDir, 'exported.yaml');
  writeFileSync(exported, before);
  r = callbox(['config', 'apply', exported], env);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(callbox(['config', 'export'], env).stdout, before, 'export then apply changes nothing');

  r = callbox(['config', 'apply', path.join(dataDir, 'missing.yaml')], env);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cannot read .*missing\.yaml: ENOENT/);
});

test('selftest prints a table with a fix for each failure, and exits 1 when a port is taken', async (t) => {
  const dataDir = tempDir(t);
  const http = await freePort();
  const env = {
    CALLBOX_DATA_DIR: dataDir,
    CALLBOX_HTTP_PORT: String(http),
    CALLBOX_SIP_PORT: String(await freePort()),
    CALLBOX_SIP_WSS_PORT: String(await freePort()),
    CALLBOX_DRACHTIO_PORT: String(await freePort()),
    CALLBOX_SNMP_PORT: String(await freePort()),
    CALLBOX_RTPENGINE_NG: `127.0.0.1:${await freePort()}`,
  };
  let r = callbox(['selftest'], env);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /rtpengine +ok +rtpengine answers ng ping/);
  assert.match(r.stdout, /sqlite \(WAL\) +ok/);
  assert.match(r.stdout, /board +ok +simulated \(/);
  assert.match(r.stdout, /all checks passed/);

  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(http, '127.0.0.1', resolve));
  t.after(() => blocker.close());
  const held = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
    execFile(process.execPath, [cli, 'selftest'], { env: { ...process.env, ...env } }, (err, stdout) => resolve({ status: err ? (err.code as number) : 0, stdout }));
  });
  r = { ...r, ...held };
  assert.equal(r.status, 1);
  assert.match(r.stdout, new RegExp(`http port +FAIL +tcp 127.0.0.1:${http}: EADDRINUSE`));
  assert.match(r.stdout, /fix: stop what uses it .*CALLBOX_HTTP_PORT/);
});
