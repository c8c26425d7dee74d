import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import { ExtensionDirectory } from '../../src/calls/extension-directory.ts';
import { openDatabase } from '../../src/config/database.ts';
import { applySiteFile } from '../../src/config/site-apply.ts';
import { tempDir } from '../helpers/tmp.ts';
import { testSite } from './harness.ts';

/** The store, counting how often the extensions table is queried. */
function countingExtensionReads(db: Database): { db: Database; reads: () => number } {
  let reads = 0;
  const proxy = new Proxy(db, {
    get(target, prop) {
      if (prop === 'prepare') {
        return (sql: string) => {
          if (/\bFROM extensions\b/.test(sql)) reads++;
          return target.prepare(sql);
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { db: proxy, reads: () => reads };
}

test('the extension directory reads the table once per configuration revision and sees every applied change', (t) => {
  const store = openDatabase(tempDir(t));
  t.after(() => store.close());
  assert.ok(applySiteFile(store, testSite(5060), 'test').ok);
  const { db, reads } = countingExtensionReads(store);
  const directory = new ExtensionDirectory(db);

  for (let i = 0; i < 5; i++) assert.equal(directory.get('1001')?.name, 'Alice Becker');
  assert.equal(directory.get('1999'), undefined);
  assert.equal(reads(), 1);

  const changed = testSite(5060).replace('Alice Becker', 'Alice Weber').replace(/^ {2}- \{ number: "1004".*\n/m, '');
  assert.ok(applySiteFile(store, changed, 'test').ok);
  assert.equal(directory.get('1001')?.name, 'Alice Weber');
  assert.equal(directory.get('1004'), undefined);
  assert.equal(directory.get('1002')?.pickup_group, 'sales');
  assert.equal(reads(), 2);
});
