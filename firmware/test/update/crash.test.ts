import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { applyUpdate, updateStatus } from '../../src/update/apply.ts';
import { spawnProcess } from '../helpers/process.ts';
import { tempDir } from '../helpers/tmp.ts';
import { context, makeBundle, makeFirmwareTree, makeKeys, snapshot } from './fixtures.ts';

const child = new URL('./install-child.ts', import.meta.url).pathname;

test('kill -9 during an install leaves the old slot or the complete new one, and the next install succeeds', async (t) => {
  const dir = tempDir(t, 'callbox-update-crash-');
  const keys = makeKeys(path.join(dir, 'keys'));
  const ctx = context(path.join(dir, 'var'), keys.publicKeyPath);
  const oldTree = makeFirmwareTree(path.join(dir, 'tree-v1'), '1.0.0', 1);
  const newTree = makeFirmwareTree(path.join(dir, 'tree-v2'), '2.0.0', 6);
  const oldBundle = await makeBundle(path.join(dir, 'v1.cbu'), oldTree, keys.privateKey, { version: '1.0.0' });
  const newBundle = await makeBundle(path.join(dir, 'v2.cbu'), newTree, keys.privateKey, { version: '2.0.0' });
  const slot = path.join(ctx.dataDir, 'update', 'slot-b');
  await applyUpdate(oldBundle, ctx);

  // Kill points: after each kind of durable step, and at random moments of the install (null).
  const steps = ['file share/callbox/web-ui/dist/chunk-2.js', 'payload synced', 'status written', 'switched', null, null];
  const outcomes = new Set<string>();
  for (const step of steps) {
    const p = spawnProcess(t, process.execPath, [child, newBundle, ctx.dataDir, keys.publicKeyPath]);
    if (step === null) {
      await p.waitFor(/^step file bin\/callbox$/m);
      await new Promise((r) => setTimeout(r, Math.random() * 150));
    } else await p.waitFor(new RegExp(`^step ${step.replace(/[.]/g, '\\.')}$`, 'm'));
    p.child.kill('SIGKILL');
    const { signal } = await p.exited;
    const finished = signal === null;

    const status = await updateStatus(ctx);
    const version = status.slot?.manifest.version;
    if (version === '1.0.0') {
      assert.deepEqual(snapshot(slot), snapshot(oldTree), `old slot intact after a kill at ${step ?? 'a random moment'}`);
      assert.equal(status.slot?.status, 'pending');
      assert.ok(!finished, 'a finished install must have switched');
    } else {
      assert.equal(version, '2.0.0');
      assert.deepEqual(snapshot(slot), snapshot(newTree), `new slot complete after a kill at ${step ?? 'a random moment'}`);
      assert.equal(status.slot?.status, 'pending');
    }
    outcomes.add(version);

    // The next install takes over the dead one's lock and clears its leftovers.
    await applyUpdate(oldBundle, ctx);
    assert.deepEqual(snapshot(slot), snapshot(oldTree));
    assert.equal(readdirSync(path.join(ctx.dataDir, 'update', 'slots')).length, 2);
    assert.deepEqual(readdirSync(path.join(ctx.dataDir, 'update')).sort(), ['slot-b', 'slots']);
  }
  assert.deepEqual([...outcomes].sort(), ['1.0.0', '2.0.0'], 'kills landed both before and after the switch');
});
