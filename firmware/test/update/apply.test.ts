import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { applyUpdate, markBootGood, updateStatus, verifyUpdate } from '../../src/update/apply.ts';
import { encodeHeader } from '../../src/update/container.ts';
import { UpdateError } from '../../src/update/errors.ts';
import { defaultPublicKeyPath, loadPublicKey } from '../../src/update/keys.ts';
import { tempDir } from '../helpers/tmp.ts';
import { context, makeBundle, makeFirmwareTree, makeKeys, otherArch, snapshot, thisArch } from './fixtures.ts';

/** A box that already runs an installed update (1.0.0, marked good), and a good 2.0.0 bundle for it. */
async function box(t: Parameters<typeof tempDir>[0]) {
  const dir = tempDir(t, 'callbox-update-');
  const keys = makeKeys(path.join(dir, 'keys'));
  const ctx = context(path.join(dir, 'var'), keys.publicKeyPath);
  const v1 = await makeBundle(path.join(dir, 'v1.cbu'), makeFirmwareTree(path.join(dir, 'tree-v1'), '1.0.0'), keys.privateKey);
  await applyUpdate(v1, ctx);
  await markBootGood(ctx);
  const v2Tree = makeFirmwareTree(path.join(dir, 'tree-v2'), '2.0.0');
  const v2 = await makeBundle(path.join(dir, 'v2.cbu'), v2Tree, keys.privateKey, { version: '2.0.0' });
  return { dir, keys, ctx, v2, v2Tree };
}

/** The bundle is refused with this code and a message matching `message`, and the data dir is byte for byte unchanged. */
async function refused(ctx: ReturnType<typeof context>, file: string, code: string, message: RegExp) {
  const before = snapshot(ctx.dataDir);
  await assert.rejects(applyUpdate(file, ctx), (err: unknown) => {
    assert.ok(err instanceof UpdateError, String(err));
    assert.equal(err.code, code, err.message);
    assert.match(err.message, message);
    assert.match(err.message, /nothing was changed$/);
    assert.ok(!err.message.includes('\n'), 'one line');
    return true;
  });
  assert.deepEqual(snapshot(ctx.dataDir), before);
}

test('a good bundle is installed into slot b exactly, pending until a healthy boot marks it good', async (t) => {
  const { ctx, v2, v2Tree } = await box(t);
  const result = await applyUpdate(v2, ctx);
  assert.equal(result.method, 'simulated');
  assert.equal(result.manifest.version, '2.0.0');
  assert.deepEqual(snapshot(path.join(ctx.dataDir, 'update', 'slot-b')), snapshot(v2Tree));
  let status = await updateStatus(ctx);
  assert.equal(status.slot?.status, 'pending');
  assert.equal(status.slot?.manifest.version, '2.0.0');

  assert.match(await markBootGood(ctx), /simulated slot b \(2\.0\.0, commit abc123def456\) is good/);
  status = await updateStatus(ctx);
  assert.equal(status.slot?.status, 'good');
  assert.ok(status.slot?.markedGoodAt);
  // Later healthy boots change nothing.
  const after = snapshot(ctx.dataDir);
  await markBootGood(ctx);
  assert.deepEqual(snapshot(ctx.dataDir), after);
  // Only the current generation is kept.
  assert.equal(readdirSync(path.join(ctx.dataDir, 'update', 'slots')).length, 2);
});

test('mark-good with nothing installed says so and writes nothing', async (t) => {
  const dir = tempDir(t);
  const ctx = context(path.join(dir, 'var'), makeKeys(dir).publicKeyPath);
  assert.equal(await markBootGood(ctx), 'no update installed');
  assert.deepEqual(snapshot(ctx.dataDir), []);
});

test('a payload byte changed after signing is refused', async (t) => {
  const { ctx, v2 } = await box(t);
  const bytes = readFileSync(v2);
  bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0x01, bytes.length - 1);
  writeFileSync(v2, bytes);
  await refused(ctx, v2, 'hash-mismatch', /v2\.cbu: share\/callbox\/web-ui\/dist\/index\.html does not match its sha256 in the signed manifest/);
});

