import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { tempDir } from '../helpers/tmp.ts';
import { openDatabase } from '../../src/config/database.ts';
import { applySiteFile } from '../../src/config/site-apply.ts';
import { exportSiteFile } from '../../src/config/site-export.ts';
import { formatSiteErrors } from '../../src/config/format-errors.ts';
import { exampleSite, exampleSiteText, toYaml, type Doc } from './site-fixtures.ts';

interface BadCase {
  name: string;
  /** A change to the example site, or raw YAML text. */
  edit: ((d: Doc) => void) | string;
  path: string;
  message: RegExp;
  line?: number;
}

const cases: BadCase[] = [
  { name: 'unknown strategy', edit: (d) => (d.queues[1].strategy = 'fastest'), path: 'queues[1].strategy', message: /^must be one of ring-all, longest-idle, round-robin, fewest-calls, least-talk-time, linear, random, weighted-random, ring-progressively, skills$/ },
  { name: 'misspelt field', edit: (d) => (d.queues[0].stratgy = 'linear'), path: 'queues[0].stratgy', message: /not a known field/ },
  { name: 'unquoted extension number', edit: (d) => (d.extensions[0].number = 1001), path: 'extensions[0].number', message: /^must be a string \(write it in quotes, e.g. "1001"\)$/ },
  { name: 'unquoted queue member', edit: (d) => (d.queues[0].members[0] = 1001), path: 'queues[0].members[0]', message: /^must be a string or a map of fields \(write it in quotes, e.g. "1001"\)$/ },
  { name: 'extension number with letters', edit: (d) => (d.extensions[2].number = '10a3'), path: 'extensions[2].number', message: /2 to 10 digits/ },
  { name: 'duplicate extension number', edit: (d) => (d.extensions[9].number = '2002'), path: 'extensions[9].number', message: /duplicate number 2002 \(already used by extensions\[8\]\)/ },
  { name: 'queue number taken by an extension', edit: (d) => d.queues.push({ number: '2002', name: 'Extra' }), path: 'queues[2].number', message: /already extensions\[8\]/ },
  { name: 'duplicate queue number', edit: (d) => d.queues.push({ number: '501', name: 'Again' }), path: 'queues[2].number', message: /duplicate queue number 501 \(already used by queues\[1\]\)/ },
  { name: 'queue member that is no extension', edit: (d) => (d.queues[0].members[1] = '1999'), path: 'queues[0].members[1]', message: /extension 1999 does not exist/ },
  { name: 'queue member that is no agent', edit: (d) => d.queues[0].members.push('2001'), path: 'queues[0].members[4]', message: /extension 2001 is not an agent/ },
  { name: 'queue member object without agent', edit: (d) => (d.queues[1].members[3].extension = '2003'), path: 'queues[1].members[3].extension', message: /not an agent/ },
  { name: 'negative penalty', edit: (d) => (d.queues[1].members[3].penalty = -1), path: 'queues[1].members[3].penalty', message: /^must be at least 0$/ },
  { name: 'overflow to a missing queue', edit: (d) => (d.queues[0].overflow.to = 'queue:599'), path: 'queues[0].overflow.to', message: /queue 599 does not exist/ },
  { name: 'overflow to itself', edit: (d) => (d.queues[0].overflow.to = 'queue:500'), path: 'queues[0].overflow.to', message: /cannot send callers to itself/ },
  { name: 'malformed target', edit: (d) => (d.queues[0].overflow.to = 'queue:billing'), path: 'queues[0].overflow.to', message: /must be one of queue:N, extension:N, external:\+E164, ivr:NAME, callback, hangup, hangup:PROMPT/ },
  { name: 'skill proficiency above 5', edit: (d) => (d.extensions[0].agent.skills.billing = 7), path: 'extensions[0].agent.skills.billing', message: /^must be at most 5$/ },
  { name: 'missing site timezone', edit: (d) => delete d.site.timezone, path: 'site.timezone', message: /^is required$/ },
  { name: 'unknown timezone', edit: (d) => (d.site.timezone = 'Mars/Olympus'), path: 'site.timezone', message: /IANA time zone/ },
  { name: 'fixed-offset timezone', edit: (d) => (d.hours[0].timezone = '+01:00'), path: 'hours[0].timezone', message: /IANA time zone/ },
  { name: 'wrong version', edit: (d) => (d.version = 2), path: 'version', message: /^must be 1$/ },
  { name: 'short SIP password', edit: (d) => (d.extensions[1].password = 'abc'), path: 'extensions[1].password', message: /at least 8 characters/ },
  { name: 'forward to a missing extension', edit: (d) => (d.extensions[7].forward.no_answer = 'extension:2999'), path: 'extensions[7].forward.no_answer', message: /extension 2999 does not exist/ },
  { name: 'phone of a missing extension', edit: (d) => (d.phones[0].extension = '1999'), path: 'phones[0].extension', message: /extension 1999 does not exist/ },
  { name: 'inbound route to a missing IVR', edit: (d) => (d.routes.inbound[0].to = 'ivr:nope'), path: 'routes.inbound[0].to', message: /IVR flow nope does not exist/ },
  { name: 'inbound route hours without closed_to', edit: (d) => delete d.routes.inbound[1].closed_to, path: 'routes.inbound[1].closed_to', message: /hours and closed_to go together/ },
  { name: 'duplicate DID', edit: (d) => (d.routes.inbound[2].did = '+4930123456'), path: 'routes.inbound[2].did', message: /duplicate DID/ },
  { name: 'outbound route to a missing trunk', edit: (d) => (d.routes.outbound[1].trunks[0] = 'carrier-z'), path: 'routes.outbound[1].trunks[0]', message: /trunk carrier-z does not exist/ },
  { name: 'bad dial pattern', edit: (d) => (d.routes.outbound[0].pattern = '1(1)'), path: 'routes.outbound[0].pattern', message: /must be a dial pattern/ },
  { name: 'outbound route without trunks', edit: (d) => (d.routes.outbound[2].trunks = []), path: 'routes.outbound[2].trunks', message: /at least one entry/ },
  { name: 'IVR start node missing', edit: (d) => (d.ivr[0].start = 'welcome'), path: 'ivr[0].start', message: /node welcome does not exist/ },
  { name: 'IVR node of unknown type', edit: (d) => (d.ivr[0].nodes.billing.type = 'queue'), path: 'ivr[0].nodes.billing.type', message: /^must be one of announce, menu, collect, schedule, route, hangup$/ },
  { name: 'IVR menu key to a missing node', edit: (d) => (d.ivr[0].nodes.menu.options['2'] = 'node:tech'), path: 'ivr[0].nodes.menu.options["2"]', message: /node tech does not exist/ },
  { name: 'IVR menu key that is no key', edit: (d) => (d.ivr[0].nodes.menu.options['12'] = 'hangup'), path: 'ivr[0].nodes.menu.options["12"]', message: /not a valid key: must be one key/ },
  { name: 'IVR schedule with missing hours', edit: (d) => (d.ivr[0].nodes['check-hours'].hours = 'weekend'), path: 'ivr[0].nodes.check-hours.hours', message: /hours weekend do not exist/ },
  { name: 'hours closing before opening', edit: (d) => (d.hours[0].weekly[1].close = '08:00'), path: 'hours[0].weekly[1].close', message: /close must be after open/ },
  { name: 'bad weekday', edit: (d) => (d.hours[0].weekly[0].days[2] = 'wednesday'), path: 'hours[0].weekly[0].days[2]', message: /must be one of mon, tue, wed, thu, fri, sat, sun/ },
  { name: 'bad holiday date', edit: (d) => (d.hours[0].holidays[1].date = '2026-13-01'), path: 'hours[0].holidays[1].date', message: /YYYY-MM-DD/ },
  { name: 'duplicate trunk', edit: (d) => d.trunks.push({ name: 'carrier-a', host: '127.0.0.1' }), path: 'trunks[2].name', message: /duplicate trunk carrier-a/ },
  { name: 'trunk port out of range', edit: (d) => (d.trunks[0].port = 70000), path: 'trunks[0].port', message: /at most 65535/ },
  { name: 'SNMP auth password too short', edit: (d) => (d.snmp.users[0].auth.password = 'short'), path: 'snmp.users[0].auth.password', message: /at least 8 characters/ },
  { name: 'SNMP v3 receiver without user', edit: (d) => delete d.snmp.trap_receivers[0].user, path: 'snmp.trap_receivers[0].user', message: /is required/ },
  { name: 'SNMP receiver of an unknown user', edit: (d) => (d.snmp.trap_receivers[0].user = 'ghost'), path: 'snmp.trap_receivers[0].user', message: /no SNMPv3 user named ghost in snmp.users/ },
  { name: 'SNMP mode', edit: (d) => (d.snmp.mode = 'master'), path: 'snmp.mode', message: /must be one of standalone, agentx/ },
  { name: 'community without networks', edit: (d) => (d.snmp.communities = [{ name: 'public', networks: [] }]), path: 'snmp.communities[0].networks', message: /at least one entry/ },
  { name: 'recording of a missing queue', edit: (d) => (d.recording.queues[1] = '777'), path: 'recording.queues[1]', message: /queue 777 does not exist/ },
  { name: 'unknown role', edit: (d) => (d.users[0].role = 'owner'), path: 'users[0].role', message: /must be one of admin, supervisor, installer, agent, auditor/ },
  { name: 'new user without a password', edit: (d) => d.users.push({ username: 'carol', role: 'auditor' }), path: 'users[2].password', message: /required for the new user carol/ },
  { name: 'user with password and hash', edit: (d) => (d.users[1].password_hash = 'scrypt$1$1$1$AA==$AA=='), path: 'users[1].password_hash', message: /not both/ },
  { name: 'duplicate feature code', edit: (d) => (d.feature_codes = { pickup: '*45' }), path: 'feature_codes.agent_login', message: /duplicate feature code \*45/ },
  { name: 'queues not a list', edit: (d) => (d.queues = { number: '500' }), path: 'queues', message: /^must be a list$/ },
  { name: 'YAML syntax error', edit: 'version: 1\nsite: { name: x\nextensions: []\n', path: '(yaml)', message: /^syntax error/ },
  { name: 'duplicate YAML key', edit: 'version: 1\nversion: 1\n', path: '(yaml)', message: /syntax error: Map keys must be unique/, line: 2 },
  { name: 'alias without an anchor', edit: 'version: 1\nsite: *nowhere\n', path: '(yaml)', message: /syntax error: Unresolved alias/ },
  {
    name: 'alias bomb',
    edit: `version: 1\na: &a [x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`).join('\n')}\n`,
    path: '(yaml)',
    message: /syntax error: Excessive alias count/,
  },
  { name: 'two documents', edit: 'version: 1\n---\nversion: 1\n', path: '(yaml)', message: /syntax error: Source contains multiple documents/ },
  { name: 'empty file', edit: '', path: '(file)', message: /must be a map of fields/ },
  { name: 'a list instead of a map', edit: '- a\n- b\n', path: '(file)', message: /must be a map of fields/ },
];

function storeFingerprint(dir: string): string {
  const h = createHash('sha256');
  for (const suffix of ['', '-wal']) {
    const f = path.join(dir, `callbox.db${suffix}`);
    if (existsSync(f)) h.update(readFileSync(f));
  }
  return h.digest('hex');
}

test('every bad site file is refused with the right path, and the store is left byte for byte as it was', (t) => {
  const dir = tempDir(t);
  const db = openDatabase(dir);
  t.after(() => db.close());
  const first = applySiteFile(db, exampleSiteText());
  assert.ok(first.ok, JSON.stringify(first));
  const revision = first.revision;
  const exported = exportSiteFile(db);
  const fingerprint = storeFingerprint(dir);

  const failures: string[] = [];
  for (const c of cases) {
    let text: string;
    if (typeof c.edit === 'string') text = c.edit;
    else {
      const doc = exampleSite();
      c.edit(doc);
      text = toYaml(doc);
    }
    const result = applySiteFile(db, text, 'test');
    const got = result.ok ? 'accepted' : formatSiteErrors(result.errors).join(' | ');
    const hit = result.ok ? undefined : result.errors.find((e) => e.path === c.path);
    if (result.ok || hit === undefined) failures.push(`${c.name}: expected an error at ${c.path}, got ${got}`);
    else if (!c.message.test(hit.message)) failures.push(`${c.name}: message of ${c.path} does not match ${c.message}: ${hit.message}`);
    else if (result.errors.length !== 1) failures.push(`${c.name}: expected exactly one error, got ${got}`);
    else if (c.line !== undefined && hit.line !== c.line) failures.push(`${c.name}: expected line ${c.line}, got ${hit.line}`);
    if (storeFingerprint(dir) !== fingerprint) failures.push(`${c.name}: the store changed`);
  }
  assert.deepEqual(failures, []);
  assert.equal(exportSiteFile(db), exported);
  assert.equal((db.prepare('SELECT revision FROM settings').get() as { revision: number }).revision, revision);
});

test('all errors of a file are reported at once, each with its line', (t) => {
  const db = openDatabase(tempDir(t));
  t.after(() => db.close());
  const text = exampleSiteText()
    .replace('strategy: longest-idle', 'strategy: fastest')
    .replace('name: Billing', 'name: Billing\n    colour: blue')
    .replace('mode: standalone', 'mode: master');
  const result = applySiteFile(db, text);
  assert.equal(result.ok, false);
  if (result.ok) return;
  const lines = text.split('\n');
  const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
  assert.deepEqual(
    result.errors.map((e) => [e.path, e.line]),
    [
      ['queues[0].colour', lineOf('colour: blue')],
      ['queues[1].strategy', lineOf('strategy: fastest')],
      ['snmp.mode', lineOf('mode: master')],
    ],
  );
  assert.match(formatSiteErrors(result.errors).join('\n'), /^queues\[1\]\.strategy: must be one of ring-all, .* \(line \d+\)$/m);
});

test('cross-reference errors are only checked once the shape is valid, and then all are reported', (t) => {
  const db = openDatabase(tempDir(t));
  t.after(() => db.close());
  const doc = exampleSite();
  doc.queues[0].members[0] = '1999';
  doc.routes.inbound[0].to = 'queue:999';
  doc.routes.outbound[0].trunks = ['nowhere'];
  const result = applySiteFile(db, toYaml(doc));
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.deepEqual(result.errors.map((e) => e.path).sort(), ['queues[0].members[0]', 'routes.inbound[0].to', 'routes.outbound[0].trunks[0]']);
});

test('no input crashes apply: random text and damaged copies of the example are answered, and refused ones change nothing', (t) => {
  const dir = tempDir(t);
  const db = openDatabase(dir);
  t.after(() => db.close());
  const lines = exampleSiteText().split('\n');
  const damaged = fc
    .array(fc.nat({ max: lines.length - 1 }), { minLength: 1, maxLength: 4 })
    .map((cut) => lines.filter((_, i) => !cut.includes(i)).join('\n'));
  const spliced = fc
    .tuple(fc.nat({ max: lines.length - 1 }), fc.string({ maxLength: 20 }))
    .map(([at, junk]) => lines.map((l, i) => (i === at ? l.slice(0, Math.floor(l.length / 2)) + junk : l)).join('\n'));
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 200 }), damaged, spliced), (text) => {
      const before = storeFingerprint(dir);
      const result = applySiteFile(db, text, 'fuzz');
      if (!result.ok) {
        assert.ok(result.errors.length > 0);
        for (const e of result.errors) assert.doesNotMatch(`${e.path}: ${e.message}`, /\n/, 'one line per error');
        assert.equal(storeFingerprint(dir), before);
      }
    }),
    { numRuns: 100 },
  );
});
