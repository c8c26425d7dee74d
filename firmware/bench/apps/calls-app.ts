// The calls app alone in its own process, for the calls benchmark (so its memory can be measured apart from
// the SIP engine and rtpengine). Usage: node calls-app.ts <adminPort> <secret> <ngPort> <dataDir> <siteFile>
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { assetPath } from '../../src/assets.ts';
import { startCallServices } from '../../src/calls/services.ts';
import { openDatabase } from '../../src/config/database.ts';
import { applySiteFile } from '../../src/config/site-apply.ts';
import { NgClient } from '../../src/media/ng-client.ts';

const [adminPort, secret, ngPort, dataDir, siteFile] = process.argv.slice(2) as [string, string, string, string, string];
const db = openDatabase(dataDir);
const applied = applySiteFile(db, readFileSync(siteFile, 'utf8'), 'bench');
if (!applied.ok) throw new Error(JSON.stringify(applied.errors));
const ng = new NgClient({ host: '127.0.0.1', port: Number(ngPort), timeoutMs: 2000 });
const services = await startCallServices({
  db,
  ng,
  log: pino({ level: 'warn' }),
  engine: { host: '127.0.0.1', port: Number(adminPort), secret },
  mohFile: path.join(assetPath.prompts(), 'moh', 'default.wav'),
  mediaUp: () => true,
  onMediaChange: () => () => undefined,
});
console.log('calls-app connected');
process.on('SIGTERM', () => {
  void services.stop().then(() => {
    ng.close();
    db.close();
    process.exit(0);
  });
});
