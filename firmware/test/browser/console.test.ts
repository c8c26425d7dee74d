import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { parse } from 'yaml';
import { getSnmpConfig } from '../../src/config/repositories/snmp.ts';
import { exportSiteFile } from '../../src/config/site-export.ts';
import { createLogger } from '../../src/log.ts';
import { engineIdFromFile } from '../../src/snmp/engine-id.ts';
import { startSnmp } from '../../src/snmp/service.ts';
import { freePort } from '../helpers/ports.ts';
import { FakeSource } from '../snmp/fake-source.ts';
import { tool } from '../snmp/tools.ts';
import type { GpioSnapshot } from '../../src/platform/gpio.ts';
import { ADMIN_FIRST_PASSWORD, GOOD_PASSWORD, settledAdmin, startHarness, type Harness } from '../web/harness.ts';
import { buildUi, firstLogin as signInFirstTime, openBrowser, shot } from './browser.ts';

const firstLogin = (page: Page, h: Harness) => signInFirstTime(page, h.web.url, NEW_PASSWORD);

const NEW_PASSWORD = 'Owner-chosen-pass-42';


test('the owner signs in, must change the password, then builds an extension and a queue through the pages', async (t) => {
  const panel: GpioSnapshot = {
    backend: 'simulated',
    scene: 'healthy',
    leds: { power: { on: true, pattern: 'solid' }, status: { on: true, pattern: 'solid' }, alarm: { on: false, pattern: 'off' } },
    button: { pressed: false },
    degraded: null,
  };
  const h = await startHarness(t, { uiDir: buildUi(), leds: () => structuredClone(panel) });
  const { page } = await openBrowser(t);
  const scriptErrors: string[] = [];
  page.on('pageerror', (e) => scriptErrors.push(e.message));

  await firstLogin(page, h);
  await page.getByText('All systems up').waitFor();
  await page.getByRole('img', { name: 'status lit' }).waitFor();
  await page.getByRole('img', { name: 'alarm dark' }).waitFor();
  // The simulated front panel changes: the dashboard follows without a reload.
  panel.scene = 'fault';
  panel.leds.alarm = { on: true, pattern: 'blink-fast' };
  await page.getByRole('img', { name: 'alarm lit' }).waitFor();
  await page.getByText('Scene: fault (simulated)').waitFor();
  await shot(page, '03-dashboard');
  assert.equal((await h.client().post('/api/v1/auth/login', { username: 'admin', password: ADMIN_FIRST_PASSWORD })).status, 401, 'the first password is gone');

  // An extension that is an agent.
  await page.getByRole('link', { name: 'Extensions' }).click();
  await page.getByRole('button', { name: 'New extension' }).click();
  await page.getByLabel('Number').fill('1x');
  await page.getByLabel('Name', { exact: true }).fill('Alice Example');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('[data-field="number"] .field-error').filter({ hasText: 'must be 2 to 10 digits' }).waitFor();
  await shot(page, '04-extension-error');
  await page.getByLabel('Number').fill('1001');
  await page.getByLabel('Agent', { exact: true }).check();
  await page.getByLabel('Skills').fill('billing=4, german=5');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('cell', { name: 'Alice Example' }).waitFor();
  await shot(page, '05-extensions');

  // A queue with that agent as member.
  await page.getByRole('link', { name: 'Queues' }).click();
  await page.getByRole('button', { name: 'New queue' }).click();
  await page.getByLabel('Number').fill('500');
  await page.getByLabel('Name', { exact: true }).fill('Support');
  await page.getByLabel('Strategy').selectOption('round-robin');
  await page.getByRole('button', { name: 'Add member' }).click();
  await page.getByRole('group', { name: 'Member 1' }).getByLabel('Extension').fill('1001');
  await shot(page, '06-queue-editor');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('cell', { name: 'Support' }).waitFor();

  // A supervisor for that queue, who must choose their own password at first sign-in.
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('button', { name: 'New user' }).click();
  await page.getByLabel('Username').fill('sue');
  await page.getByLabel('Name', { exact: true }).fill('Sue Supervisor');
  await page.getByLabel('Role').selectOption('supervisor');
  await page.getByLabel('Password', { exact: true }).fill('temporary-pass-1');
  await page.getByLabel('Queues').fill('500');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('cell', { name: 'Sue Supervisor' }).waitFor();
  await shot(page, '06b-users');
  const sue = h.client();
  const sueLogin = await sue.post('/api/v1/auth/login', { username: 'sue', password: 'temporary-pass-1' });
  assert.equal(sueLogin.body.stage, 'change-password');
  assert.deepEqual(sueLogin.body.user.queues, ['500']);

  const site = parse(exportSiteFile(h.db));
  assert.deepEqual(site.extensions.map((e: { number: string }) => e.number), ['1001']);
  assert.deepEqual(site.extensions[0].agent.skills, { billing: 4, german: 5 });
  assert.equal(site.queues[0].number, '500');
  assert.equal(site.queues[0].strategy, 'round-robin');
  assert.deepEqual(site.queues[0].members, ['1001']);
  const viaApi = await (await h.as('admin', NEW_PASSWORD)).get('/api/v1/queues/500');
  assert.equal(viaApi.body.name, 'Support');
  assert.deepEqual(scriptErrors, []);
});

