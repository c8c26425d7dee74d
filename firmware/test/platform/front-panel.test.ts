import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { builtinBoards } from '../../src/platform/builtin-boards.ts';
import { FrontPanel } from '../../src/platform/front-panel.ts';
import { SimulatedGpio } from '../../src/platform/gpio-simulated.ts';
import { LedDriver } from '../../src/platform/led-driver.ts';
import { healthScene, type HealthSummary } from '../../src/platform/led-patterns.ts';
import { FakeClock } from './fake-clock.ts';

const simulatedBoard = builtinBoards().find((b) => b.id === 'simulated');
assert.ok(simulatedBoard);
const quiet = pino({ level: 'silent' });

function panel(opts: { onFactoryReset?: () => void } = {}) {
  const gpio = new SimulatedGpio(simulatedBoard!);
  const clock = new FakeClock();
  const resets: number[] = [];
  const fp = new FrontPanel({ backend: gpio, clock, log: quiet, onFactoryReset: opts.onFactoryReset ?? (() => void resets.push(clock.now())) });
  fp.start();
  return { gpio, clock, fp, resets };
}

/** The on/off level of one LED sampled every `stepMs` for `count` samples. */
function sample(gpio: SimulatedGpio, clock: FakeClock, led: 'power' | 'status' | 'trunks' | 'alarm', stepMs: number, count: number): string {
  let s = '';
  for (let i = 0; i < count; i++) {
    s += gpio.snapshot().leds[led]?.on ? '#' : '.';
    clock.advance(stepMs);
  }
  return s;
}

const cases: { summary: HealthSummary; scene: string; patterns: Record<string, string> }[] = [
  { summary: { state: 'booting', reasons: [] }, scene: 'booting', patterns: { power: 'on', status: 'blink-slow', trunks: 'off', alarm: 'off' } },
  { summary: { state: 'healthy', reasons: [] }, scene: 'healthy', patterns: { power: 'on', status: 'heartbeat', trunks: 'on', alarm: 'off' } },
  { summary: { state: 'degraded', reasons: ['trunk carrier-a down'] }, scene: 'degraded', patterns: { power: 'on', status: 'blink-slow', trunks: 'blink-fast', alarm: 'blink-slow' } },
  { summary: { state: 'degraded', reasons: ['disk recordings-1 above 90 %'] }, scene: 'degraded', patterns: { power: 'on', status: 'blink-slow', trunks: 'on', alarm: 'blink-slow' } },
  { summary: { state: 'fault', reasons: ['rtpengine down'] }, scene: 'fault', patterns: { power: 'on', status: 'off', trunks: 'on', alarm: 'on' } },
];

for (const c of cases) {
  test(`health ${c.summary.state} (${c.summary.reasons.join(', ') || 'no reasons'}) shows the ${c.scene} scene on the simulated panel`, () => {
    const { gpio, fp } = panel();
    fp.setHealth(c.summary);
    const snap = gpio.snapshot();
    assert.equal(snap.scene, c.scene);
    assert.deepEqual(Object.fromEntries(Object.entries(snap.leds).map(([k, v]) => [k, v.pattern])), c.patterns);
    for (const [led, pattern] of Object.entries(c.patterns)) {
      if (pattern === 'on' || pattern === 'off') assert.equal(snap.leds[led as 'power']?.on, pattern === 'on', led);
    }
    fp.stop();
  });
}

test('patterns really blink: slow 1 s, fast 150 ms, heartbeat two beats then a pause', () => {
  const { gpio, clock, fp } = panel();
  fp.setHealth({ state: 'degraded', reasons: ['trunk carrier-b unreachable'] });
  assert.equal(sample(gpio, clock, 'status', 500, 8), '##..##..');
  assert.equal(sample(gpio, clock, 'trunks', 150, 6), '#.#.#.');
  fp.setHealth({ state: 'healthy', reasons: [] });
  assert.equal(sample(gpio, clock, 'status', 50, 40), `##...##${'.'.repeat(33)}`);
  fp.stop();
  assert.ok(Object.values(gpio.snapshot().leds).every((l) => !l.on), 'stop turns every LED off');
});

test('a short press shows the state as status flashes for 5 s, then the health scene again', () => {
  const { gpio, clock, fp, resets } = panel();
  fp.setHealth({ state: 'fault', reasons: ['SIP engine down'] });
  gpio.press();
  clock.advance(300);
  gpio.release();
  assert.equal(gpio.snapshot().scene, 'status');
  assert.equal(gpio.snapshot().leds.status?.pattern, 'flash-3');
  assert.equal(sample(gpio, clock, 'status', 250, 8), '#.#.#...');
  clock.advance(5000);
  assert.equal(gpio.snapshot().scene, 'fault');
  assert.deepEqual(resets, []);
});

test('a bounce shorter than 50 ms does nothing', () => {
  const { gpio, clock, fp } = panel();
  fp.setHealth({ state: 'healthy', reasons: [] });
  gpio.press();
  clock.advance(10);
  gpio.release();
  assert.equal(gpio.snapshot().scene, 'healthy');
});

test('holding 10 s warns at 3 s, confirms at 10 s and resets once on release', () => {
  const { gpio, clock, fp, resets } = panel();
  fp.setHealth({ state: 'healthy', reasons: [] });
  gpio.press();
  clock.advance(2999);
  assert.equal(gpio.snapshot().scene, 'healthy');
  clock.advance(1);
  assert.equal(gpio.snapshot().scene, 'reset-pending');
  assert.equal(gpio.snapshot().leds.alarm?.pattern, 'blink-fast');
  clock.advance(7000);
  assert.equal(gpio.snapshot().scene, 'reset-confirmed');
  clock.advance(20_000);
  assert.deepEqual(resets, [], 'nothing happens while the button is still held');
  gpio.release();
  assert.deepEqual(resets, [30_000]);
  assert.equal(gpio.snapshot().scene, 'factory-reset');
  assert.ok(Object.values(gpio.snapshot().leds).every((l) => l.on));
});

test('releasing between 3 and 10 s cancels the reset and shows health again, with any change made meanwhile', () => {
  const { gpio, clock, fp, resets } = panel();
  fp.setHealth({ state: 'healthy', reasons: [] });
  gpio.press();
  clock.advance(6000);
  fp.setHealth({ state: 'degraded', reasons: ['trunk carrier-a down'] });
  assert.equal(gpio.snapshot().scene, 'reset-pending');
  gpio.release();
  assert.equal(gpio.snapshot().scene, 'degraded');
  clock.advance(20_000);
  assert.deepEqual(resets, []);
});

test('a failing reset is logged and the panel returns to the health scene', async () => {
  const { gpio, clock, fp } = panel({
    onFactoryReset: () => {
      throw new Error('disk read-only');
    },
  });
  fp.setHealth({ state: 'healthy', reasons: [] });
  gpio.press();
  clock.advance(10_000);
  gpio.release();
  await new Promise((r) => setImmediate(r));
  assert.equal(gpio.snapshot().scene, 'healthy');
});

test('a board without LEDs plays scenes without error', () => {
  const generic = builtinBoards().find((b) => b.id === 'generic-server');
  assert.ok(generic);
  const gpio = new SimulatedGpio(generic);
  const driver = new LedDriver(gpio, new FakeClock());
  driver.show(healthScene({ state: 'fault', reasons: [] }));
  assert.deepEqual(gpio.snapshot().leds, {});
  assert.equal(gpio.snapshot().button, null);
});
