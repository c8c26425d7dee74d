import type { Logger } from '../log.ts';
import type { BoardConfig, GpioLine, LedName } from './board-config.ts';
import type { GpioBackend, GpioSnapshot } from './gpio.ts';
import { listGpioChips, sysfsNumber } from './sysfs-gpio.ts';

/** The part of onoff's Gpio we use; tests substitute a fake. */
export interface OnoffLine {
  readSync(): 0 | 1;
  writeSync(value: 0 | 1): void;
  watch(callback: (err: Error | null | undefined, value: 0 | 1) => void): void;
  unexport(): void;
}
export interface OnoffModule {
  Gpio: new (
    gpio: number,
    direction: 'in' | 'out' | 'high' | 'low',
    edge?: 'none' | 'rising' | 'falling' | 'both',
    options?: { activeLow?: boolean; debounceTimeout?: number },
  ) => OnoffLine;
}

export class OnoffLoadError extends Error {}

/**
 * onoff is an optional dependency with a native addon (epoll) that may not be built for this Node, so it is loaded
 * only when a real board needs it, and a failure says what to do.
 */
export async function loadOnoff(): Promise<OnoffModule> {
  try {
    const mod = (await import('onoff')) as unknown as Partial<OnoffModule> & { default?: Partial<OnoffModule> };
    const Gpio = mod.Gpio ?? mod.default?.Gpio;
    if (Gpio === undefined) throw new Error('the module has no Gpio export');
    return { Gpio };
  } catch (err) {
    throw new OnoffLoadError(
      `the GPIO library onoff could not be loaded (${(err as Error).message.replace(/\s+/g, ' ').trim()}); ` +
        'it needs its native addon epoll built for this Node: run `npm rebuild epoll onoff` with the firmware\'s Node',
    );
  }
}

export interface OnoffOptions {
  log: Logger;
  sysfsGpio?: string;
  load?: () => Promise<OnoffModule>;
}

/**
 * The real front panel through sysfs GPIO. It never takes the firmware down: when sysfs GPIO, a chip or onoff itself
 * is missing, the affected LEDs stay dark, the reason is logged and shown in snapshot().degraded.
 */
export async function createOnoffGpio(board: Pick<BoardConfig, 'leds' | 'resetButton'>, opts: OnoffOptions): Promise<GpioBackend> {
  const problems: string[] = [];
  const lines = new Map<LedName, OnoffLine>();
  let button: OnoffLine | null = null;
  const wanted = (Object.entries(board.leds) as [LedName, GpioLine | undefined][]).filter((e): e is [LedName, GpioLine] => e[1] !== undefined);
  if (wanted.length > 0 || board.resetButton !== null) {
    try {
      const chips = listGpioChips(opts.sysfsGpio);
      const onoff = await (opts.load ?? loadOnoff)();
      for (const [led, line] of wanted) {
        try {
          const gpio = new onoff.Gpio(sysfsNumber(line, chips), 'out', 'none', { activeLow: line.activeLow });
          gpio.writeSync(0);
          lines.set(led, gpio);
        } catch (err) {
          problems.push(`LED ${led}: ${(err as Error).message}`);
        }
      }
      if (board.resetButton !== null) {
        try {
          button = new onoff.Gpio(sysfsNumber(board.resetButton, chips), 'in', 'both', { activeLow: board.resetButton.activeLow, debounceTimeout: 20 });
        } catch (err) {
          problems.push(`reset button: ${(err as Error).message}`);
        }
      }
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  const degraded = problems.length > 0 ? problems.join('; ') : null;
  if (degraded !== null) opts.log.warn({ degraded }, 'front panel degraded: affected LEDs stay off');
  return new OnoffGpio(lines, button, degraded, opts.log);
}

class OnoffGpio implements GpioBackend {
  readonly kind = 'onoff' as const;
  readonly leds: readonly LedName[];
  readonly hasButton: boolean;
  #lines: Map<LedName, OnoffLine>;
  #button: OnoffLine | null;
  #degraded: string | null;
  #log: Logger;
  #lit = new Map<LedName, boolean>();
  #scene = 'off';
  #patterns: Partial<Record<LedName, string>> = {};
  #listeners = new Set<(pressed: boolean) => void>();

  constructor(lines: Map<LedName, OnoffLine>, button: OnoffLine | null, degraded: string | null, log: Logger) {
    this.#lines = lines;
    this.#button = button;
    this.#degraded = degraded;
    this.#log = log;
    this.leds = [...lines.keys()];
    this.hasButton = button !== null;
    button?.watch((err, value) => {
      if (err) {
        this.#log.warn({ err: err.message }, 'reset button read failed');
        return;
      }
      for (const l of [...this.#listeners]) l(value === 1);
    });
  }

  setLed(led: LedName, on: boolean): void {
    const line = this.#lines.get(led);
    if (line === undefined || this.#lit.get(led) === on) return;
    try {
      line.writeSync(on ? 1 : 0);
      this.#lit.set(led, on);
    } catch (err) {
      this.#log.warn({ led, err: (err as Error).message }, 'LED write failed');
    }
  }

  readLed(led: LedName): boolean | null {
    const line = this.#lines.get(led);
    return line === undefined ? null : line.readSync() === 1;
  }

  readButton(): boolean | null {
    return this.#button === null ? null : this.#button.readSync() === 1;
  }

  onButton(listener: (pressed: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  noteScene(scene: string, patterns: Partial<Record<LedName, string>>): void {
    this.#scene = scene;
    this.#patterns = { ...patterns };
  }

  snapshot(): GpioSnapshot {
    const leds: GpioSnapshot['leds'] = {};
    for (const led of this.leds) leds[led] = { on: this.#lit.get(led) ?? false, pattern: this.#patterns[led] ?? 'off' };
    return { backend: 'onoff', scene: this.#scene, leds, button: this.hasButton ? { pressed: this.readButton() ?? false } : null, degraded: this.#degraded };
  }

  close(): void {
    this.#listeners.clear();
    for (const [led, line] of this.#lines) {
      try {
        line.writeSync(0);
        line.unexport();
      } catch (err) {
        this.#log.warn({ led, err: (err as Error).message }, 'LED release failed');
      }
    }
    this.#button?.unexport();
    this.#lines.clear();
  }
}