test('the wallboard follows the live queue state without a reload, with colour thresholds', async (t) => {
  const h = await startHarness(t, { uiDir: buildUi() });
  const admin = await settledAdmin(h);
  await admin.post('/api/v1/extensions', { number: '1001', name: 'Alice Example', agent: {} });
  await admin.post('/api/v1/queues', { number: '500', name: 'Support', members: ['1001'] });
  h.addUser('sue', 'supervisor', { queues: ['500', '501'] });
  const queue = (number: string, name: string, waiting: number, longestWaitS: number) => ({
    number, name, waiting, longestWaitS, estimatedWaitS: waiting * 25,
    agents: { idle: waiting > 0 ? 0 : 2, busy: 2, paused: 1, 'wrap-up': 0, ringing: 0 },
    answeredToday: 17, abandonedToday: 2, serviceLevelPercent: 88,
  });
  h.live.setQueue(queue('500', 'Support', 0, 0));
  h.live.setQueue(queue('501', 'Sales', 1, 12));
  const { page } = await openBrowser(t);
  await page.goto(h.web.url);
  // Keyboard only: the username field has the focus, Tab moves on, Enter signs in.
  await page.getByLabel('Username').waitFor();
  await page.keyboard.type('sue');
  await page.keyboard.press('Tab');
  await page.keyboard.type(GOOD_PASSWORD);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
  await page.getByRole('link', { name: 'Wallboard' }).focus();
  await page.keyboard.press('Enter');
  const support = page.locator('[data-queue="500"]');
  await support.waitFor();
  assert.match((await support.getAttribute('class')) ?? '', /level-ok/);

  for (let w = 1; w <= 6; w++) h.live.setQueue(queue('500', 'Support', w, w * 30));
  await page.locator('[data-queue="500"].level-alert').waitFor();
  assert.equal(await page.locator('[data-queue="500"] .stat.big .stat-value').textContent(), '6');
  assert.match((await page.locator('[data-queue="501"]').getAttribute('class')) ?? '', /level-ok|level-warn/);
  await page.locator('.wall-chart canvas').waitFor();
  await shot(page, '07-wallboard');

  // The supervisor pauses an agent of their queue from the agents page; one of another queue is out of reach.
  h.live.setAgent({ extension: '1001', name: 'Alice Example', state: 'idle', since: new Date().toISOString(), queues: ['500'], registered: true, answeredToday: 3 });
  h.live.setAgent({ extension: '1009', name: 'Zed Elsewhere', state: 'idle', since: new Date().toISOString(), queues: ['777'], registered: true, answeredToday: 0 });
  await page.getByRole('link', { name: 'Agents', exact: true }).click();
  const row = page.locator('tr[data-agent="1001"]');
  await row.getByRole('button', { name: 'Pause' }).click();
  await row.locator('.badge.agent-paused').waitFor();
  assert.equal(h.live.snapshot().agents.find((a) => a.extension === '1001')?.state, 'paused');
  assert.equal(await page.locator('tr[data-agent="1009"]').count(), 0, 'agents of other queues are not listed');
  await row.getByRole('button', { name: 'Log out' }).click();
  await row.locator('.badge.agent-logged-out').waitFor();
});

