import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../helpers/tmp.ts';
import { makeFirmwareTree, makeKeys, otherArch, snapshot, thisArch } from './fixtures.ts';

const repo = path.resolve(new URL('../../..', import.meta.url).pathname);
const cli = path.join(repo, 'firmware', 'src', 'cli.ts');
const script = path.join(repo, 'scripts', 'make-update-bundle.ts');

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { env: { ...process.env, CALLBOX_BOARD: 'simulated', CALLBOX_PROFILE: 'dev', ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
    });
  });
}

test('release flow from the command line: keygen, make-update-bundle, update apply, status; a tampered copy is refused', async (t) => {
  const dir = tempDir(t, 'callbox-update-cli-');
  const keys = path.join(dir, 'keys');
  const data = path.join(dir, 'var');
  const env = { CALLBOX_DATA_DIR: data, CALLBOX_UPDATE_PUBKEY: path.join(keys, 'update-key.pub') };

  const keygen = await run([cli, 'update', 'keygen', keys]);
  assert.equal(keygen.code, 0, keygen.stderr);
  assert.match(keygen.stdout, /key id [0-9a-f]{16}/);
  assert.equal(statSync(path.join(keys, 'update-key.pem')).mode & 0o777, 0o600);
  const again = await run([cli, 'update', 'keygen', keys]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /update-key\.pem already exists; keygen never overwrites a key/);

  const tree = makeFirmwareTree(path.join(dir, 'build', thisArch), '3.1.0');
  const bundle = path.join(dir, 'callbox-3.1.0.cbu');
  const made = await run([script, '--key', path.join(keys, 'update-key.pem'), '--board', 'simulated,generic-server', '--arch', thisArch, '--from', tree, '--version', '3.1.0', bundle]);
  assert.equal(made.code, 0, made.stderr);
  assert.match(made.stdout, /wrote .*callbox-3\.1\.0\.cbu: firmware bundle, callbox 3\.1\.0 .* for simulated, generic-server/);

  const tampered = path.join(dir, 'tampered.cbu');
  const bytes = readFileSync(bundle);
  bytes.writeUInt8(bytes.readUInt8(bytes.length - 10) ^ 0xff, bytes.length - 10);
  writeFileSync(tampered, bytes);
  const bad = await run([cli, 'update', 'apply', tampered], env);
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /^callbox update: tampered\.cbu: share\/callbox\/web-ui\/dist\/\S+ does not match its sha256 in the signed manifest \(the bundle was altered\); nothing was changed\n$/);
  assert.deepEqual(snapshot(data), []);

  const good = await run([cli, 'update', 'apply', bundle], env);
  assert.equal(good.code, 0, good.stderr);
  assert.match(good.stdout, /^installed callbox 3\.1\.0 \(commit \S+\) into .*update\/slot-b \(simulated slot\); pending until a healthy boot marks it good\n$/);
  assert.deepEqual(snapshot(path.join(data, 'update', 'slot-b')), snapshot(tree));
  const status = await run([cli, 'update', 'status'], env);
  assert.match(status.stdout, /simulated slot b: callbox 3\.1\.0 .*, pending, installed/);

  // Without the override the box trusts the repository's development key, which did not sign this bundle.
  const otherKey = await run([cli, 'update', 'verify', bundle], { CALLBOX_DATA_DIR: data, CALLBOX_UPDATE_PUBKEY: '' });
  assert.equal(otherKey.code, 1);
  assert.match(otherKey.stderr, /^callbox update: callbox-3\.1\.0\.cbu: signature does not verify with this box's update key/);
});

test('make-update-bundle refuses unknown boards and boards of another architecture; callbox update explains its usage', async (t) => {
  const dir = tempDir(t, 'callbox-update-cli-');
  const key = path.join(dir, 'update-key.pem');
  writeFileSync(key, makeKeys(dir).privateKey.export({ format: 'pem', type: 'pkcs8' }));
  const base = [script, '--key', key, '--from', makeFirmwareTree(path.join(dir, 'tree'), '1.0.0', 0)];
  const unknown = await run([...base, '--board', 'toaster', '--arch', thisArch, path.join(dir, 'a.cbu')]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /make-update-bundle: unknown board "toaster"; known boards: .*rpi-cm4-reference/);
  const arm = await run([...base, '--board', 'rk3568-1u', '--arch', 'x64', path.join(dir, 'b.cbu')]);
  assert.equal(arm.code, 1);
  assert.match(arm.stderr, /board rk3568-1u runs arm64, not x64/);
  const noArch = await run([...base, '--board', 'simulated', '--arch', otherArch === 'x64' ? 'riscv64' : 'mips', path.join(dir, 'c.cbu')]);
  assert.equal(noArch.code, 2);

  const usage = await run([cli, 'update', 'apply']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /usage: callbox update apply FILE \| verify FILE \| status \| keygen DIR/);
});
