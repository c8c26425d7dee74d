import type { BoardConfig, LedName } from './board-config.ts';
import type { GpioBackend, GpioSnapshot } from './gpio.ts';

/**
 * The board's front panel in memory, for development, CI and the web UI's panel view. The button is pressed and
 * released through press()/release(), as a test or a UI would.
 */
export class SimulatedGpio implements GpioBackend {
  readonly kind = 'simulated' as const;
  readonly leds: readonly LedName[];
  readonly hasButton: boolean;
  #lit = new Map<LedName, boolean>();
  #patterns: Partial<Record<LedName, string>> = {};
  #scene = 'off';
  #pressed = false;
  #listeners = new Set<(pressed: boolean) => void>();

  constructor(board: Pick<BoardConfig, 'leds' | 'resetButton'>) {
    this.leds = (Object.keys(board.leds) as LedName[]).filter((l) => board.leds[l] !== undefined);
    this.hasButton = board.resetButton !== null;
    for (const led of this.leds) this.#lit.set(led, false);
  }

  setLed(led: LedName, on: boolean): void {
    if (this.#lit.has(led)) this.#lit.set(led, on);
  }

  readLed(led: LedName): boolean | null {
    return this.#lit.get(led) ?? null;
  }

  readButton(): boolean | null {
    return this.hasButton ? this.#pressed : null;
  }

  onButton(listener: (pressed: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  press(): void {
    this.#setButton(true);
  }

  release(): void {
    this.#setButton(false);
  }

  #setButton(pressed: boolean): void {
    if (!this.hasButton || this.#pressed === pressed) return;
    this.#pressed = pressed;
    for (const l of [...this.#listeners]) l(pressed);
  }

  noteScene(scene: string, patterns: Partial<Record<LedName, string>>): void {
    this.#scene = scene;
    this.#patterns = { ...patterns };
  }

  snapshot(): GpioSnapshot {
    const leds: GpioSnapshot['leds'] = {};
    for (const led of this.leds) leds[led] = { on: this.#lit.get(led) ?? false, pattern: this.#patterns[led] ?? 'off' };
    return { backend: 'simulated', scene: this.#scene, leds, button: this.hasButton ? { pressed: this.#pressed } : null, degraded: null };
  }

  close(): void {
    this.#listeners.clear();
  }
}
