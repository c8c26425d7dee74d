// The calls app in a child process, so a test can kill it with SIGKILL (a crash, not a shutdown).
// Usage: node app-process.ts <adminPort> <secret> <ngPort> <dataDir>
import path from 'node:path';
import pino from 'pino';
import { assetPath } from '../../src/assets.ts';
import { startCallServices } from '../../src/calls/services.ts';
import { openDatabase } from '../../src/config/database.ts';
import { NgClient } from '../../src/media/ng-client.ts';

const [adminPort, secret, ngPort, dataDir] = process.argv.slice(2) as [string, string, string, string];
const db = openDatabase(dataDir);
const ng = new NgClient({ host: '127.0.0.1', port: Number(ngPort), timeoutMs: 1000 });
await startCallServices({
  db,
  ng,
  log: pino({ level: process.env['CALLS_TEST_LOG'] ?? 'silent' }),
  engine: { host: '127.0.0.1', port: Number(adminPort), secret },
  mohFile: path.join(assetPath.prompts(), 'moh', 'default.wav'),
  mediaUp: () => true,
  onMediaChange: () => () => undefined,
  registrar: { minExpiresS: 30 },
});
console.log('calls app ready');
