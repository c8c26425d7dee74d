import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../helpers/tmp.ts';

// Built by `make firmware`, which `make test` runs first.
const root = path.resolve(import.meta.dirname, '../../..');
const exe = (arch: string) => path.join(root, 'build', 'firmware', arch, 'bin', 'callbox');

function run(cmd: string, args: string[], dataDir: string) {
  return spawnSync(cmd, args, {
    encoding: 'utf8',
    timeout: 120_000,
    // Only what a fresh appliance has: no node_modules on the path, the addon written under the data dir.
    cwd: dataDir,
    env: { PATH: '/usr/bin:/bin:/usr/sbin:/sbin', CALLBOX_DATA_DIR: dataDir, CALLBOX_NATIVE_DIR: path.join(dataDir, 'native') },
  });
}

test('the x64 one-file firmware runs version, config apply and selftest on its own', (t) => {
  assert.ok(existsSync(exe('x64')), 'make firmware built build/firmware/x64/bin/callbox');
  const dataDir = tempDir(t);
  let r = run(exe('x64'), ['version'], dataDir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^callbox \d+\.\d+\.\d+ \(commit \S+, node v24\./);
  // SQLite through the addon carried inside the executable.
  r = run(exe('x64'), ['config', 'apply', path.join(root, 'firmware', 'examples', 'site.yaml')], dataDir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /configuration revision 1/);
  r = run(exe('x64'), ['selftest'], dataDir);
  assert.match(r.stdout, /sqlite \(WAL\) +ok/);
  assert.match(r.stdout, /rtpengine +ok/);
  assert.match(r.stdout, /gpio library +ok +onoff and its epoll addon load/, 'the GPIO addon travels inside the executable');
});

test('the arm64 one-file firmware runs version, its SQLite and its GPIO addon under qemu', (t) => {
  assert.ok(existsSync(exe('arm64')), 'make firmware built build/firmware/arm64/bin/callbox');
  assert.ok(existsSync('/usr/bin/qemu-aarch64-static'), 'qemu-user-static is installed by make test');
  const dataDir = tempDir(t);
  const qemu = ['-L', '/usr/aarch64-linux-gnu', exe('arm64')];
  let r = run('/usr/bin/qemu-aarch64-static', [...qemu, 'version'], dataDir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /node v24\./);
  r = run('/usr/bin/qemu-aarch64-static', [...qemu, 'config', 'apply', path.join(root, 'firmware', 'examples', 'site.yaml')], dataDir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /configuration revision 1/);
  r = run('/usr/bin/qemu-aarch64-static', [...qemu, 'selftest'], dataDir);
  assert.match(r.stdout, /gpio library +ok/, r.stdout);
});
