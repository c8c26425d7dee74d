import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir } from '../helpers/tmp.ts';
import { openDatabase } from '../../src/config/database.ts';
import { ensureFirstBoot } from '../../src/config/first-boot.ts';
import { checkPassword, getUser } from '../../src/config/repositories/users.ts';
import { getSettings } from '../../src/config/repositories/settings.ts';

test('first boot creates admin with a generated password that must be changed, and a drachtio secret', (t) => {
  const dir = tempDir(t);
  const db = openDatabase(dir);
  const boot = ensureFirstBoot(db);
  assert.equal(boot.createdAdmin, true);
  assert.match(boot.generatedAdminPassword ?? '', /^[A-Za-z0-9]{16}$/);
  assert.match(boot.drachtioSecret, /^[A-Za-z0-9]{32}$/);
  assert.equal(getUser(db, 'admin')?.role, 'admin');
  assert.equal(getUser(db, 'admin')?.mustChangePassword, true);
  assert.ok(checkPassword(db, 'admin', boot.generatedAdminPassword ?? ''));
  db.close();

  // The next start: nothing new, the password is not shown again, the secret is the stored one.
  const again = openDatabase(dir);
  t.after(() => again.close());
  const next = ensureFirstBoot(again);
  assert.deepEqual(next, { createdAdmin: false, drachtioSecret: boot.drachtioSecret });
  assert.ok(checkPassword(again, 'admin', boot.generatedAdminPassword ?? ''));
  assert.notEqual(getSettings(again).firstBootAt, null);
});

test('first boot uses the given admin password and drachtio secret', (t) => {
  const db = openDatabase(tempDir(t));
  t.after(() => db.close());
  const boot = ensureFirstBoot(db, { adminPassword: 'given-admin-password', drachtioSecret: 'given-drachtio-secret' });
  assert.deepEqual(boot, { createdAdmin: true, drachtioSecret: 'given-drachtio-secret' });
  assert.ok(checkPassword(db, 'admin', 'given-admin-password'));
  assert.equal(getUser(db, 'admin')?.mustChangePassword, true);
  assert.equal(getSettings(db).drachtioSecret, 'given-drachtio-secret');
  // A later start with another secret in the environment: that one wins, so engine and apps agree.
  assert.equal(ensureFirstBoot(db, { drachtioSecret: 'rotated-drachtio-secret' }).drachtioSecret, 'rotated-drachtio-secret');
  assert.equal(getSettings(db).drachtioSecret, 'rotated-drachtio-secret');
  assert.equal(ensureFirstBoot(db, { adminPassword: 'other-password' }).createdAdmin, false);
  assert.equal(checkPassword(db, 'admin', 'other-password'), undefined, 'an existing admin is not reset');
});
