import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { syncDir } from './durable.ts';
import { UpdateError } from './errors.ts';
import { forEachChunk, type PayloadEntry, type VerifiedBundle } from './verify.ts';

/**
 * The install step on the board: RAUC writes the root image into the inactive slot (the one not booted) and makes
 * U-Boot try it once at the next boot; the slot stays "good" only when the firmware marks it so after a healthy
 * start (markGood). RAUC checks its own signature and `compatible` again; ours was already checked by then.
 */

export interface RaucOptions {
  /** The `rauc` command. */
  bin: string;
  /** Where the .raucb is unpacked for RAUC to read (on the data partition: the root is read-only). */
  workDir: string;
  /** Each line RAUC prints (progress), for the CLI or the web console. */
  onOutput?: (line: string) => void;
}

function run(bin: string, args: string[], onOutput?: (line: string) => void): Promise<{ code: number | null; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let partial = '';
    const onData = (b: Buffer) => {
      const parts = (partial + b.toString()).split('\n');
      partial = parts.pop() ?? '';
      for (const l of parts) {
        if (l.trim() === '') continue;
        lines.push(l);
        onOutput?.(l);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (err) => reject(new UpdateError('install-failed', `cannot run ${bin}: ${err.message}; nothing was changed`)));
    child.once('close', (code) => {
      if (partial.trim() !== '') lines.push(partial);
      resolve({ code, lines });
    });
  });
}

/** Unpacks the verified .raucb (hashing it again on the way) and hands it to `rauc install`. */
export async function installWithRauc(bundle: VerifiedBundle, opts: RaucOptions): Promise<void> {
  const entry = bundle.entries[0];
  // applyUpdate refuses firmware-only bundles on the board before it gets here.
  if (bundle.manifest.kind !== 'rauc' || entry === undefined) throw new Error('installWithRauc needs a rauc bundle');
  await mkdir(opts.workDir, { recursive: true });
  const target = path.join(opts.workDir, entry.path);
  const tmp = `${target}.tmp-${process.pid}`;
  try {
    await unpack(bundle.file, entry, tmp);
    await rename(tmp, target);
    await syncDir(opts.workDir);
  } catch (err) {
    await rm(tmp, { force: true });
    if (err instanceof UpdateError) throw err;
    throw new UpdateError('install-failed', `unpacking the RAUC bundle into ${opts.workDir} failed: ${(err as Error).message}; the running slot is unchanged`);
  }
  try {
    const { code, lines } = await run(opts.bin, ['install', target], opts.onOutput);
    if (code !== 0) {
      throw new UpdateError('install-failed', `rauc install failed (exit ${code}): ${lines.at(-1) ?? 'no output'}; the running slot is unchanged`);
    }
  } finally {
    await rm(target, { force: true });
  }
}

async function unpack(file: string, entry: PayloadEntry, dest: string): Promise<void> {
  const src = await open(file, 'r');
  try {
    // RAUC refuses a bundle that is still open for writing (it takes a read lease), so ours is closed first.
    const out = await open(dest, 'w', 0o644);
    try {
      const hash = createHash('sha256');
      await forEachChunk(src, entry.offset, entry.size, async (chunk) => {
        hash.update(chunk);
        await out.write(chunk);
      });
      if (hash.digest('hex') !== entry.sha256) throw new UpdateError('hash-mismatch', `${entry.path} changed in the bundle after it was verified; nothing was changed`);
      await out.sync();
    } finally {
      await out.close();
    }
  } finally {
    await src.close();
  }
}

/** `rauc status mark-good`: the booted slot keeps its boot tries, so U-Boot stops counting down towards a fallback. */
export async function raucMarkGood(bin: string): Promise<string> {
  const { code, lines } = await run(bin, ['status', 'mark-good']);
  if (code !== 0) throw new UpdateError('install-failed', `rauc status mark-good failed (exit ${code}): ${lines.at(-1) ?? 'no output'}`);
  return lines.at(-1) ?? 'marked the booted slot good';
}
