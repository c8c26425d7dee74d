import { accessSync, constants, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { ConfigStoreError } from './errors.ts';
import { identifyFile } from './file-identity.ts';
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
  if (identity.kind === 'callbox') {
    if (identity.userVersion > SCHEMA_VERSION) throw newerError(file, identity.userVersion);
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
    if (identity.kind === 'callbox') {
      let check: unknown;
      try {
        check = db.pragma('quick_check', { simple: true });
      } catch (err) {
        check = (err as Error).message;
      }
      if (check !== 'ok') {
        throw new ConfigStoreError(
          `${file} is corrupt (integrity check: ${String(check)}): restore a backup, or move it away to start with an empty configuration`,
        );
      }
      // The header read above can lag behind a write-ahead log that holds a newer firmware's migration.
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION) throw newerError(file, version);
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
