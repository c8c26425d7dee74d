import snmp, { type Session, type Varbind } from 'net-snmp';
import type { Logger } from '../log.ts';
import type { SnmpConfig, SnmpUser, TrapReceiver } from '../config/snmp-schema.ts';
import { encodeValue, syntaxType } from './mib-view.ts';
import { NOTIFICATIONS, objectDef, type NotificationName, type ObjectName } from './oids.ts';
import { usmUser } from './usm.ts';

/**
 * Sends CALLBOX-MIB notifications to the configured receivers (traps or informs, v2c or v3) in both agent modes.
 * v3 notifications carry the agent's own engine ID: receivers must create the user with that engine ID
 * (snmptrapd: `createUser -e <engineID> ...`).
 */

export type NotificationValues<N extends NotificationName> = Record<(typeof NOTIFICATIONS)[N]['objects'][number], unknown>;

export interface Notification<N extends NotificationName = NotificationName> {
  name: N;
  /** Row index for the table columns among the objects (trunk, queue or disk index). */
  index?: number;
  /** Every object the MIB lists for the notification, in MIB units; enumerations by name ('down'). */
  values: NotificationValues<N>;
}

/** A notification with its values untyped (what the sender works with once the caller's types were checked). */
export interface AnyNotification {
  name: NotificationName;
  index?: number;
  values: Readonly<Record<string, unknown>>;
}

export interface RateLimit {
  /**
   * Per condition (e.g. one trunk): at most one notification per interval. A change during the hold-down is
   * sent when it ends if the condition then differs from what receivers were last told, so a flapping trunk
   * costs receivers at most two notifications per interval and the last one is always the truth.
   */
  holdDownMs: number;
  /** Across all conditions, a backstop for storms (e.g. every trunk failing at once): per minute. */
  maxPerMinute: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { holdDownMs: 60_000, maxPerMinute: 60 };

interface Family {
  lastSentAt: number;
  lastSentName: NotificationName;
  pending: AnyNotification | null;
  timer: NodeJS.Timeout | null;
}

export interface NotifierCounters {
  sent: number;
  suppressed: number;
  failed: number;
}

export class Notifier {
  readonly counters: NotifierCounters = { sent: 0, suppressed: 0, failed: 0 };
  #receivers: TrapReceiver[];
  #users: Map<string, SnmpUser>;
  #engineId: string;
  #log: Logger;
  #limit: RateLimit;
  #sessions = new Map<TrapReceiver, Session>();
  #families = new Map<string, Family>();
  #recent: number[] = [];
  #startedAt = performance.now();
  #now: () => number;

  constructor(opts: { config: SnmpConfig; engineId: string; log: Logger; rateLimit?: Partial<RateLimit>; now?: () => number }) {
    this.#receivers = opts.config.trap_receivers;
    this.#users = new Map(opts.config.users.map((u) => [u.name, u]));
    this.#engineId = opts.engineId;
    this.#log = opts.log;
    this.#limit = { ...DEFAULT_RATE_LIMIT, ...opts.rateLimit };
    this.#now = opts.now ?? (() => performance.now());
  }

  /**
   * Queues a notification under the rate limit. `family` names the condition it reports on (default: the
   * notification's instance, e.g. `trunk:3`); related notifications (down/up) share one family.
   */
  notify<N extends NotificationName>(n: Notification<N>, family = `${n.name}:${n.index ?? 0}`): void {
    const now = this.#now();
    let f = this.#families.get(family);
    if (f && now - f.lastSentAt < this.#limit.holdDownMs) {
      this.counters.suppressed++;
      f.pending = n;
      if (!f.timer) {
        const fam = f;
        fam.timer = setTimeout(() => this.#flush(family, fam), Math.max(0, fam.lastSentAt + this.#limit.holdDownMs - now));
        fam.timer.unref();
      }
      this.#log.debug({ notification: n.name, family }, 'notification held back (rate limit)');
      return;
    }
    if (!f) this.#families.set(family, (f = { lastSentAt: now, lastSentName: n.name, pending: null, timer: null }));
    this.#emit(n, f, now);
  }

  #flush(family: string, f: Family): void {
    f.timer = null;
    const n = f.pending;
    f.pending = null;
    if (!n) return;
    if (n.name === f.lastSentName) {
      this.#log.debug({ notification: n.name, family }, 'held-back notification dropped: receivers already know this state');
      return;
    }
    this.#emit(n, f, this.#now());
  }

