import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

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
