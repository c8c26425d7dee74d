import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { openDatabase } from '../../src/config/database.ts';
import { applySiteFile } from '../../src/config/site-apply.ts';
import { TrunkHealth, type PingResult, type TrunkStateChange } from '../../src/trunks/trunk-health.ts';
import type { TrunkRegistrationState } from '../../src/trunks/trunk-registrations.ts';
import { TrunkRegistry } from '../../src/trunks/trunk-registry.ts';
import { until } from '../calls/harness.ts';
import { tempDir } from '../helpers/tmp.ts';

const site = (trunks: string) => `
version: 1
site: { name: Test, timezone: Europe/Berlin, country: DE, language: en }
trunks:
${trunks}
`;

test('trunk states from OPTIONS answers and the registration, max_calls slots, and a reloaded trunk list', async (t) => {
  const db = openDatabase(tempDir(t));
  t.after(() => db.close());
  const apply = (yaml: string) => assert.ok(applySiteFile(db, yaml, 'test').ok);
  apply(
    site(`  - { name: a, host: 192.0.2.1, options_interval_s: 1, options_timeout_s: 1, options_down_after: 2, max_calls: 1 }
  - { name: b, host: 192.0.2.2, options_interval_s: 0, register: { user: "4930123456", password: "secret-1" } }`),
  );
  // The carrier "a" answers while `answering` says so; "b" has no OPTIONS, its registration decides.
  let answering = true;
  let registration: TrunkRegistrationState = { state: 'registering' };
  const health = new TrunkHealth({
    trunks: new TrunkRegistry(db),
    ping: async (): Promise<PingResult> => (answering ? { ok: true, rttMs: 12, detail: '200 OK' } : { ok: false, rttMs: 1000, detail: 'no answer' }),
    registration: (name) => (name === 'b' ? registration : undefined),
    log: pino({ level: 'silent' }),
    tickMs: 50,
  });
  const changes: TrunkStateChange[] = [];
  health.on('change', (c) => changes.push(c));
  health.start();
  t.after(() => health.stop());

  const a = await until('a answered', () => health.get('a')?.lastRttMs === 12 && health.get('a'));
  assert.equal(a.state, 'up');
  assert.equal(a.monitored, true);
  assert.equal(health.get('b')?.monitored, false);

  registration = { state: 'failed', reason: '403 Forbidden', retryAt: Date.now() + 60_000 };
  await until('b down', () => health.get('b')?.state === 'down');
  assert.match(health.get('b')?.reason ?? '', /registration failed: 403 Forbidden/);
  registration = { state: 'registered', expiresAt: Date.now() + 60_000 };
  await until('b up', () => health.get('b')?.state === 'up');

  answering = false;
  await until('a degraded', () => health.get('a')?.state === 'degraded', 5000);
  await until('a down', () => health.get('a')?.state === 'down', 5000);
  assert.equal(health.usable('a'), false);
  answering = true;
  await until('a up again', () => health.get('a')?.state === 'up', 5000);
  assert.deepEqual(changes.filter((c) => c.trunk === 'a').map((c) => c.to), ['degraded', 'down', 'up']);
  assert.deepEqual(changes.filter((c) => c.trunk === 'b').map((c) => c.to), ['down', 'up']);

  // max_calls 1: a second slot is refused until the first leg ends.
  const slot = health.tryAcquire('a');
  assert.ok(slot);
  slot.bind('leg-1');
  assert.equal(health.tryAcquire('a'), undefined);
  assert.equal(health.get('a')?.activeCalls, 1);
  health.legEnded('leg-1');
  assert.equal(health.get('a')?.activeCalls, 0);
  health.tryAcquire('a')?.release();
  assert.equal(health.get('a')?.activeCalls, 0);
  health.noteFailover('a');
  assert.equal(health.get('a')?.callsFailedOver, 1);

  // A trunk removed from the site file disappears from the list; a new one appears.
  apply(site(`  - { name: c, host: 192.0.2.3, options_interval_s: 0 }`));
  await until('list follows the site file', () => health.list().map((s) => s.name).join() === 'c');
  assert.equal(health.get('c')?.state, 'up');
  assert.match(health.get('c')?.reason ?? '', /not monitored/);
});

test('an OPTIONS still out when the box stops does not mark the trunk down afterwards', async (t) => {
  const db = openDatabase(tempDir(t));
  t.after(() => db.close());
  assert.ok(applySiteFile(db, site('  - { name: a, host: 192.0.2.1, options_interval_s: 1, options_timeout_s: 1, options_down_after: 1 }'), 'test').ok);
  let fail: (r: PingResult) => void = () => undefined;
  const health = new TrunkHealth({
    trunks: new TrunkRegistry(db),
    ping: () => new Promise<PingResult>((r) => (fail = r)),
    log: pino({ level: 'silent' }),
    tickMs: 50,
  });
  const changes: TrunkStateChange[] = [];
  health.on('change', (c) => changes.push(c));
  health.start();
  health.stop();
  // The stack answers the outstanding ping with a failure once the SIP connection is gone.
  fail({ ok: false, rttMs: 1000, detail: 'no answer' });
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(changes, []);
  assert.equal(health.get('a')?.state, 'up');
});
