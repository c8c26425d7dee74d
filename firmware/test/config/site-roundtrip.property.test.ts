import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { tempDir } from '../helpers/tmp.ts';
import { openDatabase } from '../../src/config/database.ts';
import { applySiteFile } from '../../src/config/site-apply.ts';
import { exportSiteFile, readSite } from '../../src/config/site-export.ts';
import { QUEUE_STRATEGIES } from '../../src/config/site-schema.ts';

/** Random valid sites: extensions (some agents), queues over the agents, trunks, and routes to what exists. */
const siteArb = fc
  .record({
    extensions: fc.uniqueArray(fc.integer({ min: 100, max: 999 }), { minLength: 1, maxLength: 12 }),
    agentMask: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
    skills: fc.array(fc.dictionary(fc.constantFrom('billing', 'sales', 'german', 'tech'), fc.integer({ min: 1, max: 5 })), { minLength: 12, maxLength: 12 }),
    queueCount: fc.integer({ min: 0, max: 4 }),
    strategies: fc.array(fc.constantFrom(...QUEUE_STRATEGIES), { minLength: 4, maxLength: 4 }),
    penalties: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 12, maxLength: 12 }),
    ringTimeouts: fc.array(fc.integer({ min: 5, max: 60 }), { minLength: 4, maxLength: 4 }),
    trunks: fc.integer({ min: 1, max: 3 }),
    withPasswords: fc.boolean(),
  })
  .map((r) => {
    const extensions = r.extensions.map((n, i) => ({
      number: String(n),
      name: `Person ${n}`,
      ...(r.withPasswords ? { password: `secret-${n}-abcdef` } : {}),
      ...(r.agentMask[i] === true ? { agent: { skills: r.skills[i] ?? {} } } : {}),
    }));
    const agents = extensions.filter((e) => 'agent' in e).map((e) => e.number);
    const queues = Array.from({ length: r.queueCount }, (_, q) => ({
      number: String(5000 + q),
      name: `Queue ${q}`,
      strategy: r.strategies[q],
      ring_timeout_s: r.ringTimeouts[q],
      members: agents.filter((_, i) => (i + q) % 2 === 0).map((a, i) => ((r.penalties[i] ?? 0) === 0 ? a : { extension: a, penalty: r.penalties[i] })),
      ...(q > 0 ? { overflow: { after_s: 60, to: `queue:${5000 + q - 1}` } } : {}),
    }));
    const trunks = Array.from({ length: r.trunks }, (_, i) => ({ name: `carrier-${i}`, host: '127.0.0.1', port: 5080 + i }));
    const targets = [...extensions.map((e) => `extension:${e.number}`), ...queues.map((q) => `queue:${q.number}`), 'hangup'];
    return stringify({
      version: 1,
      site: { name: 'Random', timezone: 'UTC', country: 'US', language: 'en' },
      extensions,
      queues,
      trunks,
      routes: {
        inbound: targets.map((to, i) => ({ did: `+1555000${String(i).padStart(4, '0')}`, to })),
        outbound: [{ pattern: '1XXXXXXXXXX', trunks: trunks.map((t) => t.name) }],
      },
    });
  });

test('any valid site applies, exports, and re-applies as a no-op; the export rebuilds the same store elsewhere', (t) => {
  fc.assert(
    fc.property(siteArb, (text) => {
      const db = openDatabase(tempDir(t));
      const other = openDatabase(tempDir(t));
      try {
        const first = applySiteFile(db, text);
        assert.ok(first.ok, first.ok ? '' : JSON.stringify(first.errors));
        const exported = exportSiteFile(db);
        const again = applySiteFile(db, exported);
        assert.ok(again.ok);
        assert.equal(again.revision, first.revision);
        assert.equal(exportSiteFile(db), exported);
        assert.ok(applySiteFile(other, exported).ok);
        assert.deepEqual(readSite(other), readSite(db));
      } finally {
        db.close();
        other.close();
      }
    }),
    { numRuns: 25 },
  );
});