test('an agent works from the agent view: logs in, pauses with a reason, and the ACD state follows', async (t) => {
  const h = await startHarness(t, { uiDir: buildUi() });
  const admin = await (async () => {
    const c = await h.as('admin', ADMIN_FIRST_PASSWORD);
    await c.post('/api/v1/auth/password', { current_password: ADMIN_FIRST_PASSWORD, new_password: GOOD_PASSWORD });
    return c;
  })();
  await admin.post('/api/v1/extensions', { number: '1001', name: 'Alice Example', agent: {} });
  await admin.post('/api/v1/queues', { number: '500', name: 'Support', members: ['1001'] });
  await admin.post('/api/v1/pause-reasons', { code: 'lunch', name: 'Lunch' });
  await admin.post('/api/v1/pause-reasons', { code: 'training', name: 'Training' });
  h.addUser('alice', 'agent', { extension: '1001' });
  h.live.setAgent({ extension: '1001', name: 'Alice Example', state: 'logged-out', since: new Date().toISOString(), queues: [], registered: true, answeredToday: 0 });
  h.live.setQueue({ number: '500', name: 'Support', waiting: 2, longestWaitS: 40, estimatedWaitS: 60, agents: { idle: 0, busy: 0, paused: 0, 'wrap-up': 0, ringing: 0 }, answeredToday: 0, abandonedToday: 0, serviceLevelPercent: null });

  const { page } = await openBrowser(t);
  await page.goto(h.web.url);
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill(GOOD_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Agent view', level: 1 }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Extensions' }).count(), 0, 'agents see no configuration');

  await page.getByRole('button', { name: 'Log in to my queues' }).click();
  await page.locator('.badge.agent-idle').waitFor();
  assert.deepEqual(h.live.snapshot().agents[0]?.queues, ['500']);

  h.live.setCall({ id: 'c1', interactionId: 'i-1', direction: 'inbound', caller: '+4930555123', callerName: 'Acme GmbH', callee: '500', state: 'talking', queue: '500', extension: '1001', startedAt: new Date().toISOString(), ivrData: { customer_id: '4711' } });
  await page.getByText('Acme GmbH').waitFor();
  await page.getByRole('cell', { name: '4711' }).waitFor();
  await page.getByLabel('Disposition code').fill('resolved');
  await page.getByLabel('Note').fill('Reset the router');
  await shot(page, '08-agent-view-call');
  await page.getByRole('button', { name: 'Finish wrap-up' }).click();
  await page.getByText('Wrap-up saved').waitFor();
  const disp = h.db.prepare('SELECT code, note, actor FROM call_dispositions').all();
  assert.deepEqual(disp, [{ code: 'resolved', note: 'Reset the router', actor: 'alice' }]);
  h.live.removeCall('c1');

  await page.getByLabel('Pause reason').selectOption('training');
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.locator('.badge.agent-paused').waitFor();
  assert.equal(h.live.snapshot().agents[0]?.state, 'paused');
  assert.equal(h.live.snapshot().agents[0]?.pauseReason, 'training');
  await shot(page, '09-agent-view-paused');
});

