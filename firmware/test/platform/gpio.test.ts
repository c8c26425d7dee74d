import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import type { BoardConfig } from '../../src/platform/board-config.ts';
import { builtinBoards } from '../../src/platform/builtin-boards.ts';
import { createGpioBackend } from '../../src/platform/gpio-factory.ts';
import { createOnoffGpio, loadOnoff, OnoffLoadError, type OnoffModule } from '../../src/platform/gpio-onoff.ts';
import { SimulatedGpio } from '../../src/platform/gpio-simulated.ts';
import { tempDir } from '../helpers/tmp.ts';

const board = (id: string): BoardConfig => {
  const b = builtinBoards().find((x) => x.id === id);
  assert.ok(b);
  return b;
};

/** Collects warnings so tests can check that degradation is logged. */
function memoryLog() {
  const lines: string[] = [];
  const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(s) });
  return { log, lines };
}

/** A fake /sys/class/gpio with chips as a Raspberry Pi 6.6 kernel numbers them (bases 512 and up). */
function fakeSysfs(t: Parameters<typeof tempDir>[0], chips: { label: string; base: number; ngpio: number }[]): string {
  const dir = tempDir(t);
  for (const c of chips) {
    const chipDir = path.join(dir, `gpiochip${c.base}`);
    mkdirSync(chipDir);
    writeFileSync(path.join(chipDir, 'label'), `${c.label}\n`);
    writeFileSync(path.join(chipDir, 'base'), `${c.base}\n`);
    writeFileSync(path.join(chipDir, 'ngpio'), `${c.ngpio}\n`);
  }
  return dir;
}

