import { accessSync, constants, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { ConfigStoreError } from './errors.ts';
import { CALLBOX_APPLICATION_ID, identifyFile } from './file-identity.ts';
import { SCHEMA_VERSION, migrate } from './migrations/index.ts';

export type { Database };

export const DATABASE_FILE = 'callbox.db';

const fix = 'set CALLBOX_DATA_DIR to a writable directory';

function ensureWritableDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigStoreError(`data directory ${dir} does not exist and cannot be created (${code}): create it, or ${fix}`);
  }
  if (!statSync(dir).isDirectory()) throw new ConfigStoreError(`data directory ${dir} is not a directory: ${fix}`);
  // access() says yes to root even on a read-only mount; writing a probe file is the only honest test.
  const probe = path.join(dir, `.callbox-write-probe-${process.pid}`);
  try {
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigStoreError(`data directory ${dir} is not writable (${code}): give this user write access to it, or ${fix}`);
  }
}

function newerError(file: string, version: number): ConfigStoreError {
  return new ConfigStoreError(
    `${file} was written by a newer Callbox firmware (schema version ${version}, this firmware knows up to ${SCHEMA_VERSION}): ` +
      'upgrade the firmware, or restore a backup made by this version; the file was left unchanged',
  );
}

function foreignError(file: string): ConfigStoreError {
  return new ConfigStoreError(
    `${file} is a SQLite database of another program (no Callbox marker): move it away, or set CALLBOX_DATA_DIR to Callbox's own data directory`,
  );
}

/**
 * With committed transactions still in the write-ahead log (a crash, or a copy taken while running), the file
 * header can lag behind: ask SQLite itself (marker, version, integrity), on a read-only connection, whose close
 * never folds the log into the file (a read-write close would, altering a file we are about to refuse).
 */
function checkLog(file: string): void {
  let probe: Database;
  try {
    probe = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new ConfigStoreError(`cannot open ${file} (${(err as Error).message}): check the file and its directory permissions`);
  }
  try {
    const applicationId = probe.pragma('application_id', { simple: true }) as number;
    const version = probe.pragma('user_version', { simple: true }) as number;
    const objects = (probe.prepare('SELECT count(*) AS n FROM sqlite_master').get() as { n: number }).n;
    if (applicationId !== CALLBOX_APPLICATION_ID && (objects > 0 || version > 0)) throw foreignError(file);
    if (version > SCHEMA_VERSION) throw newerError(file, version);
    const check = probe.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw corruptError(file, String(check));
  } catch (err) {
    if (err instanceof ConfigStoreError) throw err;
    throw corruptError(file, (err as Error).message);
  } finally {
    probe.close();
  }
}

function corruptError(file: string, detail: string): ConfigStoreError {
  return new ConfigStoreError(`${file} is corrupt (integrity check: ${detail}): restore a backup, or move it away to start with an empty configuration`);
}

function hasLog(file: string): boolean {
  try {
    return statSync(`${file}-wal`).size > 0;
  } catch {
    return false;
  }
}

/**
 * Opens (creating if needed) the configuration store `<dataDir>/callbox.db` and brings its schema up to date.
 * Files that are not ours, corrupt, or from a newer firmware are refused with a ConfigStoreError and left as
 * they were: every check that can be made from the file header is made before SQLite opens it, and the checks
 * that need SQLite only read.
 */
export function openDatabase(dataDir: string): Database {
  const dir = path.resolve(dataDir);
  ensureWritableDir(dir);
  const file = path.join(dir, DATABASE_FILE);
  const identity = identifyFile(file);
  if (identity.kind === 'callbox' && identity.userVersion > SCHEMA_VERSION) throw newerError(file, identity.userVersion);
  const logged = hasLog(file);
  if (logged) checkLog(file);
  const existing = identity.kind === 'callbox' || logged;
  if (existing) {
    try {
      accessSync(file, constants.W_OK);
    } catch {
      throw new ConfigStoreError(`${file} is not writable: give this user write access to it, or ${fix}`);
    }
  }

  let db: Database;
  try {
    db = new BetterSqlite3(file);
  } catch (err) {
    throw new ConfigStoreError(`cannot open ${file} (${(err as Error).message}): check the file and its directory permissions`);
  }
  try {
    db.pragma('busy_timeout = 5000');
    if (identity.kind === 'callbox' && !logged) {
      // Only reads, and the log is empty: closing after a refusal leaves the file as it was.
      let check: unknown;
      try {
        check = db.pragma('quick_check', { simple: true });
      } catch (err) {
        check = (err as Error).message;
      }
      if (check !== 'ok') throw corruptError(file, String(check));
    }
    db.pragma('journal_mode = WAL');
    // FULL: a configuration apply or CDR the API acknowledged must survive a power cut, not only a crash.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof ConfigStoreError) throw err;
    throw new ConfigStoreError(`cannot use ${file} (${(err as Error).message}): restore a backup, or move it away to start fresh`);
  }
}
