import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { tempDir } from '../helpers/tmp.ts';
import { spawnProcess } from '../helpers/process.ts';
import { openDatabase } from '../../src/config/database.ts';
import { applySiteFile } from '../../src/config/site-apply.ts';
import { readSite } from '../../src/config/site-export.ts';
import { getRevision } from '../../src/config/repositories/settings.ts';
import { bigSite } from './site-fixtures.ts';

const NODE = process.execPath;
const loop = new URL('./fixtures/apply-loop.ts', import.meta.url).pathname;

/** What a store holds after applying `text` alone, to compare a killed store against. */
function configurationOf(t: Parameters<typeof tempDir>[0], text: string) {
  const db = openDatabase(tempDir(t));
  try {
    const r = applySiteFile(db, text);
    assert.ok(r.ok);
    return readSite(db);
  } finally {
    db.close();
  }
}

test('kill -9 during config apply leaves the old or the new configuration, never a mix', async (t) => {
  const work = tempDir(t);
  // Different in every row and in the number of rows, so any half-applied state shows.
  const texts = { A: bigSite('A', 400, 20), B: bigSite('B', 360, 18) };
  const files = { A: path.join(work, 'a.yaml'), B: path.join(work, 'b.yaml') };
  writeFileSync(files.A, texts.A);
  writeFileSync(files.B, texts.B);
  const expected = { A: configurationOf(t, texts.A), B: configurationOf(t, texts.B) };

  const seen = { A: 0, B: 0 };
  const started = Date.now();
  let rounds = 0;

  // Three stores killed side by side (each child takes a while to start on a busy machine), bounded in rounds
  // and in time.
  const lane = async (n: number) => {
    const dataDir = path.join(work, `data-${n}`);
    const seed = openDatabase(dataDir);
    assert.ok(applySiteFile(seed, texts.A).ok);
    seed.close();
    let current: 'A' | 'B' = 'A';
    let revision = 1;
    let laneRounds = 0;
    // At least two kills per store however busy the machine is; more while time allows.
    while (laneRounds < 2 || (rounds < 30 && Date.now() - started < 15_000)) {
      laneRounds++;
      rounds++;
      const round = rounds;
      const order = current === 'A' ? [files.B, files.A] : [files.A, files.B];
      const child = spawnProcess(t, NODE, [loop, dataDir, ...order]);
      // Once one apply went through the child is warm; then kill at a random moment of the following ones.
      await child.waitFor(/applied/, 60_000); // generous: make test runs other suites beside this one
      await sleep(Math.floor(Math.random() * 250));
      child.child.kill('SIGKILL');
      const exit = await child.exited;
      assert.equal(exit.signal, 'SIGKILL', `the child was still applying when killed; output: ${child.output()}`);

      const db = openDatabase(dataDir);
      try {
        assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
        assert.deepEqual(db.pragma('foreign_key_check'), []);
        const site = readSite(db);
        const which = site.site.name === 'Site A' ? 'A' : 'B';
        assert.deepEqual(site, expected[which], `round ${round}: the store holds a mix of A and B`);
        seen[which]++;
        current = which;
        assert.ok(getRevision(db) > revision, `round ${round}: the child committed at least one apply before the kill`);
        revision = getRevision(db);
        // The revision and its audit entry commit together with the configuration.
        const applies = (db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'config.apply'").get() as { n: number }).n;
        assert.equal(revision, applies);
      } finally {
        db.close();
      }
    }
  };
  await Promise.all([1, 2, 3].map(lane));
  t.diagnostic(`${rounds} kills; the store held A ${seen.A} times and B ${seen.B} times`);
});