test('the SNMP page changes the stored SNMP configuration; system and agents pages render', async (t) => {
  const h = await startHarness(t, { uiDir: buildUi() });
  const { page } = await openBrowser(t);
  await firstLogin(page, h);
  await page.getByRole('link', { name: 'SNMP' }).click();
  await page.getByLabel('Location').fill('Server room 2, rack B');
  await page.getByLabel('Contact').fill('it@example.test');
  await page.getByRole('button', { name: 'Add user' }).click();
  const user = page.locator('[data-field="users[0]"]');
  await user.getByLabel('Name').fill('nms');
  await user.locator('[data-field="users[0].auth"]').getByLabel('Protocol').selectOption('sha256');
  await user.locator('[data-field="users[0].auth"]').getByLabel('Password').fill('auth-pass-123');
  await user.locator('[data-field="users[0].priv"]').getByLabel('Protocol').selectOption('aes');
  await user.locator('[data-field="users[0].priv"]').getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('[data-field="users[0].priv.password"] .field-error').filter({ hasText: 'at least 8' }).waitFor();
  assert.equal(getSnmpConfig(h.db).users.length, 0, 'nothing stored while invalid');
  await user.locator('[data-field="users[0].priv"]').getByLabel('Password').fill('priv-pass-123');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('SNMP settings saved').waitFor();
  await shot(page, '10-snmp');
  const snmp = getSnmpConfig(h.db);
  assert.equal(snmp.location, 'Server room 2, rack B');
  assert.equal(snmp.contact, 'it@example.test');
  assert.deepEqual(snmp.users.map((u) => [u.name, u.auth.protocol, u.priv.protocol]), [['nms', 'sha256', 'aes']]);

  // The SNMP agent started with what the page stored answers the user made there, with the location typed there.
  const agentPort = await freePort();
  const agent = await startSnmp({ config: snmp, bind: '127.0.0.1', port: agentPort, engineId: engineIdFromFile(path.join(h.dir, 'snmp-engine-id')).engineId, source: new FakeSource(), log: createLogger('snmp', 'silent') });
  t.after(() => agent.close());
  const walk = await tool('snmpwalk', ['-v3', '-l', 'authPriv', '-u', 'nms', '-a', 'SHA-256', '-A', 'auth-pass-123', '-x', 'AES', '-X', 'priv-pass-123', '-r', '1', '-t', '3', `udp:127.0.0.1:${agentPort}`, '1.3.6.1.2.1.1']);
  // (no MIBs loaded: sysLocation is .1.3.6.1.2.1.1.6.0, sysContact .1.3.6.1.2.1.1.4.0)
  assert.match(walk.stdout, /\.1\.1\.6\.0 = STRING: "Server room 2, rack B"/);
  assert.match(walk.stdout, /\.1\.1\.4\.0 = STRING: "it@example\.test"/);

  h.live.setAgent({ extension: '1001', name: 'Alice Example', state: 'talking', since: new Date(Date.now() - 95_000).toISOString(), queues: ['500'], registered: true, answeredToday: 12 });
  h.live.setAgent({ extension: '1002', name: 'Bob Builder', state: 'paused', pauseReason: 'lunch', since: new Date(Date.now() - 600_000).toISOString(), queues: ['500'], registered: true, answeredToday: 7 });
  await page.getByRole('link', { name: 'Agents', exact: true }).click();
  await page.getByText('Bob Builder (1002)').waitFor();
  await shot(page, '11-agents');
  await page.getByRole('link', { name: 'System' }).click();
  await page.getByRole('heading', { name: 'Backup and restore' }).waitFor();
  await page.getByText(/Callbox \d+\.\d+\.\d+/).waitFor();
  await shot(page, '12-system');

  // Backup from the page, a change, then restore from the page: the change is undone.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download backup' }).click()]);
  const backupFile = path.join(h.dir, 'backup.json');
  await download.saveAs(backupFile);
  const admin = await h.as('admin', NEW_PASSWORD);
  assert.equal((await admin.put('/api/v1/snmp', { ...snmp, location: 'Moved to the basement' })).status, 200);
  assert.equal(getSnmpConfig(h.db).location, 'Moved to the basement');
  page.once('dialog', (d) => void d.accept());
  await page.getByLabel('Backup file').setInputFiles(backupFile);
  await page.getByRole('button', { name: 'Restore' }).click();
  await page.getByText(/Backup restored/).waitFor();
  assert.equal(getSnmpConfig(h.db).location, 'Server room 2, rack B');
  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.getByRole('cell', { name: 'snmp.update' }).first().waitFor();
  await shot(page, '13-audit');

  // Every page of the navigation opens without a script error or an error message.
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const links = await page.locator('nav a').evaluateAll((as) => as.map((a) => [a.textContent ?? '', a.getAttribute('href') ?? '']));
  assert.ok(links.length >= 22, `${links.length} pages`);
  for (const [title, href] of links) {
    await page.goto(`${h.web.url}/${href}`);
    await page.getByRole('heading', { name: title, level: 1 }).waitFor();
    await page.waitForLoadState('networkidle').catch(() => undefined);
    const shown = await page.locator('.notice-error:visible').allTextContents();
    assert.deepEqual(shown, [], `${title} shows an error`);
    if (['Routes', 'IVR flows', 'Hours and holidays'].includes(title)) await shot(page, `20-${href.replace(/\W+/g, '')}`);
  }
  assert.deepEqual(errors, []);

  // A tablet in portrait: the same console, narrower navigation.
  await page.setViewportSize({ width: 820, height: 1180 });
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await page.getByText('All systems up').waitFor();
  await shot(page, '15-tablet-dashboard');
  await page.getByRole('link', { name: 'Extensions' }).click();
  await page.getByRole('button', { name: 'New extension' }).click();
  assert.equal(await page.getByLabel('Skills').isVisible(), false, 'the agent section stays folded until switched on');
  await page.getByLabel('Agent', { exact: true }).check();
  assert.equal(await page.getByLabel('Skills').isVisible(), true);
  await shot(page, '16-tablet-extension');
});
