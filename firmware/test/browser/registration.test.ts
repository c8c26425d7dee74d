import assert from 'node:assert/strict';
import { test } from 'node:test';
import { feedRegistrations } from '../../src/calls/live-feed.ts';
import { listAllBindings } from '../../src/config/repositories/registrations.ts';
import { ensureFirstBoot } from '../../src/config/first-boot.ts';
import { createLogger } from '../../src/log.ts';
import { ComponentHealth } from '../../src/supervisor/component-health.ts';
import { InMemoryLiveState } from '../../src/web/live-state.ts';
import { startWebServer } from '../../src/web/server.ts';
import { Phone, phoneRtpBase } from '../calls/baresip.ts';
import { startCallHarness } from '../calls/harness.ts';
import { freePort } from '../helpers/ports.ts';
import { tempDir } from '../helpers/tmp.ts';
import { ADMIN_FIRST_PASSWORD } from '../web/harness.ts';
import { buildUi, openBrowser, shot } from './browser.ts';

test('an extension created in the browser takes effect: a baresip phone registers with it and the dashboard shows it live', async (t) => {
  const calls = await startCallHarness(t);
  ensureFirstBoot(calls.db, { adminPassword: ADMIN_FIRST_PASSWORD });
  const health = new ComponentHealth();
  health.set('sip-engine', 'up', `udp 127.0.0.1:${calls.sipPort}`);
  const live = new InMemoryLiveState({ health });
  const stopFeed = feedRegistrations(calls.services.registrar, live, listAllBindings(calls.db, Date.now()));
  const web = await startWebServer({ bind: '127.0.0.1', port: await freePort(), health, log: createLogger('t', 'silent'), uiDir: buildUi(), api: { db: calls.db, dataDir: tempDir(t), live } });
  t.after(async () => {
    stopFeed();
    await web.close();
    live.close();
  });

  const { page } = await openBrowser(t);
  await page.goto(web.url);
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(ADMIN_FIRST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Current password').fill(ADMIN_FIRST_PASSWORD);
  await page.getByLabel('New password', { exact: true }).fill('Owner-chosen-pass-42');
  await page.getByLabel('New password again').fill('Owner-chosen-pass-42');
  await page.getByRole('button', { name: 'Save password' }).click();

  await page.getByRole('link', { name: 'Extensions' }).click();
  await page.getByRole('button', { name: 'New extension' }).click();
  await page.getByLabel('Number').fill('1005');
  await page.getByLabel('Name', { exact: true }).fill('Erin Front Desk');
  await page.getByLabel('Password').fill('pw-1005-from-the-ui');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('cell', { name: 'Erin Front Desk' }).waitFor();

  await page.getByRole('link', { name: 'Dashboard' }).click();
  await page.getByRole('heading', { name: 'Registered phones (0)' }).waitFor();
  const phone = await Phone.start(t, { toneHz: 440, rtpBase: await phoneRtpBase() });
  await assert.rejects(phone.register(calls.sipPort, '1005', 'not-the-password'), /failed/);
  await phone.register(calls.sipPort, '1005', 'pw-1005-from-the-ui');
  await page.getByRole('heading', { name: 'Registered phones (1)' }).waitFor();
  await page.locator('#registrations').getByRole('cell', { name: '1005', exact: true }).waitFor();
  await shot(page, '14-dashboard-registered');
});
