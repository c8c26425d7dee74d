import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { CALLBOX_APPLIANCE_OID, NOTIFICATIONS, NOTIFY_OBJECTS, SCALARS, TABLES, objectDef, type ObjectName } from '../../src/snmp/oids.ts';
import { tempDir } from '../helpers/tmp.ts';
import { BASE_MIB_DIR, MIB_ARGS, MIB_DIR, tool } from './tools.ts';

const smiEnv = `${MIB_DIR}:${BASE_MIB_DIR}`;

for (const file of readdirSync(MIB_DIR).filter((f) => f.endsWith('.txt'))) {
  test(`${file} passes smilint -l 6 without a single message`, async () => {
    // smilint exits 0 even on errors: its stderr/stdout is the verdict.
    const r = await tool('smilint', ['-l', '6', path.join(MIB_DIR, file)], { env: { SMIPATH: smiEnv } });
    assert.equal(r.stdout + r.stderr, '');
  });
}

test('smilint check is able to fail: a broken MIB produces messages', async (t) => {
  const dir = tempDir(t);
  const broken = readFileSync(path.join(MIB_DIR, 'CALLBOX-MIB.txt'), 'utf8').replace('cbTrunkOptionsRtt      Gauge32,', 'cbTrunkOptionsRtt      Gauge32');
  writeFileSync(path.join(dir, 'CALLBOX-MIB.txt'), broken);
  const r = await tool('smilint', ['-l', '6', path.join(dir, 'CALLBOX-MIB.txt')], { env: { SMIPATH: `${dir}:${smiEnv}` } });
  assert.notEqual(r.stdout + r.stderr, '');
});

test('oids.ts names the same OIDs as the MIB text (snmptranslate)', async () => {
  const names: string[] = [
    ...Object.keys(SCALARS),
    ...Object.keys(NOTIFY_OBJECTS),
    ...Object.values(TABLES).flatMap((t) => Object.keys(t.columns)),
  ];
  const r = await tool('snmptranslate', [...MIB_ARGS, '-On', ...names.map((n) => `CALLBOX-MIB::${n}`), ...Object.keys(NOTIFICATIONS).map((n) => `CALLBOX-MIB::${n}`)]);
  assert.equal(r.stderr, '');
  const got = r.stdout.split('\n').filter((l) => l !== '');
  const expected = [...names.map((n) => '.' + objectDef(n as ObjectName).oid), ...Object.values(NOTIFICATIONS).map((n) => '.' + n.oid)];
  assert.deepEqual(got, expected);
  const appliance = await tool('snmptranslate', [...MIB_ARGS, '-On', 'CALLBOX-ROOT-MIB::callboxAppliance']);
  assert.equal(appliance.stdout.trim(), '.' + CALLBOX_APPLIANCE_OID);
  for (const [name, table] of Object.entries(TABLES)) {
    const t = await tool('snmptranslate', [...MIB_ARGS, '-On', `CALLBOX-MIB::${name.replace(/Table$/, 'Entry')}`]);
    assert.equal(t.stdout.trim(), '.' + table.entryOid);
  }
});

test('every notification carries the objects the MIB lists', async () => {
  for (const [name, n] of Object.entries(NOTIFICATIONS)) {
    const r = await tool('snmptranslate', [...MIB_ARGS, '-Td', `CALLBOX-MIB::${name}`]);
    const objects = /OBJECTS\s*\{([^}]*)\}/.exec(r.stdout)?.[1]?.split(',').map((s) => s.trim());
    assert.deepEqual(objects, [...n.objects], name);
  }
});
