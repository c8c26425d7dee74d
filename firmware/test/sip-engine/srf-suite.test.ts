import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

// drachtio-srf 5.0.29's own integration suite against callbox-sip (srf-suite/run.sh: SIPp on 127.0.1.x
// instead of Docker, a second engine for refer). Every one of its assertions must pass.
test("drachtio-srf's own test suite passes against the engine", () => {
  const r = spawnSync('bash', [path.join(import.meta.dirname, 'srf-suite', 'run.sh')], { encoding: 'utf8', timeout: 600_000 });
  const out = `${r.stdout}${r.stderr}`;
  const planned = [...out.matchAll(/^# tests (\d+)$/gm)].map((m) => Number(m[1]));
  const passed = [...out.matchAll(/^# pass +(\d+)$/gm)].map((m) => Number(m[1]));
  assert.equal(planned.length, 7, `all seven test files ran (uas, uac, b2b, proxy, utils, reinvite, refer):\n${out.slice(-3000)}`);
  assert.deepEqual(passed, planned, out.slice(-3000));
  assert.doesNotMatch(out, /^not ok/m, out.slice(-3000));
  assert.ok(planned.reduce((a, b) => a + b, 0) >= 77, 'every assertion of the suite counted');
});
