import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { applyUpdate } from '../../src/update/apply.ts';
import { tempDir } from '../helpers/tmp.ts';
import { context, makeBundle, makeFirmwareTree, makeKeys } from '../update/fixtures.ts';
import { startHarness } from '../web/harness.ts';
import { buildUi, firstLogin, openBrowser, shot } from './browser.ts';

test('the owner installs a signed update from the system page; a damaged file is refused with the reason', async (t) => {
  const work = tempDir(t);
  const keys = makeKeys(path.join(work, 'keys'));
  let dataDir = '';
  const h = await startHarness(t, { uiDir: buildUi(), update: (file) => applyUpdate(file, context(dataDir, keys.publicKeyPath)) });
  dataDir = h.dir;
  const good = await makeBundle(path.join(work, 'callbox-2.1.0.cbu'), makeFirmwareTree(path.join(work, 'tree'), '2.1.0'), keys.privateKey, { version: '2.1.0' });
  const damaged = path.join(work, 'damaged.cbu');
  const bytes = readFileSync(good);
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0x55;
  writeFileSync(damaged, bytes);

  const { page } = await openBrowser(t);
  await firstLogin(page, h.web.url, 'Owner-update-pass-7');

  await page.getByRole('link', { name: 'System' }).click();
  await page.getByRole('heading', { name: 'Firmware update' }).waitFor();
  await page.getByLabel('Update file').setInputFiles(damaged);
  await page.getByRole('button', { name: 'Upload and install' }).click();
  await page.getByText(/nothing was changed/).waitFor();

  await page.getByLabel('Update file').setInputFiles(good);
  await page.getByRole('button', { name: 'Upload and install' }).click();
  await page.getByText(/Update 2\.1\.0 \(abc123def456\) installed; reboot to start it/).waitFor();
  await shot(page, '14-system-update');
  assert.match(readFileSync(path.join(h.dir, 'update', 'slot-b', 'share', 'callbox', 'package.json'), 'utf8'), /2\.1\.0/);
});
