import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  completePendingFactoryReset,
  factoryReset,
  FactoryResetError,
  intentFileName,
  requestFactoryReset,
  resetLogName,
  type FactoryResetPlan,
} from '../../src/platform/factory-reset.ts';
import { spawnProcess } from '../helpers/process.ts';
import { tempDir } from '../helpers/tmp.ts';

const child = fileURLToPath(new URL('./factory-reset-child.ts', import.meta.url));

/** A data directory as the appliance has it: database with WAL, secrets, users, and recordings. */
function seed(root: string): { stateDir: string; plan: FactoryResetPlan; recordings: string } {
  const data = path.join(root, 'data');
  const recordings = path.join(root, 'recordings');
  mkdirSync(path.join(data, 'secrets'), { recursive: true });
  mkdirSync(path.join(data, 'users'), { recursive: true });
  mkdirSync(path.join(recordings, '2026-12-01'), { recursive: true });
  for (const f of ['callbox.db', 'callbox.db-wal', 'callbox.db-shm']) writeFileSync(path.join(data, f), `${f} `.repeat(2000));
  for (let i = 0; i < 30; i++) writeFileSync(path.join(data, 'secrets', `key-${i}`), `secret ${i}`);
  for (let i = 0; i < 80; i++) writeFileSync(path.join(data, 'users', `user-${i}.json`), JSON.stringify({ i }));
  for (let i = 0; i < 10; i++) writeFileSync(path.join(recordings, '2026-12-01', `call-${i}.pcap`), `pcap ${i}`);
  const plan: FactoryResetPlan = {
    wipe: ['callbox.db', 'callbox.db-wal', 'callbox.db-shm', 'secrets', 'users'].map((f) => path.join(data, f)),
    recordings: [recordings],
    wipeRecordings: false,
    requestedBy: 'test',
  };
  return { stateDir: data, plan, recordings };
}

/** Every file under a path with its content, so two moments can be compared exactly. */
function fingerprint(p: string): string {
  if (!existsSync(p)) return '';
  if (statSync(p).isDirectory()) return readdirSync(p).sort().map((n) => `${n}{${fingerprint(path.join(p, n))}}`).join(',');
  return readFileSync(p, 'utf8');
}

function logLines(stateDir: string): string[] {
  const f = path.join(stateDir, resetLogName);
  return existsSync(f) ? readFileSync(f, 'utf8').trim().split('\n') : [];
}

test('a reset wipes configuration and users, keeps recordings and logs once', (t) => {
  const { stateDir, plan, recordings } = seed(tempDir(t));
  const before = fingerprint(recordings);
  const steps: string[] = [];
  factoryReset(plan, { stateDir, onStep: (s) => steps.push(s) });
  for (const p of plan.wipe) assert.equal(existsSync(p), false, p);
  assert.equal(fingerprint(recordings), before);
  assert.equal(existsSync(path.join(stateDir, intentFileName)), false);
  const [line, ...rest] = logLines(stateDir);
  assert.deepEqual(rest, []);
  assert.match(line ?? '', /"requestedBy":"test".*"recordingsWiped":false/);
  assert.deepEqual([steps[0], steps.at(-2), steps.at(-1)], ['intent', 'logged', 'done']);
  assert.equal(completePendingFactoryReset({ stateDir }), false, 'nothing is pending afterwards');
});

test('recordings are emptied only when chosen, and their mount point folders stay', (t) => {
  const { stateDir, plan, recordings } = seed(tempDir(t));
  factoryReset({ ...plan, wipeRecordings: true }, { stateDir });
  assert.deepEqual(readdirSync(recordings), []);
  assert.match(logLines(stateDir)[0] ?? '', /"recordingsWiped":true/);
});

test('plans that would wipe the reset\'s own state, the root or relative paths are refused before anything is written', (t) => {
  const { stateDir, plan } = seed(tempDir(t));
  assert.throws(() => requestFactoryReset({ ...plan, wipe: [path.dirname(stateDir)] }, { stateDir }), /contains the reset's own state folder/);
  assert.throws(() => requestFactoryReset({ ...plan, wipe: ['/'] }, { stateDir }), /refusing to wipe the root/);
  assert.throws(() => requestFactoryReset({ ...plan, wipe: ['callbox.db'] }, { stateDir }), FactoryResetError);
  assert.equal(existsSync(path.join(stateDir, intentFileName)), false);
});

test('an unreadable intent stops the boot with what to do', (t) => {
  const { stateDir } = seed(tempDir(t));
  writeFileSync(path.join(stateDir, intentFileName), '{"version":1');
  assert.throws(() => completePendingFactoryReset({ stateDir }), /is unreadable .*delete it to start without resetting/);
});

/** One run: start a reset in a child, kill it (at a durable step or at a random moment), boot, check. */
async function interruptedRun(t: Parameters<typeof tempDir>[0], run: number): Promise<{ happened: boolean; cutMidway: boolean }> {
  const { stateDir, plan, recordings } = seed(tempDir(t));
  const wipedBefore = plan.wipe.map(fingerprint);
  const recordingsBefore = fingerprint(recordings);
  // Even runs stop the child right after a durable step (intent, mid-wipe, logged, done); odd runs at a random moment.
  const killAtStep = run % 2 === 0 ? 1 + (((run / 2) * 3) % (plan.wipe.length + 3)) : null;
  const proc = spawnProcess(t, process.execPath, [child, JSON.stringify({ stateDir, plan, killAtStep })], { stdio: ['pipe', 'pipe', 'pipe'] });
  await proc.waitFor(/ready/);
  proc.child.stdin?.write('go\n');
  if (killAtStep === null) {
    await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 25)));
    proc.child.kill('SIGKILL');
  }
  await proc.exited;
  const cutMidway = existsSync(path.join(stateDir, intentFileName)) && plan.wipe.some(existsSync);

  completePendingFactoryReset({ stateDir }); // the next boot

  const wipedAfter = plan.wipe.map(fingerprint);
  const happened = wipedAfter.every((f) => f === '');
  const untouched = wipedAfter.every((f, i) => f === wipedBefore[i]);
  assert.ok(happened !== untouched, `run ${run}: half a reset (killAtStep ${killAtStep})`);
  assert.equal(fingerprint(recordings), recordingsBefore, `run ${run}: recordings changed`);
  assert.deepEqual(readdirSync(stateDir).filter((n) => n.startsWith(intentFileName)), [], `run ${run}: intent left behind`);
  assert.equal(logLines(stateDir).length, happened ? 1 : 0, `run ${run}: reset logged ${logLines(stateDir).length} times`);
  return { happened, cutMidway };
}

test('killed at random points, a reset has either happened completely or not at all after the next boot', async (t) => {
  const results: { happened: boolean; cutMidway: boolean }[] = [];
  for (let batch = 0; batch < 3; batch++) {
    results.push(...(await Promise.all([0, 1, 2, 3].map((i) => interruptedRun(t, batch * 4 + i)))));
  }
  const summary = JSON.stringify({ happened: results.filter((r) => r.happened).length, cutMidway: results.filter((r) => r.cutMidway).length });
  assert.ok(results.some((r) => r.cutMidway), `no run was cut in the middle of the wipe: ${summary}`);
  assert.ok(results.some((r) => r.happened), `no run completed: ${summary}`);
});
