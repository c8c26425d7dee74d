import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import { startQueueCalls, type QueueCalls } from '../../src/acd-calls/queue-calls.ts';
import { assetPath } from '../../src/assets.ts';
import { startCallServices, type CallServices } from '../../src/calls/services.ts';
import { openDatabase } from '../../src/config/database.ts';
import { ensureFirstBoot } from '../../src/config/first-boot.ts';
import { hashPassword } from '../../src/config/passwords.ts';
import { upsertUser } from '../../src/config/repositories/users.ts';
import { applySiteFile } from '../../src/config/site-apply.ts';
import { middayTimeZone } from '../helpers/clock.ts';
import { createLogger } from '../../src/log.ts';
import { parseSipEngineArgs } from '../../src/sip-engine/cli-args.ts';
import { startSipEngine } from '../../src/sip-engine/main.ts';
import { ComponentHealth } from '../../src/supervisor/component-health.ts';
import { acdBridge } from '../../src/web/acd-bridge.ts';
import { InMemoryLiveState } from '../../src/web/live-state.ts';
import { startWebServer } from '../../src/web/server.ts';
import { Phone, phoneRtpBase } from '../calls/baresip.ts';
import { until } from '../calls/harness.ts';
import { freePort } from '../helpers/ports.ts';
import { spawnProcess } from '../helpers/process.ts';
import { startTestRtpengine } from '../helpers/rtpengine.ts';
import { tempDir } from '../helpers/tmp.ts';
import { GOOD_PASSWORD } from '../web/harness.ts';
import { buildUi, openBrowser, shot } from './browser.ts';

const SCENARIOS = path.join(import.meta.dirname, 'scenarios');
const CALLER = '127.0.0.7';
const sipPassword = (ext: string) => `pw-${ext}-secret`;

const SITE = `
version: 1
site: { name: Live test, timezone: ${middayTimeZone()}, country: DE, language: en }
extensions:
  - { number: "1001", name: Alice Becker, password: "${sipPassword('1001')}", agent: { skills: {} } }
  - { number: "1005", name: Eve Caller, password: "${sipPassword('1005')}" }
pause_reasons:
  - { code: lunch, name: Lunch }
queues:
  - { number: "500", name: Support, strategy: ring-all, members: ["1001"], ring_timeout_s: 30, wrapup_s: 0, announce_every_s: null }
`;

/**
 * The box's call side (SIP engine, rtpengine, calls app with the queue app) and its console on one database, the
 * console's live pages fed by the ACD through the bridge as the appliance does it.
 */
async function startBox(ctx: { after(fn: () => unknown): void }) {
  const dir = tempDir(ctx);
  // Torn down in reverse order, the store last: node:test runs after-hooks in the order they were added, and a
  // service still ticking (trunk health, once a second) must not find the database closed.
  const closers: Array<() => unknown> = [];
  ctx.after(async () => {
    for (const close of closers.reverse()) await close();
  });
  const t = { after: (fn: () => unknown) => void closers.push(fn) };
  const db = openDatabase(dir);
  t.after(() => db.close());
  ensureFirstBoot(db, { adminPassword: 'first-boot-pass-1' });
  const applied = applySiteFile(db, SITE, 'test');
  assert.ok(applied.ok, JSON.stringify(applied));
  upsertUser(db, { username: 'alice', role: 'agent', passwordHash: hashPassword(GOOD_PASSWORD), mustChangePassword: false, extension: '1001', queues: [] });
  upsertUser(db, { username: 'sue', role: 'supervisor', passwordHash: hashPassword(GOOD_PASSWORD), mustChangePassword: false, queues: ['500'] });

  const rtp = await startTestRtpengine(t);
  const sipPort = await freePort();
  const adminPort = await freePort();
  const engine = await startSipEngine(await parseSipEngineArgs(['--contact', `sip:127.0.0.1:${sipPort};transport=udp,tcp`, '--port', String(adminPort), '--secret', 'test-secret']), pino({ level: 'silent' }));
  t.after(() => engine.close());

  const health = new ComponentHealth();
  health.set('db', 'up', 'test');
  const live = new InMemoryLiveState({ health });
  const web = await startWebServer({ bind: '127.0.0.1', port: await freePort(), health, log: createLogger('test', 'silent'), uiDir: buildUi(), api: { db, dataDir: dir, live } });
  t.after(async () => {
    await web.close();
    live.close();
  });

  let queues: QueueCalls | undefined;
  const services: CallServices = await startCallServices({
    db,
    ng: rtp.ng,
    log: pino({ level: process.env['CALLS_TEST_LOG'] ?? 'silent' }),
    engine: { host: '127.0.0.1', port: adminPort, secret: 'test-secret' },
    mohFile: path.join(assetPath.prompts(), 'moh', 'default.wav'),
    mediaUp: () => true,
    onMediaChange: () => () => undefined,
    // SIPp 3.6 answers digest challenges with MD5 only.
    digestAlgorithms: ['MD5'],
    registrar: { minExpiresS: 30 },
    liveState: live,
    queueCalls: async (deps) => (queues = await startQueueCalls(deps, { dtmf: { host: '127.0.0.1', port: rtp.dtmfPort }, tickMs: 200 })),
  });
  t.after(() => services.stop());
  if (queues === undefined) throw new Error('the queue app did not start');
  const q = queues;
  // As the appliance wires it (appliance.ts): changes at once, growing waits every second.
  const bridge = acdBridge({ acd: q.acd, live, submit: q.submit, names: q.names, members: q.members, registered: (ext) => services.registrar.lookup(ext).length > 0, today: q.today });
  live.setAgentControl(bridge.control);
  t.after(q.onChange(() => bridge.publish()));
  const timer = setInterval(() => bridge.publish(), 1000);
  t.after(() => clearInterval(timer));
  bridge.publish();
  return { web, sipPort, queues: q };
}

