// Child process for crash.test.ts: installs a bundle and prints each durable step, so the test can kill -9 it
// between (or during) them. Usage: install-child.ts BUNDLE DATA_DIR PUBLIC_KEY
import { applyUpdate } from '../../src/update/apply.ts';
import { context } from './fixtures.ts';

const [bundle, dataDir, publicKey] = process.argv.slice(2) as [string, string, string];
// Pipes are written synchronously on Linux, so a step is printed before the next one starts.
await applyUpdate(bundle, { ...context(dataDir, publicKey), onStep: (step) => process.stdout.write(`step ${step}\n`) });
process.stdout.write('done\n');
