import { mkdirSync, readFileSync } from 'node:fs';
import { openDatabase } from '../config/database.ts';
import { applySiteFile } from '../config/site-apply.ts';
import { exportSiteFile } from '../config/site-export.ts';
import { formatSiteErrors } from '../config/format-errors.ts';
import { readEnv } from '../env.ts';

const usage = 'usage: callbox config apply FILE | callbox config export';

export async function configCommand(args: string[]): Promise<number> {
  const [sub, file, ...extra] = args;
  if ((sub !== 'apply' && sub !== 'export') || (sub === 'apply' && !file) || (sub === 'export' && file) || extra.length) {
    console.error(usage);
    return 2;
  }
  const env = readEnv();
  if (sub === 'export') {
    const db = openDatabase(env.dataDir);
    try {
      process.stdout.write(exportSiteFile(db));
    } finally {
      db.close();
    }
    return 0;
  }

  let text: string;
  try {
    text = readFileSync(file as string, 'utf8');
  } catch (err) {
    console.error(`callbox config apply: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    return 1;
  }
  mkdirSync(env.dataDir, { recursive: true });
  const db = openDatabase(env.dataDir);
  try {
    const result = applySiteFile(db, text, 'cli');
    if (!result.ok) {
      console.error(`callbox config apply: ${file} is not valid; nothing was changed:`);
      for (const line of formatSiteErrors(result.errors)) console.error(`  ${line}`);
      return 1;
    }
    console.log(`applied ${file}: configuration revision ${result.revision}`);
    return 0;
  } finally {
    db.close();
  }
}
