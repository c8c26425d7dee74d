import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatForTrunk, toE164 } from '../../src/trunks/number-format.ts';
import { TrunkRegistry } from '../../src/trunks/trunk-registry.ts';
import { openDatabase } from '../../src/config/database.ts';
import { applySiteFile } from '../../src/config/site-apply.ts';
import { tempDir } from '../helpers/tmp.ts';

test('dialled numbers become E.164 with the site country; trunks get their format', () => {
  assert.equal(toE164('030 1234567', 'DE'), '+49301234567');
  assert.equal(toE164('0049301234567', 'DE'), '+49301234567');
  assert.equal(toE164('+14155552671', 'DE'), '+14155552671');
  assert.equal(toE164('4930123458', 'DE'), '+4930123458', 'international form without the plus, as carriers send it');
  assert.equal(toE164('(415) 555-2671', 'US'), '+14155552671');
  assert.equal(toE164('12', 'DE'), undefined);
  assert.equal(formatForTrunk('+49301234567', 'e164', 'DE'), '+49301234567');
  assert.equal(formatForTrunk('+49301234567', 'e164-no-plus', 'DE'), '49301234567');
  assert.equal(formatForTrunk('+49301234567', 'national', 'DE'), '0301234567');
});

test('a request is matched to a trunk by host and port first, then by address and inbound networks', (t) => {
  const db = openDatabase(tempDir(t));
  t.after(() => {
    db.close();
  });
  const site = `
version: 1
site: { name: T, timezone: Europe/Berlin, country: DE, language: en }
trunks:
  - { name: a, host: 192.0.2.10, port: 5060 }
  - { name: b, host: 192.0.2.10, port: 5080 }
  - { name: c, host: 198.51.100.1, inbound_addresses: ["203.0.113.0/28"] }
`;
  const r = applySiteFile(db, site, 'test');
  assert.ok(r.ok);
  const trunks = new TrunkRegistry(db);
  assert.equal(trunks.matchSource('192.0.2.10', 5080)?.name, 'b');
  assert.equal(trunks.matchSource('192.0.2.10', 5060)?.name, 'a');
  assert.equal(trunks.matchSource('192.0.2.10', 40000)?.name, 'a', 'another port of a known host: the first trunk on it');
  assert.equal(trunks.matchSource('203.0.113.7', 5060)?.name, 'c');
  assert.equal(trunks.matchSource('203.0.113.17', 5060), undefined);
});
