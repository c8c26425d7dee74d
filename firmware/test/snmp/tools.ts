import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import type { Logger } from '../../src/log.ts';

const run = promisify(execFile);

export const REPO = path.resolve(import.meta.dirname, '../../..');
export const MIB_DIR = path.join(REPO, 'firmware/mibs');
/** Debian ships no base MIB modules (snmp-mibs-downloader is non-free); net-snmp from npm carries SNMPv2-SMI/TC/CONF. */
export const BASE_MIB_DIR = path.join(REPO, 'node_modules/net-snmp/lib/mibs');
/** -M replaces the search path and -m names the only modules to load, so the tools print no missing-module noise. */
export const MIB_ARGS = ['-M', `${MIB_DIR}:${BASE_MIB_DIR}`, '-m', 'CALLBOX-MIB'];

export interface ToolResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs a Net-SNMP command-line tool; never throws on a non-zero exit (tests assert on it). */
export async function tool(cmd: string, args: string[], opts: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<ToolResult> {
  try {
    const r = await run(cmd, args, { timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, SNMPCONFPATH: '/nonexistent', MIBS: '', ...opts.env } });
    return { stdout: r.stdout, stderr: r.stderr, code: 0 };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; code?: number | string };
    return { stdout: err.stdout ?? '', stderr: err.stderr ?? '', code: typeof err.code === 'number' ? err.code : -1 };
  }
}

export const V3_USER = { name: 'nms', auth: { protocol: 'sha256' as const, password: 'auth-pass-123' }, priv: { protocol: 'aes' as const, password: 'priv-pass-456' } };
export const V3_SHA1_USER = { name: 'legacy', auth: { protocol: 'sha' as const, password: 'legacy-auth-1' }, priv: { protocol: 'aes' as const, password: 'legacy-priv-1' } };

/** Net-SNMP command-line security arguments for a configured user (optionally with wrong passwords). */
export function v3Args(u: typeof V3_USER | typeof V3_SHA1_USER, override: { authPassword?: string; name?: string } = {}): string[] {
  return ['-v3', '-l', 'authPriv', '-u', override.name ?? u.name, '-a', u.auth.protocol === 'sha256' ? 'SHA-256' : 'SHA', '-A', override.authPassword ?? u.auth.password, '-x', 'AES', '-X', u.priv.password];
}

/** A logger whose JSON lines the test can read (and print with CALLBOX_TEST_LOG=1). */
export function captureLogger(): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: 'debug' }, {
    write: (s: string) => {
      lines.push(JSON.parse(s) as Record<string, unknown>);
      if (process.env['CALLBOX_TEST_LOG']) process.stderr.write(s);
    },
  });
  return { log, lines };
}
