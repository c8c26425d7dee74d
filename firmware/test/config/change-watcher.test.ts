import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import pino from 'pino';
import { ConfigChangeWatcher } from '../../src/config/change-watcher.ts';
import { openDatabase } from '../../src/config/database.ts';
import { deleteUser } from '../../src/config/repositories/user-admin.ts';
import { getSnmpConfig } from '../../src/config/repositories/snmp.ts';
import { listTrunks } from '../../src/config/repositories/trunks.ts';
import { getRevision } from '../../src/config/repositories/settings.ts';
import { applySiteFile } from '../../src/config/site-apply.ts';
import { tempDir } from '../helpers/tmp.ts';

const run = promisify(execFile);
const cli = path.resolve(import.meta.dirname, '../../src/cli.ts');
const example = readFileSync(path.resolve(import.meta.dirname, '../../examples/site.yaml'), 'utf8');
const quiet = pino({ level: 'silent' });

function edited(mutate: (site: Record<string, unknown>) => void): string {
  const site = parse(example) as Record<string, unknown>;
  mutate(site);
  return stringify(site);
}

test('a site file applied by another process reaches the watchers of the parts it changed, and only those', { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  const db = openDatabase(dir);
  t.after(() => db.close());
  assert.ok(applySiteFile(db, example).ok);

  const watcher = new ConfigChangeWatcher({ db, log: quiet });
  t.after(() => watcher.stop());
  const snmpSeen: string[][] = [];
  const trunksSeen: string[][] = [];
  watcher.watch('snmp', getSnmpConfig, (c) => void snmpSeen.push(c.users.map((u) => u.name)));
  watcher.watch('trunks', listTrunks, (list) => void trunksSeen.push(list.map((tr) => tr.name)));

  // `callbox config apply` is its own process with its own connection, as on the box.
  const file = path.join(dir, 'site.yaml');
  writeFileSync(
    file,
    edited((s) => {
      const snmp = s['snmp'] as { users: unknown[] };
      snmp.users.push({ name: 'ops', auth: { password: 'ops-auth-secret' }, priv: { password: 'ops-priv-secret' } });
    }),
  );
  const before = watcher.revision;
  await run(process.execPath, [cli, 'config', 'apply', file], { env: { ...process.env, CALLBOX_DATA_DIR: dir } });
  await watcher.check();
  assert.equal(watcher.revision, before + 1);
  assert.deepEqual(snmpSeen, [['nms', 'ops']]);
  assert.deepEqual(trunksSeen, [], 'the trunks did not change, so their watcher was not called');

  // The same file again leaves the SNMP part as it is (the revision may still move: passwords in the file are
  // hashed anew), so its watcher is not called again.
  await run(process.execPath, [cli, 'config', 'apply', file], { env: { ...process.env, CALLBOX_DATA_DIR: dir } });
  await watcher.check();
  assert.equal(snmpSeen.length, 1);
  assert.equal(trunksSeen.length, 0);
});

test('the watcher polls on its own, and an unsubscribed or failing watcher does not stop the others', { timeout: 30_000 }, async (t) => {
  const db = openDatabase(tempDir(t));
  t.after(() => db.close());
  assert.ok(applySiteFile(db, example).ok);
  const watcher = new ConfigChangeWatcher({ db, log: quiet });
  t.after(() => watcher.stop());
  let failing = 0;
  let dropped = 0;
  const seen: number[] = [];
  watcher.watch('failing', listTrunks, () => {
    failing++;
    throw new Error('cannot apply');
  });
  const off = watcher.watch('dropped', listTrunks, () => void dropped++);
  off();
  const arrived = new Promise<void>((resolve) => watcher.watch('trunks', listTrunks, (list) => (seen.push(list.length), resolve())));
  watcher.start(50);

  assert.ok(applySiteFile(db, edited((s) => (s['trunks'] as { name: string; host: string }[]).push({ name: 'carrier-c', host: '127.0.0.1' }))).ok);
  await arrived;
  assert.deepEqual(seen, [3]);
  assert.equal(failing, 1);
  assert.equal(dropped, 0);
});

test('every console configuration write is a new revision: deleting a user too', (t) => {
  const db = openDatabase(tempDir(t));
  t.after(() => db.close());
  assert.ok(applySiteFile(db, example).ok);
  const before = getRevision(db);
  const name = (parse(example) as { users: { username: string }[] }).users.at(-1)?.username as string;
  assert.equal(deleteUser(db, name), true);
  assert.equal(getRevision(db), before + 1);
  assert.equal(deleteUser(db, name), false, 'nothing left to delete');
  assert.equal(getRevision(db), before + 1, 'no change, no new revision');
});
