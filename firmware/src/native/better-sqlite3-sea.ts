// Stands in for `better-sqlite3` inside the one-file firmware only (scripts/build-firmware.sh aliases it): the
// real module, handed the addon that travels inside the executable as its `nativeBinding`.
import type BetterSqlite3 from 'better-sqlite3';
// The build maps this name to better-sqlite3's own entry, past the alias that points `better-sqlite3` here.
import Real from 'better-sqlite3-original';
import { loadSeaAddon } from './sea-addon.ts';

function Database(filename?: string | Buffer, options: BetterSqlite3.Options = {}): BetterSqlite3.Database {
  return new Real(filename, { nativeBinding: loadSeaAddon('better_sqlite3.node') as string, ...options });
}
Database.prototype = Real.prototype;
Database.SqliteError = Real.SqliteError;

export default Database;
