import type { LedName } from './board-config.ts';

/** What one LED shows: whether it is lit right now and the name of the pattern it is playing. */
export interface LedState {
  on: boolean;
  pattern: string;
}

/** The front panel as the API shows it. */
export interface GpioSnapshot {
  backend: 'onoff' | 'simulated';
  /** The scene being shown (a health state such as `healthy`, or a button feedback such as `reset-pending`). */
  scene: string;
  leds: Partial<Record<LedName, LedState>>;
  button: { pressed: boolean } | null;
  /** Why the panel is dark or incomplete, when it is. */
  degraded: string | null;
}

/**
 * One front panel behind one interface, whatever drives it (balena-supervisor keeps one config backend per board
 * the same way). Values are logical: `true` is lit / pressed, the backend applies the line's active-low flag.
 */
export interface GpioBackend {
  readonly kind: 'onoff' | 'simulated';
  /** The LEDs this board has and that could be opened. */
  readonly leds: readonly LedName[];
  readonly hasButton: boolean;
  setLed(led: LedName, on: boolean): void;
  /** Reads the line back (test-hw compares it with what was written); null when the LED is not available. */
  readLed(led: LedName): boolean | null;
  readButton(): boolean | null;
  /** Called on every button edge with the new logical state. Returns a function that unsubscribes. */
  onButton(listener: (pressed: boolean) => void): () => void;
  /** Tells the backend what the LEDs are meant to show, for snapshot(). */
  noteScene(scene: string, patterns: Partial<Record<LedName, string>>): void;
  snapshot(): GpioSnapshot;
  close(): void;
}
