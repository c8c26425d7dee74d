import type { Database } from 'better-sqlite3';
import type { Logger } from '../log.ts';

/**
 * Notices configuration changes made while the box runs, whoever made them: the web console in this process or
 * `callbox config apply` in another one writing the same SQLite file. Every change bumps the revision in the
 * same transaction (site-apply.ts), so one primary-key read every couple of seconds is all it takes; there is
 * no cross-process notification in SQLite to wait on instead.
 *
 * Services subscribe to the part they use with watch(): the part is read again on each new revision and the
 * listener runs only when it differs, one run at a time, always with the newest value.
 */
export interface ConfigChanges {
  /** The revision last seen. */
  readonly revision: number;
  /**
   * Calls `apply` whenever `read(db)` gives something else than last time (compared as JSON). The first read
   * is taken now and not applied: the service started with it. Returns the unsubscribe function.
   */
  watch<T>(name: string, read: (db: Database) => T, apply: (value: T) => void | Promise<void>): () => void;
  /** Reads the revision now instead of at the next poll (after a change made in this process, or in tests). */
  check(): Promise<void>;
}

interface Watch {
  name: string;
  read: (db: Database) => unknown;
  apply: (value: unknown) => void | Promise<void>;
  last: string;
  running: Promise<void>;
}

export class ConfigChangeWatcher implements ConfigChanges {
  readonly #db: Database;
  readonly #log: Logger;
  readonly #readRevision: () => number;
  readonly #watches = new Set<Watch>();
  #revision: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(o: { db: Database; log: Logger }) {
    this.#db = o.db;
    this.#log = o.log;
    const stmt = o.db.prepare('SELECT revision FROM settings WHERE id = 1').pluck();
    this.#readRevision = () => stmt.get() as number;
    this.#revision = this.#readRevision();
  }

  get revision(): number {
    return this.#revision;
  }

  /** Polls every intervalMs (default 2 s). */
  start(intervalMs = 2000): void {
    this.#timer = setInterval(() => void this.check(), intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#watches.clear();
  }

  watch<T>(name: string, read: (db: Database) => T, apply: (value: T) => void | Promise<void>): () => void {
    const w: Watch = { name, read, apply: apply as (v: unknown) => void | Promise<void>, last: JSON.stringify(read(this.#db)), running: Promise.resolve() };
    this.#watches.add(w);
    return () => {
      this.#watches.delete(w);
    };
  }

  async check(): Promise<void> {
    let revision: number;
    try {
      revision = this.#readRevision();
    } catch (err) {
      this.#log.warn({ err: (err as Error).message }, 'reading the configuration revision failed');
      return;
    }
    if (revision === this.#revision) return;
    this.#log.info({ from: this.#revision, to: revision }, 'configuration changed');
    this.#revision = revision;
    await Promise.all([...this.#watches].map((w) => this.#refresh(w, revision)));
  }

  /** Chained per watch, so a slow apply (re-binding a socket) never overlaps the next one. */
  #refresh(w: Watch, revision: number): Promise<void> {
    w.running = w.running.then(async () => {
      if (!this.#watches.has(w)) return;
      let value: unknown;
      try {
        value = w.read(this.#db);
      } catch (err) {
        this.#log.error({ err: (err as Error).message, part: w.name, revision }, 'reading the changed configuration failed; keeping the running one');
        return;
      }
      const json = JSON.stringify(value);
      if (json === w.last) return;
      w.last = json;
      try {
        await w.apply(value);
        this.#log.info({ part: w.name, revision }, 'configuration change applied');
      } catch (err) {
        this.#log.error({ err: (err as Error).message, part: w.name, revision }, 'applying the configuration change failed');
      }
    });
    return w.running;
  }
}
