import { execFile } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { logDir } from '../../log.ts';
import { tarGz, type TarEntry } from './tar.ts';

const run = promisify(execFile);

/** Enough to see what led up to a problem; the archive is built in memory, so it stays bounded. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** The recent journal of the box's services, or undefined on a machine without one for them (a developer's `make run`). */
async function journal(lines: number): Promise<string | undefined> {
  try {
    const { stdout } = await run(
      'journalctl',
      ['--no-pager', '-o', 'short-iso-precise', '-n', String(lines), '-u', 'callbox', '-u', 'callbox-sip', '-u', 'rtpengine', '-u', 'snmpd'],
      { maxBuffer: 64 * 1024 * 1024, timeout: 10_000 },
    );
    if (stdout.trim() !== '' && !/^-- No entries --\s*$/.test(stdout.trim())) return stdout;
  } catch {
    // No journalctl, or no permission to read the journal: the box's own log files still go in.
  }
  return undefined;
}

/** The end of a file (the newest lines), at most MAX_FILE_BYTES of it. */
async function tail(file: string): Promise<TarEntry | undefined> {
  try {
    const s = await stat(file);
    if (!s.isFile()) return undefined;
    const data = await readFile(file);
    return { name: path.basename(file), data: data.length > MAX_FILE_BYTES ? data.subarray(data.length - MAX_FILE_BYTES) : data, mtime: s.mtime };
  } catch {
    return undefined; // rotated away between listing and reading
  }
}

/** Files the box writes for diagnosis next to its data: its own logs and the SIP message trace. */
async function logFiles(dataDir: string): Promise<string[]> {
  const list = async (dir: string, keep: (n: string) => boolean) => {
    try {
      return (await readdir(dir)).filter(keep).sort().map((n) => path.join(dir, n));
    } catch {
      return [];
    }
  };
  // The SIP engine's message trace (sip-trace.txt and its rotated copy), not the switch file beside it.
  return [...(await list(logDir(dataDir), () => true)), ...(await list(dataDir, (n) => /^sip-trace\.txt(\.\d+)?$/.test(n)))];
}

/**
 * The diagnosis bundle the System page downloads: the box's own log files (which exist on every machine, journal
 * or not), the SIP trace when one was written, and the journal of the services where there is one, as a .tar.gz.
 */
export async function logBundle(dataDir: string, journalLines = 5000): Promise<Buffer> {
  const entries: TarEntry[] = [];
  for (const f of await logFiles(dataDir)) {
    const e = await tail(f);
    if (e !== undefined) entries.push(e);
  }
  const j = await journal(journalLines);
  if (j !== undefined) entries.push({ name: 'journal.txt', data: Buffer.from(j) });
  if (entries.length === 0) entries.push({ name: 'README.txt', data: Buffer.from('No log files and no journal entries for the Callbox services on this machine.\n') });
  return tarGz(entries.map((e) => ({ ...e, name: `callbox-logs/${e.name}` })));
}
