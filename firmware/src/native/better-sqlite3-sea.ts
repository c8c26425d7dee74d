// Stands in for `better-sqlite3` inside the one-file firmware only (scripts/build-firmware.sh aliases it).
// A native addon cannot be required from inside a single executable: the addon travels as a SEA asset, is
// written once under a content-hash name to a directory that allows exec, and is handed to better-sqlite3 as
// its `nativeBinding`. The name makes a half-written file from a power cut harmless: it is written under a
// temporary name and renamed into place.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { getRawAsset } from 'node:sea';
import type BetterSqlite3 from 'better-sqlite3';
// The build maps this name to better-sqlite3's own entry, past the alias that points `better-sqlite3` here.
import Real from 'better-sqlite3-original';

function nativeDir(): string {
  const candidates = [process.env['CALLBOX_NATIVE_DIR'], '/var/lib/callbox/native', path.join(process.env['CALLBOX_DATA_DIR'] ?? './var', '.native')];
  for (const dir of candidates) {
    if (!dir) continue;
    try {
      mkdirSync(dir, { recursive: true, mode: 0o755 });
      return dir;
    } catch {
      // Read-only or missing parent: try the next place.
    }
  }
  throw new Error('no writable directory for the SQLite addon: set CALLBOX_NATIVE_DIR to a directory that allows exec');
}

let addon: unknown;
function loadAddon(): unknown {
  if (addon) return addon;
  const bytes = Buffer.from(getRawAsset('better_sqlite3.node'));
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const dir = nativeDir();
  const file = path.join(dir, `better_sqlite3-${hash}.node`);
  if (!existsSync(file)) {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes, { mode: 0o755 });
    renameSync(tmp, file);
  }
  const mod = { exports: {} as unknown };
  process.dlopen(mod, file);
  return (addon = mod.exports);
}

function Database(filename?: string | Buffer, options: BetterSqlite3.Options = {}): BetterSqlite3.Database {
  return new Real(filename, { nativeBinding: loadAddon() as string, ...options });
}
Database.prototype = Real.prototype;
Database.SqliteError = Real.SqliteError;

export default Database;
