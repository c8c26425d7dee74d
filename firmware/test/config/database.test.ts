import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { tempDir } from '../helpers/tmp.ts';
import { openDatabase, DATABASE_FILE } from '../../src/config/database.ts';
import { ConfigStoreError } from '../../src/config/errors.ts';
import { SCHEMA_VERSION, migrate, migrations } from '../../src/config/migrations/index.ts';
import { CALLBOX_APPLICATION_ID } from '../../src/config/file-identity.ts';
import { getSettings } from '../../src/config/repositories/settings.ts';
import { listPauseReasons } from '../../src/config/repositories/pause-reasons.ts';
import { listExtensions } from '../../src/config/repositories/extensions.ts';
import { appendAudit } from '../../src/config/repositories/audit.ts';

const NODE = process.execPath;

/** The files that hold data (-shm is SQLite's index of the log, rebuilt at will), to prove a refused store kept every byte. */
function snapshot(dir: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const suffix of ['', '-wal', '-journal']) {
    const f = path.join(dir, DATABASE_FILE + suffix);
    if (existsSync(f)) m.set(suffix, readFileSync(f).toString('base64'));
  }
  return m;
}

function assertRefused(dir: string, pattern: RegExp): void {
  const before = snapshot(dir);
  assert.throws(
    () => openDatabase(dir),
    (err: unknown) => {
      assert.ok(err instanceof ConfigStoreError, `expected ConfigStoreError, got ${String(err)}`);
      assert.match(err.message, pattern);
      assert.doesNotMatch(err.message, /\n/, 'one line');
      return true;
    },
  );
  assert.deepEqual(snapshot(dir), before, 'a refused file is left byte for byte as it was');
}

test('a fresh data dir gets a WAL database at the current schema, with foreign keys and a busy timeout', (t) => {
  const dir = path.join(tempDir(t), 'nested', 'data');
  const db = openDatabase(dir);
  t.after(() => db.close());
  assert.ok(existsSync(path.join(dir, 'callbox.db')));
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  assert.ok((db.pragma('busy_timeout', { simple: true }) as number) >= 1000);
  assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  assert.equal(db.pragma('application_id', { simple: true }), CALLBOX_APPLICATION_ID);
  assert.equal(getSettings(db).revision, 0);
});

test('migrations are numbered 1..N without gaps, and there is more than one', () => {
  assert.ok(migrations.length >= 2);
  migrations.forEach((m, i) => assert.equal(m.version, i + 1, `migration ${i} has version ${m.version}`));
});

test('reopening a current database changes nothing and keeps the data', (t) => {
  const dir = tempDir(t);
  const db = openDatabase(dir);
  appendAudit(db, { actor: 't', action: 'x' });
  db.close();
  const again = openDatabase(dir);
  t.after(() => again.close());
  assert.equal((again.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n, 1);
});

test('a database of the previous schema version is migrated and keeps its data', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'callbox.db');
  {
    // What the previous firmware left behind: schema v1 with a configuration in it.
    const old = new BetterSqlite3(file);
    old.pragma('journal_mode = WAL');
    migrate(old, SCHEMA_VERSION - 1);
    assert.equal(old.pragma('user_version', { simple: true }), SCHEMA_VERSION - 1);
    old.prepare("INSERT INTO extensions (number, name, password) VALUES ('1001', 'Alice', 'alice-secret-1')").run();
    old.prepare("UPDATE settings SET site_name = 'Old Site', revision = 7 WHERE id = 1").run();
    old.close();
  }
  const db = openDatabase(dir);
  t.after(() => db.close());
  assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  assert.equal(getSettings(db).site.name, 'Old Site');
  assert.equal(getSettings(db).revision, 7);
  const [ext] = listExtensions(db);
  assert.equal(ext?.password, 'alice-secret-1');
  assert.equal(ext?.ring_timeout_s, 30, 'options added later read with their defaults');
  assert.deepEqual(listPauseReasons(db), [], 'the new table exists');
});

test('an empty (zero-byte) file is initialised', (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'callbox.db'), '');
  const db = openDatabase(dir);
  t.after(() => db.close());
  assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
});

test('a text file in place of the database is refused and left unchanged', (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'callbox.db'), 'these are my notes, not a database\n'.repeat(20));
  assertRefused(dir, /is not a SQLite database.*move it away/);
});

test("another program's SQLite database is refused and left unchanged", (t) => {
  const dir = tempDir(t);
  const foreign = new BetterSqlite3(path.join(dir, 'callbox.db'));
  foreign.exec("CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('x');");
  foreign.pragma('user_version = 1');
  foreign.close();
  assertRefused(dir, /SQLite database of another program/);
});

test("another program's database in WAL mode is refused without creating journal files", (t) => {
  const dir = tempDir(t);
  const foreign = new BetterSqlite3(path.join(dir, 'callbox.db'));
  foreign.pragma('journal_mode = WAL');
  foreign.exec('CREATE TABLE t (x)');
  foreign.close();
  assertRefused(dir, /another program/);
  assert.ok(!existsSync(path.join(dir, 'callbox.db-wal')));
});