/** Stands in for onoff: remembers how each line was opened and what was written. */
function fakeOnoff() {
  const opened: { gpio: number; direction: string; edge: string | undefined; activeLow: boolean | undefined; values: number[]; unexported: boolean }[] = [];
  const watchers = new Map<number, (err: Error | null | undefined, v: 0 | 1) => void>();
  const mod: OnoffModule = {
    Gpio: class {
      #rec;
      constructor(gpio: number, direction: 'in' | 'out' | 'high' | 'low', edge?: string, options?: { activeLow?: boolean }) {
        this.#rec = { gpio, direction, edge, activeLow: options?.activeLow, values: [] as number[], unexported: false };
        opened.push(this.#rec);
      }
      readSync(): 0 | 1 {
        return (this.#rec.values.at(-1) ?? 0) as 0 | 1;
      }
      writeSync(v: 0 | 1) {
        this.#rec.values.push(v);
      }
      watch(cb: (err: Error | null | undefined, v: 0 | 1) => void) {
        watchers.set(this.#rec.gpio, cb);
      }
      unexport() {
        this.#rec.unexported = true;
      }
    },
  };
  return { mod, opened, watchers };
}

test('the simulated panel keeps LED state and the scene in memory for the API', () => {
  const gpio = new SimulatedGpio(board('simulated'));
  assert.deepEqual(gpio.leds, ['power', 'status', 'trunks', 'alarm']);
  gpio.setLed('power', true);
  gpio.noteScene('healthy', { power: 'on', status: 'heartbeat', trunks: 'on', alarm: 'off' });
  const presses: boolean[] = [];
  gpio.onButton((p) => presses.push(p));
  gpio.press();
  assert.deepEqual(gpio.snapshot(), {
    backend: 'simulated',
    scene: 'healthy',
    leds: {
      power: { on: true, pattern: 'on' },
      status: { on: false, pattern: 'heartbeat' },
      trunks: { on: false, pattern: 'on' },
      alarm: { on: false, pattern: 'off' },
    },
    button: { pressed: true },
    degraded: null,
  });
  gpio.release();
  assert.deepEqual(presses, [true, false]);
  assert.equal(gpio.readLed('power'), true);
});

test('a simulated board gets the simulated backend without loading onoff', async () => {
  const gpio = await createGpioBackend(board('simulated'), {
    log: memoryLog().log,
    load: () => Promise.reject(new Error('must not be loaded')),
  });
  assert.equal(gpio.kind, 'simulated');
});

test('sysfs numbers are the chip base plus the offset, found by the chip label', async (t) => {
  const sysfs = fakeSysfs(t, [
    { label: 'pinctrl-bcm2711', base: 512, ngpio: 58 },
    { label: 'pca9555', base: 570, ngpio: 16 },
  ]);
  const { mod, opened, watchers } = fakeOnoff();
  const gpio = await createOnoffGpio(board('rpi-cm4-reference'), { log: memoryLog().log, sysfsGpio: sysfs, load: async () => mod });
  assert.deepEqual(
    opened.map((o) => [o.gpio, o.direction, o.activeLow]),
    [
      [570, 'out', true],
      [571, 'out', true],
      [572, 'out', true],
      [573, 'out', true],
      [578, 'in', true],
    ],
  );
  gpio.setLed('alarm', true);
  assert.equal(gpio.readLed('alarm'), true);
  assert.deepEqual(opened[3]?.values, [0, 1], 'LEDs start dark, then the written value');
  const presses: boolean[] = [];
  gpio.onButton((p) => presses.push(p));
  watchers.get(578)?.(null, 1);
  watchers.get(578)?.(null, 0);
  assert.deepEqual(presses, [true, false]);
  assert.equal(gpio.snapshot().degraded, null);
  gpio.close();
  assert.ok(opened.every((o) => o.unexported));
});

test('without sysfs GPIO the panel stays dark, says why and logs it', async (t) => {
  const { log, lines } = memoryLog();
  const gpio = await createOnoffGpio(board('rk3568-1u'), { log, sysfsGpio: path.join(tempDir(t), 'missing'), load: async () => fakeOnoff().mod });
  assert.deepEqual(gpio.leds, []);
  assert.equal(gpio.hasButton, false);
  gpio.setLed('power', true);
  assert.equal(gpio.readLed('power'), null);
  assert.match(gpio.snapshot().degraded ?? '', /does not exist: the kernel has no sysfs GPIO/);
  assert.match(lines.join(''), /front panel degraded/);
});

test('a missing chip darkens only its lines and names the chips that exist', async (t) => {
  const sysfs = fakeSysfs(t, [{ label: 'gpio0', base: 0, ngpio: 32 }]);
  const { mod, opened } = fakeOnoff();
  const gpio = await createOnoffGpio(board('rk3568-1u'), { log: memoryLog().log, sysfsGpio: sysfs, load: async () => mod });
  assert.deepEqual(gpio.leds, ['power']);
  assert.equal(gpio.hasButton, true);
  assert.deepEqual(opened.map((o) => o.gpio), [5, 12]);
  assert.match(gpio.snapshot().degraded ?? '', /LED status: no GPIO chip labelled "gpio3" \(chips present: gpio0\)/);
});

test('when onoff cannot load, the panel is dark with the loader\'s reason', async (t) => {
  const sysfs = fakeSysfs(t, [{ label: 'pca9555', base: 570, ngpio: 16 }]);
  const gpio = await createOnoffGpio(board('rpi-cm4-reference'), {
    log: memoryLog().log,
    sysfsGpio: sysfs,
    load: () => Promise.reject(new Error('the GPIO library onoff could not be loaded (epoll.node was compiled against a different Node.js version)')),
  });
  assert.deepEqual(gpio.leds, []);
  assert.match(gpio.snapshot().degraded ?? '', /onoff could not be loaded/);
});

test('loading the real onoff either works or fails with what to do', async () => {
  try {
    const mod = await loadOnoff();
    assert.equal(typeof mod.Gpio, 'function');
  } catch (err) {
    assert.ok(err instanceof OnoffLoadError, `raw error escaped: ${String(err)}`);
    assert.match(err.message, /onoff could not be loaded \(.+\); .*npm rebuild epoll onoff/);
  }
});
