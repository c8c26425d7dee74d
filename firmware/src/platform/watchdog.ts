import { closeSync, constants, openSync, writeSync } from 'node:fs';
import type { Logger } from '../log.ts';
import type { BoardConfig } from './board-config.ts';
import { systemClock, type Clock } from './clock.ts';

/** A watchdog as Linux offers it: opening arms it, every write pets it, writing 'V' before close disarms it. */
export interface WatchdogDevice {
  readonly name: string;
  pet(): void;
  /** magic: write 'V' first so the kernel disarms it (clean shutdown); without it the board resets on timeout. */
  close(magic: boolean): void;
}

export class FileWatchdogDevice implements WatchdogDevice {
  readonly name: string;
  #fd: number | null;

  constructor(file: string) {
    this.name = file;
    try {
      // Write-only and never O_CREAT: a missing device must fail, not become a regular file.
      this.#fd = openSync(file, constants.O_WRONLY);
    } catch (err) {
      throw new Error(`cannot open the watchdog ${file}: ${(err as Error).message} (the firmware needs write access to it; is another process such as systemd using it?)`, { cause: err });
    }
  }

  pet(): void {
    if (this.#fd !== null) writeSync(this.#fd, '.');
  }

  close(magic: boolean): void {
    if (this.#fd === null) return;
    if (magic) writeSync(this.#fd, 'V');
    closeSync(this.#fd);
    this.#fd = null;
  }
}

/** The simulated board's watchdog: remembers when it was petted and how it was closed. */
export class SimulatedWatchdogDevice implements WatchdogDevice {
  readonly name = 'simulated';
  readonly pets: number[] = [];
  closed: 'magic' | 'abrupt' | null = null;
  #clock: Clock;

  constructor(clock: Clock = systemClock) {
    this.#clock = clock;
  }

  pet(): void {
    if (this.closed === null) this.pets.push(this.#clock.now());
  }

  close(magic: boolean): void {
    this.closed ??= magic ? 'magic' : 'abrupt';
  }
}

/** The board's watchdog device, or null when the board has none. Opening a real one arms it. */
export function openBoardWatchdog(board: Pick<BoardConfig, 'watchdog'>, clock: Clock = systemClock): WatchdogDevice | null {
  if (board.watchdog === null) return null;
  return board.watchdog.device === 'simulated' ? new SimulatedWatchdogDevice(clock) : new FileWatchdogDevice(board.watchdog.device);
}

/** A cheap, synchronous look at state the health model already keeps (e.g. "rtpengine answers pings"). */
export interface WatchdogCheck {
  name: string;
  ok: () => boolean;
}

export interface WatchdogOptions {
  device: WatchdogDevice;
  log: Logger;
  /** How often to pet; well under the device's timeout (a third of it is usual). */
  intervalMs: number;
  /** A tick this much later than planned means the event loop is stalling: that tick does not pet. */
  maxLagMs: number;
  checks?: WatchdogCheck[];
  /**
   * For this long after start the checks are not required (the event loop still is): the services are still coming
   * up, and a device that times out in 15 s must not reset the board during every boot.
   */
  startupGraceMs?: number;
  clock?: Clock;
}

export interface WatchdogStatus {
  pets: number;
  lastPetAt: number | null;
  /** Why the last tick did not pet, or null when it did. */
  withheld: string | null;
}

/**
 * Pets the hardware watchdog only while the firmware is really working: the event loop runs on time and every
 * supplied check passes. A hung or crawling loop or a dead critical service stops the petting and the board resets.
 */
export class Watchdog {
  #opts: Required<WatchdogOptions>;
  #startedAt = 0;
  #timer: unknown = null;
  #stopped = false;
  #expected = 0;
  #status: WatchdogStatus = { pets: 0, lastPetAt: null, withheld: null };

  constructor(opts: WatchdogOptions) {
    this.#opts = { clock: systemClock, checks: [], startupGraceMs: 0, ...opts };
  }

  get status(): WatchdogStatus {
    return { ...this.#status };
  }

  start(): void {
    if (this.#timer !== null || this.#stopped) return;
    this.#startedAt = this.#opts.clock.now();
    this.#tick(true);
  }

  /** Clean stop: disarms the device with the magic close. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#timer !== null) this.#opts.clock.clearTimeout(this.#timer);
    this.#timer = null;
    this.#opts.device.close(true);
    this.#opts.log.info({ device: this.#opts.device.name }, 'watchdog disarmed (magic close)');
  }

  #tick(first = false): void {
    const { clock, intervalMs, maxLagMs, device, log } = this.#opts;
    const now = clock.now();
    const lag = first ? 0 : now - this.#expected;
    let withheld: string | null = null;
    if (lag > maxLagMs) withheld = `event loop lag ${lag} ms (limit ${maxLagMs} ms)`;
    else if (now - this.#startedAt >= this.#opts.startupGraceMs) {
      const failing = this.#opts.checks.filter((c) => !safeOk(c)).map((c) => c.name);
      if (failing.length > 0) withheld = `failing: ${failing.join(', ')}`;
    }
    if (withheld === null) {
      device.pet();
      this.#status.pets++;
      this.#status.lastPetAt = now;
    } else if (withheld !== this.#status.withheld) {
      log.warn({ device: device.name, reason: withheld }, 'watchdog not petted: the board resets if this persists');
    }
    this.#status.withheld = withheld;
    this.#expected = now + intervalMs;
    this.#timer = clock.setTimeout(() => this.#tick(), intervalMs);
  }
}

function safeOk(check: WatchdogCheck): boolean {
  try {
    return check.ok();
  } catch {
    return false;
  }
}
