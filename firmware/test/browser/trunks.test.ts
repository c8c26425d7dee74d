import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ensureFirstBoot } from '../../src/config/first-boot.ts';
import { hashPassword } from '../../src/config/passwords.ts';
import { upsertUser } from '../../src/config/repositories/users.ts';
import { createLogger } from '../../src/log.ts';
import { ComponentHealth } from '../../src/supervisor/component-health.ts';
import { InMemoryLiveState } from '../../src/web/live-state.ts';
import { startWebServer } from '../../src/web/server.ts';
import { feedTrunks } from '../../src/web/trunk-feed.ts';
import { CARRIER_HOST, SCENARIOS, startCallHarness } from '../calls/harness.ts';
import { freePort } from '../helpers/ports.ts';
import { spawnProcess } from '../helpers/process.ts';
import { GOOD_PASSWORD } from '../web/harness.ts';
import { buildUi, openBrowser, shot } from './browser.ts';

const site = (carrierPort: number, sparePort: number) => `
version: 1
site: { name: Trunk test, timezone: Europe/Berlin, country: DE, language: en }
trunks:
  - { name: carrier, host: ${CARRIER_HOST}, port: ${carrierPort}, number_format: e164-no-plus, max_calls: 4, options_interval_s: 1, options_timeout_s: 1, options_down_after: 2 }
  - { name: spare, host: ${CARRIER_HOST}, port: ${sparePort}, options_interval_s: 0 }
`;

test('the dashboard shows trunk health live: a carrier answering OPTIONS is up, and goes down when it stops', async (t) => {
  const sparePort = await freePort(CARRIER_HOST);
  const h = await startCallHarness(t, { site: (carrierPort) => site(carrierPort, sparePort) });
  ensureFirstBoot(h.db, { adminPassword: 'first-boot-pass-1' });
  upsertUser(h.db, { username: 'ops', role: 'admin', passwordHash: hashPassword(GOOD_PASSWORD), mustChangePassword: false, queues: [] });
  const health = new ComponentHealth();
  health.set('db', 'up', 'test');
  const live = new InMemoryLiveState({ health });
  const web = await startWebServer({ bind: '127.0.0.1', port: await freePort(), health, log: createLogger('test', 'silent'), uiDir: buildUi(), api: { db: h.db, dataDir: h.dataDir, live } });
  t.after(async () => {
    await web.close();
    live.close();
  });
  t.after(feedTrunks(h.services.trunkHealth, live, 500));

  const { page } = await openBrowser(t);
  await page.goto(web.url);
  await page.getByLabel('Username').fill('ops');
  await page.getByLabel('Password').fill(GOOD_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const trunks = page.locator('.card').filter({ has: page.getByRole('heading', { name: 'Trunks' }) });
  const row = (name: string) => trunks.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });
  await row('spare').getByText('unmonitored').waitFor();
  await row('carrier').getByRole('cell', { name: '0 / 4' }).waitFor();

  // SIPp as the carrier answers five OPTIONS pings, then is gone.
  const carrier = spawnProcess(t, 'sipp', ['-sf', 'carrier-options.xml', '-i', CARRIER_HOST, '-p', String(h.carrierPort), '-m', '5', '-nostdin', '-timeout', '60', '-timeout_error'], { cwd: SCENARIOS });
  await row('carrier').locator('.badge.state-up').waitFor({ timeout: 15_000 });
  await row('carrier').getByText(/RTT \d+ ms/).waitFor();
  await shot(page, '21-dashboard-trunk-up');
  assert.equal((await carrier.exited).code, 0, carrier.output());
  await row('carrier').locator('.badge.state-down').waitFor({ timeout: 20_000 });
  await row('carrier').getByText(/OPTIONS in a row failed/).waitFor();
  await shot(page, '22-dashboard-trunk-down');
});
