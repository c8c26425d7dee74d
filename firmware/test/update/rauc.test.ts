import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { applyUpdate, markBootGood } from '../../src/update/apply.ts';
import { UpdateError } from '../../src/update/errors.ts';
import { createBundle } from '../../src/update/write-bundle.ts';
import { tempDir } from '../helpers/tmp.ts';
import { context, makeBundle, makeFirmwareTree, makeKeys, snapshot, thisArch } from './fixtures.ts';

/**
 * An appliance with RAUC: system.conf present and a stand-in `rauc` that records its calls and the sha256 of the
 * bundle it was given (the real one needs a RAUC system with slots and a bootloader).
 */
function applianceWithRauc(t: Parameters<typeof tempDir>[0], exitCode = 0) {
  const dir = tempDir(t, 'callbox-update-rauc-');
  const keys = makeKeys(path.join(dir, 'keys'));
  const systemConf = path.join(dir, 'system.conf');
  writeFileSync(systemConf, '[system]\ncompatible=callbox-raspberrypi4-64\nbootloader=uboot\n');
  const calls = path.join(dir, 'rauc-calls.log');
  const bin = path.join(dir, 'rauc');
  writeFileSync(
    bin,
    `#!/bin/sh
echo "$*" >> '${calls}'
case "$1" in
  install) sha256sum "$2" | cut -d' ' -f1 >> '${calls}'; echo "installing"; echo "  100% Installing done."
    [ ${exitCode} -eq 0 ] || { echo "LastError: Compatible mismatch" >&2; exit ${exitCode}; } ;;
  status) echo "marked slot rootfs.1 as good" ;;
esac
`,
  );
  chmodSync(bin, 0o755);
  const ctx = context(path.join(dir, 'var'), keys.publicKeyPath, {
    profile: 'appliance',
    target: { board: 'rpi-cm4-reference', arch: process.arch },
    rauc: { bin, systemConf },
  });
  const raucb = path.join(dir, 'callbox-bundle-raspberrypi4-64.raucb');
  writeFileSync(raucb, Buffer.alloc(300 * 1024, 'hsqs-image;'));
  const bundle = async () => {
    const out = path.join(dir, 'rootfs.cbu');
    await createBundle({ out, privateKey: keys.privateKey, kind: 'rauc', version: '2.0.0', commit: 'abc123def456', boards: ['rpi-cm4-reference'], arch: thisArch, files: [{ path: 'bundle.raucb', source: raucb, executable: false }] });
    return out;
  };
  return { dir, keys, ctx, calls, raucb, bundle };
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

test('on the appliance the verified RAUC bundle goes to `rauc install`, and a healthy boot runs `rauc status mark-good`', async (t) => {
  const { ctx, calls, raucb, bundle } = applianceWithRauc(t);
  const lines: string[] = [];
  const result = await applyUpdate(await bundle(), { ...ctx, onOutput: (l) => lines.push(l) });
  assert.equal(result.method, 'rauc');
  const log = readFileSync(calls, 'utf8').trim().split('\n');
  assert.match(log[0] ?? '', /^install .*\/var\/update\/incoming\/bundle\.raucb$/);
  assert.equal(log[1], sha256(raucb), 'rauc got the payload byte for byte');
  assert.deepEqual(lines, ['installing', '  100% Installing done.']);
  // The unpacked copy is gone once RAUC has written the slot: the data partition keeps no second image.
  assert.deepEqual(readdirSync(path.join(ctx.dataDir, 'update', 'incoming')), []);

  assert.equal(await markBootGood(ctx), 'rauc: marked slot rootfs.1 as good');
  assert.equal(readFileSync(calls, 'utf8').trim().split('\n').at(-1), 'status mark-good');
});

test('a failing `rauc install` is reported with its last line and leaves no copy behind', async (t) => {
  const { ctx, bundle } = applianceWithRauc(t, 1);
  await assert.rejects(applyUpdate(await bundle(), ctx), (err: unknown) => {
    assert.ok(err instanceof UpdateError);
    assert.equal(err.code, 'install-failed');
    assert.equal(err.message, 'rauc install failed (exit 1): LastError: Compatible mismatch; the running slot is unchanged');
    return true;
  });
  assert.deepEqual(readdirSync(path.join(ctx.dataDir, 'update', 'incoming')), []);
});

test('on the appliance a refused or firmware-only bundle never reaches rauc', async (t) => {
  const { dir, keys, ctx, calls } = applianceWithRauc(t);
  const firmwareOnly = await makeBundle(path.join(dir, 'fw.cbu'), makeFirmwareTree(path.join(dir, 'tree'), '2.0.0', 0), keys.privateKey, { boards: ['rpi-cm4-reference'] });
  await assert.rejects(applyUpdate(firmwareOnly, ctx), /fw\.cbu holds the firmware files only; this appliance updates its root slot from a RAUC bundle/);
  const simulatedOnly = await makeBundle(path.join(dir, 'sim.cbu'), path.join(dir, 'tree'), keys.privateKey);
  await assert.rejects(applyUpdate(simulatedOnly, ctx), /sim\.cbu is for board simulated; this is rpi-cm4-reference/);
  assert.equal(existsSync(calls), false);
  assert.deepEqual(snapshot(ctx.dataDir), []);
});

test('an appliance without RAUC refuses to install and has nothing to mark', async (t) => {
  const { dir, ctx, bundle } = applianceWithRauc(t);
  const noRauc = { ...ctx, rauc: { ...ctx.rauc, systemConf: path.join(dir, 'absent.conf') } };
  await assert.rejects(applyUpdate(await bundle(), noRauc), /this appliance has no RAUC system \(.*absent\.conf is missing\)/);
  assert.match(await markBootGood(noRauc), /^no RAUC system/);
});

test('a shell on a RAUC box without the appliance environment is told so instead of installing into ./var', async (t) => {
  const { ctx, calls, bundle } = applianceWithRauc(t);
  await assert.rejects(applyUpdate(await bundle(), { ...ctx, profile: 'dev' }), /this is a RAUC system \(.*system\.conf\) but CALLBOX_PROFILE is not appliance/);
  assert.equal(existsSync(calls), false);
  assert.deepEqual(snapshot(ctx.dataDir), []);
});
