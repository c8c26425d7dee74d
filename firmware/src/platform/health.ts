import { EventEmitter } from 'node:events';
import path from 'node:path';
import si from 'systeminformation';
import type { Logger } from '../log.ts';

/**
 * The box's health, sampled in one place: SNMP, GET /health and the web UI all read `latest()` from the same
 * sampler, so an NMS, a load balancer probe and the admin never see different numbers.
 */

export type DiskState = 'mounted' | 'unmounted' | 'failed';

export interface DiskHealth {
  /** The data directory or mount point being watched (configured). */
  path: string;
  /** Where the file system holding `path` is mounted ('' when none is). */
  mount: string;
  /** Block device or source of that file system ('' when none). */
  device: string;
  fsType: string;
  state: DiskState;
  sizeBytes: number;
  freeBytes: number;
  usedPercent: number;
}

export interface NicHealth {
  name: string;
  up: boolean;
  /** Link speed in Mbit/s when the driver reports one. */
  speedMbps: number | null;
  mac: string;
  addresses: string[];
  internal: boolean;
}

export interface HealthSample {
  at: Date;
  uptimeSeconds: number;
  cpuLoadPercent: number;
  memory: { totalBytes: number; availableBytes: number };
  /** Highest reading of the board's sensors, °C; null on boards without one. */
  temperatureC: number | null;
  disks: DiskHealth[];
  nics: NicHealth[];
}

export type HealthChange =
  | { kind: 'disk'; path: string; from: DiskState | null; to: DiskState }
  | { kind: 'nic'; name: string; from: boolean | null; to: boolean };

/** What the sampler reads: systeminformation in production, a fake in tests. */
export interface HealthProbe {
  uptimeSeconds(): number;
  cpuLoadPercent(): Promise<number>;
  memory(): Promise<{ total: number; available: number }>;
  temperatures(): Promise<{ main: number | null; max: number | null; cores: number[] }>;
  fileSystems(): Promise<{ fs: string; type: string; size: number; used: number; available: number; use: number; mount: string; rw: boolean | null }[]>;
  nics(): Promise<{ iface: string; operstate: string; speed: number | null; mac: string; ip4: string; ip6: string; internal: boolean }[]>;
}

export const systeminformationProbe: HealthProbe = {
  uptimeSeconds: () => si.time().uptime,
  cpuLoadPercent: async () => (await si.currentLoad()).currentLoad,
  memory: () => si.mem(),
  temperatures: () => si.cpuTemperature(),
  fileSystems: () => si.fsSize(),
  nics: async () => {
    const list = await si.networkInterfaces();
    return Array.isArray(list) ? list : [list];
  },
};

export interface DiskWatch {
  /** A data directory (recordings, database) or mount point. */
  path: string;
  /**
   * On the appliance data disks are their own file systems: if nothing is mounted exactly here the disk is
   * `unmounted` (and recordings would silently fill the root file system). A dev machine keeps data on `/`.
   */
  mustBeMountPoint: boolean;
}

export interface HealthSamplerOptions {
  probe?: HealthProbe;
  /** 10 s: fast enough for an NMS polling every minute, slow enough that df and /sys reads cost nothing. */
  intervalMs?: number;
  disks?: DiskWatch[];
  log?: Logger;
}

export interface HealthSamplerEvents {
  sample: [HealthSample];
  change: [HealthChange];
}

function diskHealth(watch: DiskWatch, fileSystems: Awaited<ReturnType<HealthProbe['fileSystems']>>): DiskHealth {
  const target = path.resolve(watch.path);
  const contains = (mount: string) => target === mount || target.startsWith(mount.endsWith('/') ? mount : mount + '/');
  const candidates = fileSystems.filter((f) => (watch.mustBeMountPoint ? f.mount === target : contains(f.mount)));
  const fs = candidates.sort((a, b) => b.mount.length - a.mount.length)[0];
  if (!fs) return { path: watch.path, mount: '', device: '', fsType: '', state: 'unmounted', sizeBytes: 0, freeBytes: 0, usedPercent: 0 };
  return {
    path: watch.path,
    mount: fs.mount,
    device: fs.fs,
    fsType: fs.type,
    // A file system the kernel remounted read-only after I/O errors is mounted but useless for recordings.
    state: fs.rw === false ? 'failed' : 'mounted',
    sizeBytes: fs.size,
    freeBytes: fs.available,
    usedPercent: Math.min(100, Math.max(0, Math.round(fs.use))),
  };
}

