import type { Logger } from '../log.ts';
import { systemClock, type Clock } from './clock.ts';
import type { GpioBackend } from './gpio.ts';
import { LedDriver } from './led-driver.ts';
import {
  factoryResetScene,
  healthScene,
  resetConfirmedScene,
  resetPendingScene,
  statusScene,
  type HealthSummary,
  type LedScene,
} from './led-patterns.ts';

export interface ButtonTiming {
  /** Shorter presses are contact bounce or a brush and do nothing. */
  minPressMs: number;
  /** Held this long, the panel warns that a reset is coming (releasing now cancels). */
  pendingAfterMs: number;
  /** Held this long, the reset is confirmed by the panel and happens on release. */
  resetAfterMs: number;
  /** How long a short press shows the status flashes. */
  statusShowMs: number;
}

export const defaultButtonTiming: ButtonTiming = { minPressMs: 50, pendingAfterMs: 3000, resetAfterMs: 10_000, statusShowMs: 5000 };

export interface FrontPanelOptions {
  backend: GpioBackend;
  log: Logger;
  /** Runs the factory reset (e.g. requestFactoryReset() and a restart). The panel shows factory-reset meanwhile. */
  onFactoryReset: () => Promise<void> | void;
  clock?: Clock;
  timing?: Partial<ButtonTiming>;
}

/**
 * The LEDs and the reset button together: shows the health scene, and overlays button feedback. The reset fires on
 * release after a confirmed long press, never while the button is held, so a button stuck down cannot reset the box.
 */
export class FrontPanel {
  #backend: GpioBackend;
  #log: Logger;
  #onFactoryReset: () => Promise<void> | void;
  #clock: Clock;
  #timing: ButtonTiming;
  #driver: LedDriver;
  #health: HealthSummary = { state: 'booting', reasons: [] };
  #overlay: LedScene | null = null;
  #timers: unknown[] = [];
  #pressedAt: number | null = null;
  #armed = false;
  #resetting = false;
  #unsubscribe: (() => void) | null = null;

  constructor(opts: FrontPanelOptions) {
    this.#backend = opts.backend;
    this.#log = opts.log;
    this.#onFactoryReset = opts.onFactoryReset;
    this.#clock = opts.clock ?? systemClock;
    this.#timing = { ...defaultButtonTiming, ...opts.timing };
    this.#driver = new LedDriver(opts.backend, this.#clock);
  }

  start(): void {
    this.#unsubscribe = this.#backend.onButton((pressed) => (pressed ? this.#pressed() : this.#released()));
    this.#render();
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#clearTimers();
    this.#driver.stop();
  }

  get health(): HealthSummary {
    return this.#health;
  }

  setHealth(summary: HealthSummary): void {
    const changed = summary.state !== this.#health.state || summary.reasons.join('\n') !== this.#health.reasons.join('\n');
    this.#health = { state: summary.state, reasons: [...summary.reasons] };
    if (changed && this.#overlay === null) this.#render();
  }

  #render(): void {
    this.#driver.show(this.#overlay ?? healthScene(this.#health));
  }

  #showOverlay(scene: LedScene | null): void {
    this.#overlay = scene;
    this.#render();
  }

  #clearTimers(): void {
    for (const t of this.#timers) this.#clock.clearTimeout(t);
    this.#timers = [];
  }

  #pressed(): void {
    if (this.#resetting || this.#pressedAt !== null) return;
    this.#clearTimers();
    this.#pressedAt = this.#clock.now();
    this.#armed = false;
    this.#timers.push(
      this.#clock.setTimeout(() => this.#showOverlay(resetPendingScene), this.#timing.pendingAfterMs),
      this.#clock.setTimeout(() => {
        this.#armed = true;
        this.#log.warn('reset button held: factory reset confirmed, happens on release');
        this.#showOverlay(resetConfirmedScene);
      }, this.#timing.resetAfterMs),
    );
  }

  #released(): void {
    if (this.#pressedAt === null) return;
    const held = this.#clock.now() - this.#pressedAt;
    this.#pressedAt = null;
    this.#clearTimers();
    if (this.#armed) {
      this.#armed = false;
      void this.#reset();
    } else if (held >= this.#timing.pendingAfterMs) {
      this.#log.info({ heldMs: held }, 'reset button released before confirmation: factory reset cancelled');
      this.#showOverlay(null);
    } else if (held >= this.#timing.minPressMs) {
      this.#showOverlay(statusScene(this.#health));
      this.#timers.push(this.#clock.setTimeout(() => this.#showOverlay(null), this.#timing.statusShowMs));
    }
  }

  async #reset(): Promise<void> {
    this.#resetting = true;
    this.#showOverlay(factoryResetScene);
    this.#log.warn('factory reset requested from the front-panel button');
    try {
      await this.#onFactoryReset();
    } catch (err) {
      this.#log.error({ err: (err as Error).message }, 'factory reset failed');
      this.#showOverlay(null);
    } finally {
      this.#resetting = false;
    }
  }
}
