import { EventEmitter } from 'node:events';
import type { Trunk } from '../config/site-schema.ts';
import type { Logger } from '../log.ts';
import type { TrunkRegistrationState } from './trunk-registrations.ts';
import type { TrunkRegistry } from './trunk-registry.ts';

export type TrunkState = 'up' | 'degraded' | 'down';

/** One trunk as the console and the SNMP agent show it. */
export interface TrunkStatus {
  name: string;
  state: TrunkState;
  /** Why the trunk is in this state, e.g. "3 OPTIONS in a row failed (no answer)". */
  reason: string;
  /** True when OPTIONS pings watch the trunk (options_interval_s > 0). */
  monitored: boolean;
  /** Round trip of the last answered OPTIONS. */
  lastRttMs: number | undefined;
  /** When the state last changed (or monitoring began), ISO 8601. */
  lastChange: string;
  /** Calls on the trunk now, both directions. */
  activeCalls: number;
  /** 0 = no limit. */
  maxCalls: number;
  /** Calls that could not use this trunk (down, full, or it failed) and went to the next trunk of their route. */
  callsFailedOver: number;
  /** The outbound registration's state, for registration-based trunks. */
  registration: TrunkRegistrationState['state'] | undefined;
}

export interface TrunkStateChange {
  trunk: string;
  from: TrunkState;
  to: TrunkState;
  status: TrunkStatus;
}

export interface PingResult {
  ok: boolean;
  rttMs: number;
  /** "200 OK", "503 Service Unavailable", "no answer", ... */
  detail: string;
}

/** Sends one OPTIONS to the trunk and reports whether the carrier answered in time. */
export type OptionsPing = (trunk: Trunk, timeoutMs: number) => Promise<PingResult>;

/** One call's hold on a trunk's capacity; released when its leg ends (or its setup failed). */
export interface CallSlot {
  /** Ties the slot to a call leg: the slot is released when that leg's CDR ends. */
  bind(legId: string): void;
  release(): void;
}

interface Entry {
  state: TrunkState;
  reason: string;
  lastChange: number;
  failures: number;
  lastDetail: string;
  lastRttMs: number | undefined;
  active: number;
  failedOver: number;
  nextPingAt: number;
  pinging: boolean;
}

/**
 * The health of every trunk: OPTIONS pings (a trunk is degraded after a failed ping and down after
 * `options_down_after` in a row; one answer brings it back up), the outbound registration's state, and the calls
 * on it against `max_calls`. Emits `change` on every state change. The trunk list is re-read on every tick, so
 * a reloaded site file is followed without a restart.
 */
export class TrunkHealth extends EventEmitter<{ change: [TrunkStateChange] }> {
  readonly #trunks: TrunkRegistry;
  readonly #ping: OptionsPing;
  readonly #registration: (name: string) => TrunkRegistrationState | undefined;
  readonly #log: Logger;
  readonly #tickMs: number;
  readonly #entries = new Map<string, Entry>();
  readonly #slotsByLeg = new Map<string, CallSlot>();
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(o: { trunks: TrunkRegistry; ping: OptionsPing; registration?: (name: string) => TrunkRegistrationState | undefined; log: Logger; tickMs?: number }) {
    super();
    this.#trunks = o.trunks;
    this.#ping = o.ping;
    this.#registration = o.registration ?? (() => undefined);
    this.#log = o.log;
    this.#tickMs = o.tickMs ?? 1000;
  }

  start(): void {
    this.#stopped = false;
    this.#tick();
    this.#timer = setInterval(() => this.#tick(), this.#tickMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#stopped = true;
  }

  list(): TrunkStatus[] {
    return this.#trunks.list().map((t) => this.#status(t, this.#entry(t)));
  }

  get(name: string): TrunkStatus | undefined {
    const t = this.#trunks.get(name);
    return t ? this.#status(t, this.#entry(t)) : undefined;
  }

  /** False while the trunk is down: routes skip it. */
  usable(name: string): boolean {
    return this.get(name)?.state !== 'down';
  }

  /** A place for one more call on the trunk, or undefined when it already carries `max_calls`. */
  tryAcquire(name: string): CallSlot | undefined {
    const t = this.#trunks.get(name);
    if (!t) return undefined;
    const e = this.#entry(t);
    if (t.max_calls > 0 && e.active >= t.max_calls) return undefined;
    e.active++;
    let released = false;
    let leg: string | undefined;
    const slot: CallSlot = {
      bind: (legId) => {
        if (released) return;
        leg = legId;
        this.#slotsByLeg.set(legId, slot);
      },
      release: () => {
        if (released) return;
        released = true;
        if (leg !== undefined) this.#slotsByLeg.delete(leg);
        // The trunk may have been removed and re-added meanwhile: count down whatever entry it has now.
        const now = this.#entries.get(name);
        if (now && now.active > 0) now.active--;
      },
    };
    return slot;
  }