test('a changed manifest is refused by the signature', async (t) => {
  const { ctx, v2 } = await box(t);
  const bytes = readFileSync(v2);
  const at = bytes.indexOf('"2.0.0"');
  bytes.write('"2.0.9"', at);
  writeFileSync(v2, bytes);
  await refused(ctx, v2, 'bad-signature', /signature does not verify with this box's update key [0-9a-f]{16} \(the bundle was altered after signing\)/);
});

test('a bundle signed with another key is refused, naming both keys', async (t) => {
  const { dir, ctx, v2Tree } = await box(t);
  const stranger = makeKeys(path.join(dir, 'stranger'));
  const bundle = await makeBundle(path.join(dir, 'stranger.cbu'), v2Tree, stranger.privateKey);
  await refused(ctx, bundle, 'bad-signature', /update key [0-9a-f]{16} \(it names key [0-9a-f]{16}\)/);
});

test('an unsigned bundle is refused', async (t) => {
  const { dir, ctx, v2 } = await box(t);
  const bytes = readFileSync(v2);
  const manifestLength = bytes.readUInt32BE(12);
  const unsigned = Buffer.concat([encodeHeader(bytes.subarray(16, 16 + manifestLength), Buffer.alloc(0)), bytes.subarray(20 + manifestLength + 64)]);
  writeFileSync(path.join(dir, 'unsigned.cbu'), unsigned);
  await refused(ctx, path.join(dir, 'unsigned.cbu'), 'unsigned', /unsigned\.cbu is not signed/);
});

test('a truncated bundle is refused, in the payload or in the header', async (t) => {
  const { dir, ctx, v2 } = await box(t);
  const cut = path.join(dir, 'cut.cbu');
  copyFileSync(v2, cut);
  truncateSync(cut, readFileSync(v2).length - 1000);
  await refused(ctx, cut, 'truncated', /cut\.cbu is truncated: 1000 of \d+ bytes are missing/);
  truncateSync(cut, 100);
  await refused(ctx, cut, 'truncated', /cut\.cbu is truncated \(the file ends inside its header\)/);
});

test('a bundle for another board is refused', async (t) => {
  const { dir, keys, ctx, v2Tree } = await box(t);
  const bundle = await makeBundle(path.join(dir, 'rk.cbu'), v2Tree, keys.privateKey, { boards: ['rk3568-1u', 'rpi-cm4-reference'] });
  await refused(ctx, bundle, 'wrong-board', /rk\.cbu is for board rk3568-1u, rpi-cm4-reference; this is simulated/);
});

test('a bundle for another CPU architecture is refused', async (t) => {
  const { dir, keys, ctx, v2Tree } = await box(t);
  const bundle = await makeBundle(path.join(dir, 'arch.cbu'), v2Tree, keys.privateKey, { arch: otherArch });
  await refused(ctx, bundle, 'wrong-arch', new RegExp(`arch\\.cbu is for ${otherArch}; this firmware runs on ${thisArch}`));
});

test('files that are not bundles are refused', async (t) => {
  const { dir, ctx } = await box(t);
  const text = path.join(dir, 'notes.txt');
  writeFileSync(text, 'this is not firmware\n');
  await refused(ctx, text, 'not-a-bundle', /notes\.txt is not a Callbox update bundle/);
  const empty = path.join(dir, 'empty.cbu');
  writeFileSync(empty, '');
  await refused(ctx, empty, 'not-a-bundle', /empty\.cbu is not a Callbox update bundle/);
  await refused(ctx, dir, 'not-a-bundle', /is not a regular file/);
  await refused(ctx, path.join(dir, 'missing.cbu'), 'unreadable', /cannot read .*missing\.cbu \(ENOENT\)/);
});

test('verify checks everything and writes nothing', async (t) => {
  const { ctx, v2 } = await box(t);
  const before = snapshot(ctx.dataDir);
  const verified = await verifyUpdate(v2, ctx);
  assert.equal(verified.manifest.version, '2.0.0');
  assert.deepEqual(verified.manifest.files.map((f) => f.path), ['bin/callbox', 'share/callbox/package.json', 'share/callbox/web-ui/dist/chunk-0.js', 'share/callbox/web-ui/dist/chunk-1.js', 'share/callbox/web-ui/dist/index.html']);
  assert.deepEqual(snapshot(ctx.dataDir), before);
});

test('the repository ships an ed25519 development key where the firmware looks for it', () => {
  const key = loadPublicKey(defaultPublicKeyPath({}));
  assert.equal(key.asymmetricKeyType, 'ed25519');
  assert.equal(defaultPublicKeyPath({ CALLBOX_UPDATE_PUBKEY: '/etc/lab.pub' }), '/etc/lab.pub');
});