export class HealthSampler extends EventEmitter<HealthSamplerEvents> {
  readonly intervalMs: number;
  #probe: HealthProbe;
  #disks: DiskWatch[];
  #log: Logger | undefined;
  #latest: HealthSample | null = null;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<HealthSample> | null = null;

  constructor(opts: HealthSamplerOptions = {}) {
    super();
    this.#probe = opts.probe ?? systeminformationProbe;
    this.intervalMs = opts.intervalMs ?? 10_000;
    this.#disks = opts.disks ?? [{ path: '/', mustBeMountPoint: true }];
    this.#log = opts.log;
  }

  /** The most recent sample; null until the first one completed. */
  latest(): HealthSample | null {
    return this.#latest;
  }

  /** Takes a first sample, then keeps sampling every intervalMs until stop(). */
  async start(): Promise<HealthSample> {
    const first = await this.sample();
    if (!this.#timer) {
      this.#timer = setInterval(() => {
        this.sample().catch((err: unknown) => this.#log?.warn({ err }, 'health sample failed'));
      }, this.intervalMs);
      this.#timer.unref();
    }
    return first;
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Samples now. Concurrent callers share one run, so a slow df never stacks up. */
  sample(): Promise<HealthSample> {
    this.#running ??= this.#take().finally(() => (this.#running = null));
    return this.#running;
  }

  async #take(): Promise<HealthSample> {
    const p = this.#probe;
    // A sensor or df failing must not hide the rest of the numbers: each part degrades on its own.
    const soft = async <T>(what: string, f: () => Promise<T>, fallback: T): Promise<T> => {
      try {
        return await f();
      } catch (err) {
        this.#log?.warn({ err }, `health: reading ${what} failed`);
        return fallback;
      }
    };
    const [load, mem, temps, fileSystems, nics] = await Promise.all([
      soft('cpu load', () => p.cpuLoadPercent(), 0),
      soft('memory', () => p.memory(), { total: 0, available: 0 }),
      soft('temperatures', () => p.temperatures(), { main: null, max: null, cores: [] }),
      soft('file systems', () => p.fileSystems(), []),
      soft('network interfaces', () => p.nics(), []),
    ]);
    const readings = [temps.main, temps.max, ...temps.cores].filter((t): t is number => typeof t === 'number' && Number.isFinite(t));
    const sample: HealthSample = {
      at: new Date(),
      uptimeSeconds: p.uptimeSeconds(),
      cpuLoadPercent: Math.min(100, Math.max(0, Math.round(load))),
      memory: { totalBytes: mem.total, availableBytes: mem.available },
      temperatureC: readings.length > 0 ? Math.max(...readings) : null,
      disks: this.#disks.map((d) => diskHealth(d, fileSystems)),
      nics: nics.map((n) => ({
        name: n.iface,
        up: n.operstate === 'up',
        speedMbps: typeof n.speed === 'number' && n.speed > 0 ? n.speed : null,
        mac: n.mac,
        addresses: [n.ip4, n.ip6].filter((a) => a !== ''),
        internal: n.internal,
      })),
    };
    const previous = this.#latest;
    this.#latest = sample;
    this.emit('sample', sample);
    for (const change of diffHealth(previous, sample)) this.emit('change', change);
    return sample;
  }
}

/** State changes between two samples (the first sample reports every disk and NIC as a change from null). */
export function diffHealth(previous: HealthSample | null, current: HealthSample): HealthChange[] {
  const changes: HealthChange[] = [];
  for (const d of current.disks) {
    const before = previous?.disks.find((x) => x.path === d.path)?.state ?? null;
    if (before !== d.state) changes.push({ kind: 'disk', path: d.path, from: before, to: d.state });
  }
  for (const n of current.nics) {
    const before = previous?.nics.find((x) => x.name === n.name)?.up ?? null;
    if (before !== n.up) changes.push({ kind: 'nic', name: n.name, from: before, to: n.up });
  }
  return changes;
}