  /** A call leg ended (its CDR closed): the trunk capacity it held is free again. */
  legEnded(legId: string): void {
    this.#slotsByLeg.get(legId)?.release();
  }

  /** A call passed this trunk by for the next one of its route. */
  noteFailover(name: string): void {
    const t = this.#trunks.get(name);
    if (t) this.#entry(t).failedOver++;
  }

  #entry(t: Trunk): Entry {
    let e = this.#entries.get(t.name);
    if (!e) {
      e = { state: 'up', reason: 'not checked yet', lastChange: Date.now(), failures: 0, lastDetail: '', lastRttMs: undefined, active: 0, failedOver: 0, nextPingAt: 0, pinging: false };
      this.#entries.set(t.name, e);
      this.#judge(t, e);
    }
    return e;
  }

  #status(t: Trunk, e: Entry): TrunkStatus {
    return {
      name: t.name,
      state: e.state,
      reason: e.reason,
      monitored: t.options_interval_s > 0,
      lastRttMs: e.lastRttMs,
      lastChange: new Date(e.lastChange).toISOString(),
      activeCalls: e.active,
      maxCalls: t.max_calls,
      callsFailedOver: e.failedOver,
      registration: this.#registration(t.name)?.state,
    };
  }

  #tick(): void {
    const trunks = this.#trunks.list();
    const names = new Set(trunks.map((t) => t.name));
    for (const name of this.#entries.keys()) if (!names.has(name)) this.#entries.delete(name);
    const now = Date.now();
    for (const t of trunks) {
      const e = this.#entry(t);
      if (t.options_interval_s > 0 && !e.pinging && now >= e.nextPingAt) void this.#probe(t, e);
      this.#judge(t, e);
    }
  }

  async #probe(t: Trunk, e: Entry): Promise<void> {
    e.pinging = true;
    const r = await this.#ping(t, t.options_timeout_s * 1000).catch((err: Error): PingResult => ({ ok: false, rttMs: 0, detail: err.message }));
    e.pinging = false;
    // A ping still out when the box stopped fails for that reason, not the carrier's: it says nothing.
    if (this.#stopped) return;
    e.nextPingAt = Date.now() + t.options_interval_s * 1000;
    e.lastDetail = r.detail;
    if (r.ok) {
      e.failures = 0;
      e.lastRttMs = r.rttMs;
    } else {
      e.failures++;
      this.#log.debug({ trunk: t.name, failures: e.failures, detail: r.detail }, 'trunk OPTIONS failed');
    }
    // The trunk may have been removed while the ping was out.
    if (this.#entries.get(t.name) === e) this.#judge(t, e);
  }

  #judge(t: Trunk, e: Entry): void {
    const reg = this.#registration(t.name);
    let next: { state: TrunkState; reason: string } | undefined;
    if (t.options_interval_s > 0) {
      if (e.failures >= t.options_down_after) next = { state: 'down', reason: `${e.failures} OPTIONS in a row failed (${e.lastDetail})` };
      else if (e.failures > 0) next = { state: 'degraded', reason: `${e.failures} OPTIONS failed (${e.lastDetail})` };
      else if (reg?.state === 'failed') next = { state: 'degraded', reason: `answers OPTIONS, but registration failed: ${reg.reason}` };
      else if (e.lastRttMs !== undefined) next = { state: 'up', reason: 'answers OPTIONS' };
    } else if (reg?.state === 'failed') next = { state: 'down', reason: `registration failed: ${reg.reason}` };
    else if (reg?.state === 'registered') next = { state: 'up', reason: 'registered' };
    else if (!reg) next = { state: 'up', reason: 'not monitored (options_interval_s is 0)' };
    if (!next) return;
    e.reason = next.reason;
    if (next.state === e.state) return;
    const from = e.state;
    e.state = next.state;
    e.lastChange = Date.now();
    this.#log[next.state === 'up' ? 'info' : 'warn']({ trunk: t.name, from, to: next.state, reason: next.reason }, 'trunk state changed');
    this.emit('change', { trunk: t.name, from, to: next.state, status: this.#status(t, e) });
  }
}
