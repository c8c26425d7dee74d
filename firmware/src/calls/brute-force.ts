import { EventEmitter } from 'node:events';
import type { AuthFailure, Registrar } from './registrar.ts';

export interface BruteForceOptions {
  /** Failed digest authentications from one address within `windowMs` that count as guessing (default 10). */
  threshold?: number;
  windowMs?: number;
  /** Addresses tracked at once; the least recently failing one is forgotten first (default 10,000). */
  maxSources?: number;
  now?: () => number;
}

export interface BruteForceDetected {
  /** The source IP address, without port or transport. */
  address: string;
  /** Failures from it within the window. */
  failures: number;
}

/**
 * Password guessing against the registrar: counts failed digest authentications per source address in a sliding
 * window and reports an address once it reaches the threshold (again only after it went quiet for a window).
 * The map is bounded so a spoofed-address flood cannot grow it without limit.
 */
export class BruteForceDetector extends EventEmitter<{ detected: [BruteForceDetected] }> {
  readonly #threshold: number;
  readonly #windowMs: number;
  readonly #max: number;
  readonly #now: () => number;
  /** Insertion order = least recently failing first (an entry is re-inserted on each failure). */
  readonly #sources = new Map<string, { times: number[]; reported: boolean }>();
  readonly #listener = (f: AuthFailure) => this.record(sourceAddress(f.source));
  #registrar: Registrar | undefined;

  constructor(o: BruteForceOptions = {}) {
    super();
    this.#threshold = o.threshold ?? 10;
    this.#windowMs = o.windowMs ?? 60_000;
    this.#max = o.maxSources ?? 10_000;
    this.#now = o.now ?? Date.now;
  }

  watch(registrar: Registrar): void {
    this.#registrar = registrar;
    registrar.on('authFailure', this.#listener);
  }

  stop(): void {
    this.#registrar?.off('authFailure', this.#listener);
  }

  get trackedSources(): number {
    return this.#sources.size;
  }

  record(address: string): void {
    const now = this.#now();
    const s = this.#sources.get(address) ?? { times: [], reported: false };
    this.#sources.delete(address);
    s.times = s.times.filter((t) => now - t < this.#windowMs);
    // Quiet for a whole window: a new burst is news again.
    if (s.times.length === 0) s.reported = false;
    s.times.push(now);
    if (s.times.length > this.#threshold) s.times.shift();
    this.#sources.set(address, s);
    if (this.#sources.size > this.#max) this.#sources.delete(this.#sources.keys().next().value as string);
    if (!s.reported && s.times.length >= this.#threshold) {
      s.reported = true;
      this.emit('detected', { address, failures: s.times.length });
    }
  }
}

/** "udp/192.0.2.7:5060" or "tcp/[2001:db8::1]:5061" -> the bare address. */
export function sourceAddress(source: string): string {
  const hostPort = source.replace(/^[a-z]+\//i, '');
  const v6 = /^\[([^\]]+)\]/.exec(hostPort);
  if (v6) return v6[1] as string;
  return hostPort.replace(/:\d+$/, '');
}
