import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import { builtinBoards } from '../../src/platform/builtin-boards.ts';
import { FileWatchdogDevice, openBoardWatchdog, SimulatedWatchdogDevice, Watchdog } from '../../src/platform/watchdog.ts';
import { tempDir } from '../helpers/tmp.ts';
import { FakeClock } from './fake-clock.ts';

const quiet = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('petting stops while the event loop is blocked and the first late tick does not pet either', async (t) => {
  const device = new SimulatedWatchdogDevice();
  const dog = new Watchdog({ device, log: quiet, intervalMs: 20, maxLagMs: 250 });
  dog.start();
  t.after(() => dog.stop());
  await sleep(200);
  const blockStart = Date.now();
  while (Date.now() - blockStart < 800) {
    // the event loop is stuck here, as in a hung firmware
  }
  const blockEnd = Date.now();
  await sleep(10);
  const afterBlock = dog.status.withheld;
  await sleep(400);
  dog.stop();
  assert.match(afterBlock ?? '', /event loop lag \d+ ms \(limit 250 ms\)/);
  const during = device.pets.filter((p) => p > blockStart && p <= blockEnd + 5);
  assert.deepEqual(during, [], 'no pet while blocked nor on the late tick right after');
  assert.ok(device.pets.some((p) => p < blockStart), 'petted before the block');
  assert.ok(device.pets.some((p) => p > blockEnd + 5), 'petting resumes once the loop runs on time');
  assert.equal(device.closed, 'magic');
});

test('a failing critical check withholds the pet until it recovers', () => {
  const clock = new FakeClock();
  const device = new SimulatedWatchdogDevice(clock);
  let rtpengineUp = true;
  const dog = new Watchdog({
    device,
    log: quiet,
    clock,
    intervalMs: 1000,
    maxLagMs: 500,
    checks: [
      { name: 'rtpengine', ok: () => rtpengineUp },
      { name: 'sip-engine', ok: () => true },
    ],
  });
  dog.start();
  clock.advance(2000);
  assert.deepEqual(device.pets, [0, 1000, 2000]);
  rtpengineUp = false;
  clock.advance(3000);
  assert.deepEqual(device.pets, [0, 1000, 2000]);
  assert.equal(dog.status.withheld, 'failing: rtpengine');
  rtpengineUp = true;
  clock.advance(1000);
  assert.deepEqual(device.pets, [0, 1000, 2000, 6000]);
  assert.equal(dog.status.withheld, null);
  dog.stop();
  clock.advance(5000);
  assert.equal(device.pets.length, 4, 'no pet after stop');
});

test('during the startup grace the checks do not count yet, the event loop still does', () => {
  const clock = new FakeClock();
  const device = new SimulatedWatchdogDevice(clock);
  const dog = new Watchdog({ device, log: quiet, clock, intervalMs: 1000, maxLagMs: 500, startupGraceMs: 2500, checks: [{ name: 'sip-engine', ok: () => false }] });
  dog.start();
  clock.advance(5000);
  assert.deepEqual(device.pets, [0, 1000, 2000]);
  assert.equal(dog.status.withheld, 'failing: sip-engine');
});

test('a check that throws counts as failing', () => {
  const clock = new FakeClock();
  const device = new SimulatedWatchdogDevice(clock);
  const dog = new Watchdog({ device, log: quiet, clock, intervalMs: 1000, maxLagMs: 500, checks: [{ name: 'db', ok: () => { throw new Error('SQLITE_BUSY'); } }] });
  dog.start();
  clock.advance(3000);
  assert.deepEqual(device.pets, []);
  assert.equal(dog.status.withheld, 'failing: db');
});

test('a device file gets a byte per pet and the magic V on a clean stop', (t) => {
  const file = path.join(tempDir(t), 'watchdog');
  writeFileSync(file, '');
  const clock = new FakeClock();
  const dog = new Watchdog({ device: new FileWatchdogDevice(file), log: quiet, clock, intervalMs: 1000, maxLagMs: 500 });
  dog.start();
  clock.advance(2000);
  dog.stop();
  assert.equal(readFileSync(file, 'utf8'), '...V');
});

test('a missing watchdog device is an error and is never created as a file', (t) => {
  const file = path.join(tempDir(t), 'watchdog');
  assert.throws(() => new FileWatchdogDevice(file), /cannot open the watchdog .*ENOENT/);
  assert.equal(existsSync(file), false);
});

test('the board decides the device: simulated in memory, none on a board without one', () => {
  const simulated = builtinBoards().find((b) => b.id === 'simulated');
  assert.ok(simulated);
  assert.ok(openBoardWatchdog(simulated) instanceof SimulatedWatchdogDevice);
  assert.equal(openBoardWatchdog({ watchdog: null }), null);
});
