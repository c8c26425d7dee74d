import type { Logger } from '../log.ts';
import { detectBoard, type DetectedBoard, type DetectOptions } from './board.ts';
import { systemClock, type Clock } from './clock.ts';
import { requestFactoryReset, type FactoryResetPlan } from './factory-reset.ts';
import { FrontPanel } from './front-panel.ts';
import type { GpioBackend, GpioSnapshot } from './gpio.ts';
import { createGpioBackend } from './gpio-factory.ts';
import type { HealthSummary } from './led-patterns.ts';
import { openBoardWatchdog, Watchdog, type WatchdogCheck, type WatchdogDevice } from './watchdog.ts';

export interface PlatformOptions {
  log: Logger;
  /** Folder for the factory-reset intent and log; it must survive the reset (the data directory itself). */
  stateDir: string;
  /** What a factory reset wipes, supplied by the caller so the platform knows nothing of the configuration store. */
  resetPlan: () => FactoryResetPlan;
  /**
   * Called once the reset is decided (the intent is on disk): stop and start again, and let the start call
   * completePendingFactoryReset() before it opens the data.
   */
  restart: () => void;
  /** Critical services the watchdog requires to be up before it pets. */
  watchdogChecks?: WatchdogCheck[];
  /** How long after start the services may take to come up before the checks count (default 2 minutes). */
  watchdogGraceMs?: number;
  detect?: DetectOptions;
  clock?: Clock;
}

export interface Platform {
  detected: DetectedBoard;
  gpio: GpioBackend;
  watchdog: Watchdog | null;
  /** The device behind it (the simulated board's records its pets and how it was closed). */
  watchdogDevice: WatchdogDevice | null;
  /** The front panel as the API shows it. */
  snapshot(): GpioSnapshot;
  /** Feed the health model's summary; the LEDs follow. */
  setHealth(summary: HealthSummary): void;
  /** Clean shutdown: LEDs off, GPIO released, watchdog disarmed. */
  stop(): void;
}

/** Detects the board and starts its front panel and watchdog. */
export async function startPlatform(o: PlatformOptions): Promise<Platform> {
  const clock = o.clock ?? systemClock;
  const detected = detectBoard(o.detect);
  const { board } = detected;
  o.log.info({ board: board.id, how: detected.how, reason: detected.reason }, 'board detected');

  const gpio = await createGpioBackend(board, { log: o.log });
  const panel = new FrontPanel({
    backend: gpio,
    log: o.log,
    clock,
    onFactoryReset: () => {
      requestFactoryReset({ ...o.resetPlan(), requestedBy: 'front-panel button' }, { stateDir: o.stateDir, log: o.log });
      o.restart();
    },
  });
  panel.start();

  let watchdog: Watchdog | null = null;
  const device = openBoardWatchdog(board, clock);
  if (device !== null && board.watchdog !== null) {
    // Three chances per timeout; a tick a whole interval late means the loop is not keeping up.
    const intervalMs = Math.floor((board.watchdog.timeoutS * 1000) / 3);
    watchdog = new Watchdog({ device, log: o.log, clock, intervalMs, maxLagMs: intervalMs, checks: o.watchdogChecks ?? [], startupGraceMs: o.watchdogGraceMs ?? 120_000 });
    watchdog.start();
    o.log.info({ device: device.name, timeoutS: board.watchdog.timeoutS }, 'watchdog armed');
  }

  return {
    detected,
    gpio,
    watchdog,
    watchdogDevice: device,
    snapshot: () => gpio.snapshot(),
    setHealth: (summary) => panel.setHealth(summary),
    stop: () => {
      panel.stop();
      gpio.close();
      watchdog?.stop();
    },
  };
}
