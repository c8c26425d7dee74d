import { readEnv } from '../env.ts';
import { isSea } from 'node:sea';
import { detectBoard } from '../platform/board.ts';
import { checkBoard, checkDataDir, checkGpioLibrary, checkNode, checkPorts, checkRtpengine, checkSqlite, type CheckResult } from './selftest-checks.ts';

function table(rows: CheckResult[]): string {
  const w = Math.max(...rows.map((r) => r.check.length), 5);
  const lines = [`${'CHECK'.padEnd(w)}  RESULT  DETAIL`];
  for (const r of rows) {
    lines.push(`${r.check.padEnd(w)}  ${r.ok ? 'ok  ' : 'FAIL'}    ${r.detail}`);
    if (!r.ok && r.fix) lines.push(`${''.padEnd(w)}          fix: ${r.fix}`);
  }
  return lines.join('\n');
}

/** Checks this machine can run Callbox; exit status 1 when any check fails. */
export async function selftestCommand(): Promise<number> {
  const env = readEnv();
  const rows: CheckResult[] = [checkNode(), checkDataDir(env)];
  const dataDirOk = rows[1]?.ok === true;
  if (dataDirOk) rows.push(checkSqlite(env));
  rows.push(checkBoard());
  // A developer checkout has no GPIO to drive (and npm does not build the addon); a board and the packaged firmware do.
  if (isSea() || detectBoard().board.id !== 'simulated') rows.push(await checkGpioLibrary());
  rows.push(...(await checkPorts(env)));
  if (dataDirOk) rows.push(await checkRtpengine(env));
  console.log(table(rows));
  const failed = rows.filter((r) => !r.ok).length;
  console.log(failed ? `\n${failed} check(s) failed.` : '\nall checks passed.');
  return failed ? 1 : 0;
}
