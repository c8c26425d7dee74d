import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { ConfigStoreError } from './errors.ts';

/** "CBOX" in SQLite's application_id header field: marks a database file as Callbox's. */
export const CALLBOX_APPLICATION_ID = 0x43424f58;

const MAGIC = 'SQLite format 3\0';

export type FileIdentity =
  | { kind: 'new' } // absent, empty, or a SQLite file that never had a schema: safe to initialise
  | { kind: 'callbox'; userVersion: number };

/**
 * Classifies the database file from its 100-byte header, without opening it with SQLite, so that a file we
 * refuse is never touched (SQLite would create journals or change the header on open).
 */
export function identifyFile(file: string): FileIdentity {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new ConfigStoreError(`${file} is not a regular file: move it away, or set CALLBOX_DATA_DIR to another directory`);
    size = st.size;
  } catch (err) {
    if (err instanceof ConfigStoreError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'new' };
    throw new ConfigStoreError(`cannot read ${file} (${(err as NodeJS.ErrnoException).code}): check its permissions`);
  }
  if (size === 0) return { kind: 'new' };
  const header = Buffer.alloc(100);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    throw new ConfigStoreError(`cannot read ${file} (${(err as NodeJS.ErrnoException).code}): check its permissions`);
  }
  let read: number;
  try {
    read = readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (read < 100 || header.toString('latin1', 0, 16) !== MAGIC) {
    throw new ConfigStoreError(
      `${file} is not a SQLite database (corrupt, or another program's file): move it away to start with an empty configuration, or restore a backup`,
    );
  }
  const schemaCookie = header.readUInt32BE(40);
  const userVersion = header.readUInt32BE(60);
  const applicationId = header.readUInt32BE(68);
  if (applicationId === CALLBOX_APPLICATION_ID) return { kind: 'callbox', userVersion };
  if (schemaCookie === 0 && userVersion === 0) return { kind: 'new' };
  throw new ConfigStoreError(
    `${file} is a SQLite database of another program (no Callbox marker): move it away, or set CALLBOX_DATA_DIR to Callbox's own data directory`,
  );
}