test("another program's database that still lives in its write-ahead log is refused and left unchanged", (t) => {
  const source = tempDir(t);
  const foreign = new BetterSqlite3(path.join(source, 'callbox.db'));
  foreign.pragma('journal_mode = WAL');
  foreign.pragma('wal_autocheckpoint = 0');
  foreign.exec("CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('x');");
  const dir = tempDir(t);
  for (const suffix of ['', '-wal']) copyFileSync(path.join(source, `callbox.db${suffix}`), path.join(dir, `callbox.db${suffix}`));
  foreign.close();
  assertRefused(dir, /SQLite database of another program/);
});

test('a database written by a newer firmware is refused and never altered', (t) => {
  const dir = tempDir(t);
  const db = openDatabase(dir);
  db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  db.close();
  assertRefused(dir, new RegExp(`newer Callbox firmware \\(schema version ${SCHEMA_VERSION + 1}, this firmware knows up to ${SCHEMA_VERSION}\\)`));
  const check = new BetterSqlite3(path.join(dir, 'callbox.db'), { readonly: true });
  assert.equal(check.pragma('user_version', { simple: true }), SCHEMA_VERSION + 1);
  check.close();
});

test('a newer firmware schema still in the write-ahead log is refused, and the log is not folded into the file', (t) => {
  const source = tempDir(t);
  openDatabase(source).close();
  const db = new BetterSqlite3(path.join(source, 'callbox.db'));
  db.pragma('wal_autocheckpoint = 0');
  db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  // A copy taken while the newer firmware ran: its header still says the old version, its log the new one.
  const dir = tempDir(t);
  for (const suffix of ['', '-wal']) copyFileSync(path.join(source, `callbox.db${suffix}`), path.join(dir, `callbox.db${suffix}`));
  db.close();
  const header = readFileSync(path.join(dir, 'callbox.db')).readUInt32BE(60);
  assert.equal(header, SCHEMA_VERSION, 'the file header lags behind the log');
  const before = [readFileSync(path.join(dir, 'callbox.db')), readFileSync(path.join(dir, 'callbox.db-wal'))];
  assert.throws(() => openDatabase(dir), /newer Callbox firmware \(schema version/);
  assert.deepEqual([readFileSync(path.join(dir, 'callbox.db')), readFileSync(path.join(dir, 'callbox.db-wal'))], before);
});

test('a corrupt Callbox database is refused and left unchanged', (t) => {
  const dir = tempDir(t);
  const db = openDatabase(dir);
  const insert = db.prepare("INSERT INTO audit_log (at, actor, action, detail) VALUES ('now', 'test', 'fill', ?)");
  for (let i = 0; i < 300; i++) insert.run('x'.repeat(500));
  db.close();
  const file = path.join(dir, 'callbox.db');
  const bytes = readFileSync(file);
  assert.ok(bytes.length > 8 * 4096);
  // Garbage over the b-tree pages after the header page.
  for (let i = 4096; i < bytes.length - 4096; i += 7) bytes[i] = (i * 31) & 0xff;
  writeFileSync(file, bytes);
  assertRefused(dir, /is corrupt.*restore a backup/);
});

test('a directory in place of the database file is refused', (t) => {
  const dir = tempDir(t);
  mkdirSync(path.join(dir, 'callbox.db'));
  assert.throws(() => openDatabase(dir), /callbox\.db is not a regular file: move it away/);
});

test('a data dir that cannot be created gives one clear line', (t) => {
  const root = tempDir(t);
  writeFileSync(path.join(root, 'file'), 'x');
  assert.throws(() => openDatabase(path.join(root, 'file', 'data')), (err: unknown) => {
    assert.ok(err instanceof ConfigStoreError);
    assert.match(err.message, /does not exist and cannot be created \(ENOTDIR\).*CALLBOX_DATA_DIR/);
    return true;
  });
});

test('a data dir that is not writable gives one clear line', (t) => {
  const root = tempDir(t);
  chmodSync(root, 0o755);
  const dir = path.join(root, 'data');
  mkdirSync(dir, { mode: 0o555 });
  chmodSync(dir, 0o555);
  const script = `import { openDatabase } from ${JSON.stringify(new URL('../../src/config/database.ts', import.meta.url).href)};
try { openDatabase(${JSON.stringify(dir)}); console.log('OPENED'); } catch (e) { console.log(e.name + ': ' + e.message); }`;
  // root writes anywhere, so the check runs as an unprivileged user when the tests run as root.
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const r = spawnSync(NODE, ['--input-type=module', '-e', script], { encoding: 'utf8', ...asUser });
  assert.match(r.stdout, /^ConfigStoreError: data directory .* is not writable \(EACCES\).*CALLBOX_DATA_DIR/m, r.stdout + r.stderr);
  assert.equal(statSync(dir).mode & 0o777, 0o555);
});
