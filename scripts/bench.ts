// `make bench`: runs every firmware/bench/*.bench.ts one after another (never in parallel: they measure the
// machine), each writing its JSON to bench-results/<name>.json and printing its own table.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const benchDir = path.join(root, 'firmware', 'bench');
const outDir = path.join(root, 'bench-results');
mkdirSync(outDir, { recursive: true });

const only = process.argv[2];
const benches = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts') && (!only || f.startsWith(only)))
  .sort();
let failed = 0;
for (const file of benches) {
  const name = file.replace(/\.bench\.ts$/, '');
  const out = path.join(outDir, `${name}.json`);
  console.log(`\n== ${name} ==`);
  const r = spawnSync(process.execPath, [path.join(benchDir, file), out], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    failed++;
    console.log(`${name}: failed (exit ${r.status ?? r.signal})`);
  } else {
    console.log(`${name}: results in ${path.relative(root, out)}`);
  }
}
process.exitCode = failed ? 1 : 0;
