import type { LedName } from './board-config.ts';
import { systemClock, type Clock } from './clock.ts';
import type { GpioBackend } from './gpio.ts';
import type { LedPattern, LedScene } from './led-patterns.ts';

/**
 * Plays a scene's patterns on the backend. All LEDs of a scene start together, so LEDs with the same pattern blink
 * in step. Showing a new scene replaces the old one at once.
 */
export class LedDriver {
  #backend: GpioBackend;
  #clock: Clock;
  #timers = new Map<LedName, unknown>();
  #scene: LedScene | null = null;

  constructor(backend: GpioBackend, clock: Clock = systemClock) {
    this.#backend = backend;
    this.#clock = clock;
  }

  get scene(): LedScene | null {
    return this.#scene;
  }

  show(scene: LedScene): void {
    this.#cancel();
    this.#scene = scene;
    const names: Partial<Record<LedName, string>> = {};
    for (const led of this.#backend.leds) {
      names[led] = scene.leds[led].name;
      this.#play(led, scene.leds[led], 0);
    }
    this.#backend.noteScene(scene.name, names);
  }

  /** Stops playing and turns every LED off. */
  stop(): void {
    this.#cancel();
    this.#scene = null;
    for (const led of this.#backend.leds) this.#backend.setLed(led, false);
    this.#backend.noteScene('off', {});
  }

  #play(led: LedName, pattern: LedPattern, index: number): void {
    const step = pattern.steps[index];
    if (step === undefined) return;
    this.#backend.setLed(led, step.on);
    if (pattern.steps.length < 2) return;
    this.#timers.set(
      led,
      this.#clock.setTimeout(() => this.#play(led, pattern, (index + 1) % pattern.steps.length), step.ms),
    );
  }

  #cancel(): void {
    for (const t of this.#timers.values()) this.#clock.clearTimeout(t);
    this.#timers.clear();
  }
}
