import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import { completePendingFactoryReset, intentFileName } from '../../src/platform/factory-reset.ts';
import type { SimulatedGpio } from '../../src/platform/gpio-simulated.ts';
import { startPlatform } from '../../src/platform/platform.ts';
import { SimulatedWatchdogDevice } from '../../src/platform/watchdog.ts';
import { tempDir } from '../helpers/tmp.ts';
import { FakeClock } from './fake-clock.ts';

test('on the simulated board the panel follows health, a 10 s press resets through a restart, stop disarms', async (t) => {
  const dataDir = tempDir(t);
  const db = path.join(dataDir, 'callbox.db');
  writeFileSync(db, 'config');
  mkdirSync(path.join(dataDir, 'recordings'));
  const clock = new FakeClock();
  const restarts: number[] = [];
  let rtpengineUp = true;
  const platform = await startPlatform({
    log: pino({ level: 'silent' }),
    stateDir: dataDir,
    resetPlan: () => ({ wipe: [db], recordings: [path.join(dataDir, 'recordings')], requestedBy: 'unused' }),
    restart: () => restarts.push(clock.now()),
    watchdogChecks: [{ name: 'rtpengine', ok: () => rtpengineUp }],
    watchdogGraceMs: 0,
    detect: { root: dataDir, env: {} },
    clock,
  });
  t.after(() => platform.stop());

  assert.equal(platform.detected.board.id, 'simulated');
  assert.equal(platform.snapshot().scene, 'booting');
  platform.setHealth({ state: 'healthy', reasons: [] });
  assert.equal(platform.snapshot().scene, 'healthy');

  const dog = platform.watchdog;
  assert.ok(dog);
  clock.advance(30_000);
  const petsWhileUp = dog.status.pets;
  assert.equal(petsWhileUp, 4, 'pets every third of the 30 s timeout');
  rtpengineUp = false;
  clock.advance(30_000);
  assert.equal(dog.status.pets, petsWhileUp, 'no pets while rtpengine is down');

  const gpio = platform.gpio as SimulatedGpio;
  gpio.press();
  clock.advance(10_000);
  assert.equal(platform.snapshot().scene, 'reset-confirmed');
  gpio.release();
  assert.equal(restarts.length, 1);
  assert.ok(existsSync(path.join(dataDir, intentFileName)), 'the reset is decided before the restart');
  assert.equal(existsSync(db), true, 'nothing is wiped while the firmware still runs');
  assert.equal(completePendingFactoryReset({ stateDir: dataDir }), true);
  assert.equal(existsSync(db), false);
  assert.equal(existsSync(path.join(dataDir, 'recordings')), true);

  platform.stop();
  assert.ok(Object.values(platform.snapshot().leds).every((l) => !l.on));
  const device = platform.watchdogDevice;
  assert.ok(device instanceof SimulatedWatchdogDevice);
  assert.equal(device.closed, 'magic');
  assert.deepEqual(device.pets, [0, 10_000, 20_000, 30_000]);
});