  #emit(n: AnyNotification, f: Family, now: number): void {
    this.#recent = this.#recent.filter((t) => now - t < 60_000);
    if (this.#recent.length >= this.#limit.maxPerMinute) {
      this.counters.suppressed++;
      this.#log.warn({ notification: n.name }, 'notification dropped: more than maxPerMinute notifications in the last minute');
      return;
    }
    this.#recent.push(now);
    if (f.timer) clearTimeout(f.timer);
    f.timer = null;
    f.pending = null;
    f.lastSentAt = now;
    f.lastSentName = n.name;
    void this.send(n);
  }

  /** Sends at once to every receiver, bypassing the rate limit; resolves when all were handed over (or acknowledged, for informs). */
  async send(n: AnyNotification): Promise<void> {
    const varbinds = notificationVarbinds(n);
    const oid = NOTIFICATIONS[n.name].oid;
    const upTime = Math.floor((performance.now() - this.#startedAt) / 10);
    await Promise.all(
      this.#receivers.map(
        (r) =>
          new Promise<void>((resolve) => {
            const done = (err: Error | null) => {
              if (err) {
                this.counters.failed++;
                this.#log.warn({ err, receiver: `${r.host}:${r.port}`, notification: n.name }, 'sending notification failed');
              } else {
                this.counters.sent++;
              }
              resolve();
            };
            try {
              const s = this.#session(r);
              if (r.inform) s.inform(oid, varbinds, { upTime }, done);
              else s.trap(oid, varbinds, { upTime }, done);
            } catch (err) {
              done(err as Error);
            }
          }),
      ),
    );
    this.#log.info({ notification: n.name, index: n.index, receivers: this.#receivers.length }, 'notification sent');
  }

  #session(r: TrapReceiver): Session {
    let s = this.#sessions.get(r);
    if (s) return s;
    const transport = r.host.includes(':') ? 'udp6' : 'udp4';
    if (r.version === '3') {
      const user = this.#users.get(r.user);
      if (!user) throw new Error(`trap receiver ${r.host}: no SNMPv3 user ${r.user}`);
      s = snmp.createV3Session(r.host, usmUser(user), { version: snmp.Version3, port: r.port, trapPort: r.port, engineID: this.#engineId, transport, retries: 2, timeout: 3000 });
    } else {
      s = snmp.createSession(r.host, r.community, { version: snmp.Version2c, port: r.port, trapPort: r.port, transport, retries: 2, timeout: 3000 });
    }
    s.on('error', (err: Error) => this.#log.warn({ err, receiver: `${r.host}:${r.port}` }, 'notification session error'));
    this.#sessions.set(r, s);
    return s;
  }

  close(): void {
    for (const f of this.#families.values()) if (f.timer) clearTimeout(f.timer);
    for (const s of this.#sessions.values()) s.close();
    this.#sessions.clear();
  }
}

/** The varbinds after sysUpTime.0 and snmpTrapOID.0, in the order the MIB's OBJECTS clause lists them. */
export function notificationVarbinds(n: AnyNotification): Varbind[] {
  const def = NOTIFICATIONS[n.name];
  const values = n.values;
  return def.objects.map((name: ObjectName) => {
    if (!(name in values)) throw new Error(`${n.name}: missing value for ${name}`);
    const o = objectDef(name);
    if (o.column && n.index === undefined) throw new Error(`${n.name}: ${name} is a table column, give the row index`);
    return {
      oid: `${o.oid}.${o.column ? n.index : 0}`,
      type: syntaxType(o.syntax),
      value: encodeValue(o.syntax, values[name], 'buffer', o.values),
    };
  });
}
