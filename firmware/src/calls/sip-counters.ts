import type { EventEmitter } from 'node:events';
import type { Database } from 'better-sqlite3';
import { listAllBindings } from '../config/repositories/registrations.ts';
import type { LiveCalls } from './live-calls.ts';
import type { Registrar } from './registrar.ts';
import type { SrfRequest, SrfResponse } from './sip-types.ts';

/** The SIP service's figures as the SNMP agent (cbSip) and the console show them. */
export interface SipCountersSnapshot {
  /** Extensions with at least one current registration. */
  registeredEndpoints: number;
  activeCalls: number;
  /** Initial INVITEs that got a final answer other than a digest challenge, since start. */
  callsProcessed: bigint;
  /** New calls per second over the last minute. */
  callsPerSecond: number;
  failed4xx: bigint;
  failed5xx: bigint;
  failed6xx: bigint;
  /** Failed digest authentications (REGISTER and INVITE) since start. */
  authFailures: bigint;
  /** Always 0: the calls app bans no addresses (there is no ban policy yet). */
  bannedAddresses: number;
}

const WINDOW_S = 60;

/**
 * Counts what the calls app does, in memory. The registered-extension count is the one figure read from the
 * store, and only when a registration came or went since the last read: a registration storm at boot costs one
 * count per reader refresh (SNMP: at most one a second), not one per REGISTER.
 */
export class SipCounters {
  readonly #registrar: Registrar;
  readonly #live: LiveCalls;
  readonly #db: Database;
  readonly #now: () => number;
  #registered = 0;
  #registrationsChanged = true;
  #processed = 0n;
  #failed = { 4: 0n, 5: 0n, 6: 0n };
  /** Calls per second of the last minute, one slot per second (slot = second % 60, stamped with its second). */
  readonly #perSecond = Array.from({ length: WINDOW_S }, () => ({ second: -1, calls: 0 }));
  readonly #off: () => void;

  constructor(o: { registrar: Registrar; live: LiveCalls; db: Database; now?: () => number }) {
    this.#registrar = o.registrar;
    this.#live = o.live;
    this.#db = o.db;
    this.#now = o.now ?? Date.now;
    const changed = () => {
      this.#registrationsChanged = true;
    };
    for (const e of ['register', 'unregister', 'expire'] as const) this.#registrar.on(e, changed);
    this.#off = () => {
      for (const e of ['register', 'unregister', 'expire'] as const) this.#registrar.off(e, changed);
    };
  }

  /** Wraps the INVITE handler: each initial INVITE is counted by the final response the caller gets. */
  countInvites(handler: (req: SrfRequest, res: SrfResponse) => void): (req: SrfRequest, res: SrfResponse) => void {
    return (req, res) => {
      (res as unknown as EventEmitter).once('end', (r: { status: number }) => this.callAnswered(r.status));
      handler(req, res);
    };
  }

  /** One initial INVITE got its final response. */
  callAnswered(status: number): void {
    // A challenge is the first half of an authenticated call: the phone sends the INVITE again.
    if (status === 401 || status === 407) return;
    this.#processed++;
    const second = Math.floor(this.#now() / 1000);
    const slot = this.#perSecond[second % WINDOW_S] as { second: number; calls: number };
    if (slot.second !== second) {
      slot.second = second;
      slot.calls = 0;
    }
    slot.calls++;
    // 487 follows the caller's own CANCEL: not a failure of the service.
    const cls = Math.floor(status / 100);
    if ((cls === 4 && status !== 487) || cls === 5 || cls === 6) this.#failed[cls as 4 | 5 | 6]++;
  }

  snapshot(): SipCountersSnapshot {
    if (this.#registrationsChanged) {
      this.#registrationsChanged = false;
      this.#registered = new Set(listAllBindings(this.#db, this.#now()).map((b) => b.extension)).size;
    }
    const now = Math.floor(this.#now() / 1000);
    const recent = this.#perSecond.reduce((sum, s) => (now - s.second < WINDOW_S ? sum + s.calls : sum), 0);
    return {
      registeredEndpoints: this.#registered,
      activeCalls: this.#live.size,
      callsProcessed: this.#processed,
      callsPerSecond: recent / WINDOW_S,
      failed4xx: this.#failed[4],
      failed5xx: this.#failed[5],
      failed6xx: this.#failed[6],
      authFailures: BigInt(this.#registrar.authFailures),
      bannedAddresses: 0,
    };
  }

  stop(): void {
    this.#off();
  }
}