test('real calls: the wallboard shows SIPp callers waiting live; an agent who pauses in the agent view is not rung, and takes a call once she resumes', async (t) => {
  const box = await startBox(t);
  const alice = await Phone.start(t, { address: '127.0.0.1', toneHz: 440, rtpBase: await phoneRtpBase() });
  await alice.register(box.sipPort, '1001', sipPassword('1001'), { answer: 'manual' });
  await until('Alice is logged in by registering', () => box.queues.acd.agent('1001').state === 'available');

  // Alice pauses from the agent view.
  const agent = (await openBrowser(t)).page;
  await agent.goto(box.web.url);
  await agent.getByLabel('Username').fill('alice');
  await agent.getByLabel('Password').fill(GOOD_PASSWORD);
  await agent.getByRole('button', { name: 'Sign in' }).click();
  await agent.locator('.badge.agent-idle').waitFor();
  await agent.getByLabel('Pause reason').selectOption('lunch');
  await agent.getByRole('button', { name: 'Pause', exact: true }).click();
  await agent.locator('.badge.agent-paused').waitFor();
  assert.equal(box.queues.acd.agent('1001').state, 'paused');

  // The supervisor watches the wallboard.
  const wall = (await openBrowser(t)).page;
  await wall.goto(box.web.url);
  await wall.getByLabel('Username').fill('sue');
  await wall.getByLabel('Password').fill(GOOD_PASSWORD);
  await wall.getByRole('button', { name: 'Sign in' }).click();
  await wall.getByRole('link', { name: 'Wallboard' }).click();
  const tile = wall.getByRole('region', { name: 'Queue Support' });
  const waiting = tile.locator('.stat.big .stat-value');
  await waiting.filter({ hasText: /^0$/ }).waitFor();
  await tile.getByText('paused 1').waitFor();

  // Two callers dial the queue; they wait, and nobody rings Alice.
  const sipp = spawnProcess(t, 'sipp', ['-sf', 'queue-caller.xml', '-s', '500', '-au', '1005', '-ap', sipPassword('1005'), '-i', CALLER, '-p', String(await freePort(CALLER)), '-mi', CALLER, '-mp', String(await freePort(CALLER)), '-m', '2', '-l', '2', '-nostdin', '-timeout', '90', '-timeout_error', `127.0.0.1:${box.sipPort}`], { cwd: SCENARIOS });
  await waiting.filter({ hasText: /^2$/ }).waitFor({ timeout: 20_000 });
  await shot(wall, '18-wallboard-real-callers');
  await agent.getByRole('row', { name: /Support \(500\) 2/ }).waitFor();
  await shot(agent, '19-agent-paused-real-callers');
  assert.equal(alice.events.filter((e) => e.type === 'CALL_INCOMING').length, 0, 'a paused agent is not rung');

  // Alice resumes: her phone rings for the first caller, and the wallboard follows.
  await agent.getByRole('button', { name: 'Resume' }).click();
  await alice.waitEvent('CALL_INCOMING', 15_000);
  await tile.getByText('ringing 1').waitFor();
  // She answers: one caller is with her, the other still waits.
  alice.command('accept');
  await alice.waitEvent('CALL_ESTABLISHED');
  await tile.getByText('busy 1').waitFor();
  await waiting.filter({ hasText: /^1$/ }).waitFor();
  await agent.locator('.badge.agent-talking').waitFor();
  await shot(wall, '20-wallboard-answered');

  // The callers hang up after their wait: the queue is empty again on the wall.
  const { code } = await sipp.exited;
  assert.equal(code, 0, sipp.output().slice(-3000));
  await waiting.filter({ hasText: /^0$/ }).waitFor({ timeout: 15_000 });
  await tile.getByText('idle 1').waitFor({ timeout: 15_000 });
  // Today's counts: the call Alice took was answered, the caller who gave up waiting abandoned.
  const stat = (label: string) => tile.locator('.stat').filter({ has: wall.locator('.stat-label', { hasText: new RegExp(`^${label}$`) }) }).locator('.stat-value');
  await stat('Answered').filter({ hasText: /^1$/ }).waitFor();
  await stat('Abandoned').filter({ hasText: /^1$/ }).waitFor();
  await shot(wall, '20b-wallboard-after');
});
