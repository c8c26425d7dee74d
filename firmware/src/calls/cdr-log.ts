import type { Database } from 'better-sqlite3';
import { insertCdr, markCdrAnswered, markCdrEnded, type CdrStart } from '../config/repositories/cdrs.ts';
import type { Logger } from '../log.ts';

export type Disposition = 'answered' | 'no-answer' | 'busy' | 'failed' | 'cancelled' | 'rejected' | 'transferred';

/**
 * Writes one CDR per call leg. A failed write is logged and swallowed: losing a record must never drop the
 * call it describes.
 */
export class CdrLog {
  readonly #db: Database;
  readonly #log: Logger;
  readonly #onEnded: (legId: string) => void;

  /** onEnded hears of every leg that ended (the trunk health frees the capacity the leg held). */
  constructor(db: Database, log: Logger, onEnded: (legId: string) => void = () => undefined) {
    this.#db = db;
    this.#log = log;
    this.#onEnded = onEnded;
  }

  start(c: Omit<CdrStart, 'startedAt'>): void {
    this.#safe(() => insertCdr(this.#db, { ...c, startedAt: new Date().toISOString() }));
  }

  answered(legId: string): void {
    this.#safe(() => markCdrAnswered(this.#db, legId, new Date().toISOString()));
  }

  ended(legId: string, disposition: Disposition, cause: string): void {
    this.#safe(() => markCdrEnded(this.#db, legId, new Date().toISOString(), disposition, cause));
    this.#onEnded(legId);
  }

  #safe(f: () => void): void {
    try {
      f();
    } catch (err) {
      this.#log.error({ err }, 'CDR write failed');
    }
  }
}

/** A final SIP status as a CDR disposition. */
export function dispositionOf(status: number): Disposition {
  if (status === 486 || status === 600) return 'busy';
  if (status === 480 || status === 408) return 'no-answer';
  if (status === 487) return 'cancelled';
  if (status === 603 || status === 403) return 'rejected';
  return 'failed';
}
