import type { Database, Statement } from 'better-sqlite3';
import { listExtensions, type ExtensionConfig } from '../config/repositories/extensions.ts';

/**
 * The extensions as of the configuration revision in force, read once per revision. Reading the table means
 * parsing every row's JSON options, and one REGISTER needs the extension three times (password, digest
 * algorithms, contact limit); a box with many phones re-registering would spend its time there.
 *
 * Every site change (console or `callbox config apply` from another process) bumps the revision in the same
 * transaction, so checking the revision (one primary-key read) on each use sees a change at once; the config
 * change watcher's poll would see it only seconds later.
 *
 * Desk-phone toggles (DND, forward-always: extension-toggles.ts) change an extension's options without a new
 * revision, so what this returns is right for the site's fields (password, digest algorithms, contact limit,
 * name) and not for those toggles: routing reads them from the store.
 */
export class ExtensionDirectory {
  readonly #db: Database;
  readonly #revision: Statement<[], number>;
  #seen: number | undefined;
  #byNumber = new Map<string, ExtensionConfig>();

  constructor(db: Database) {
    this.#db = db;
    this.#revision = db.prepare<[], number>('SELECT revision FROM settings WHERE id = 1').pluck();
  }

  /** Every extension as of now, by number; take it once per request so the request sees one revision. */
  current(): ReadonlyMap<string, ExtensionConfig> {
    const revision = this.#revision.get();
    if (revision !== this.#seen) {
      // A change committed between the two reads is cached under the older revision and read again next time.
      this.#byNumber = new Map(listExtensions(this.#db).map((e) => [e.number, e]));
      this.#seen = revision;
    }
    return this.#byNumber;
  }

  get(number: string): ExtensionConfig | undefined {
    return this.current().get(number);
  }
}
