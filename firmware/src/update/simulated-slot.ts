import { createHash, randomBytes } from 'node:crypto';
import { open, mkdir, readdir, readFile, readlink, rename, rm, symlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { syncDir, writeFileAtomic } from './durable.ts';
import { UpdateError } from './errors.ts';
import { manifestSchema, type Manifest } from './manifest.ts';
import { forEachChunk, type VerifiedBundle } from './verify.ts';

/**
 * The install step off the board: the payload becomes `<data dir>/update/slot-b/`, the stand-in for the inactive
 * root slot, with a status that a healthy boot turns from pending to good.
 *
 * Crash safety: `slot-b` is a symbolic link to `slots/<generation>/`. A new generation is written completely beside
 * the old one (every file and folder fsynced), its status file `slots/<generation>.json` next to it, and only then
 * is a new link renamed over `slot-b`: that rename is the one step that switches from the old state to the new one.
 * Whatever a crash leaves (a partial generation, a stray link) is unreferenced and removed by the next install.
 */

export const slotLinkName = 'slot-b';

const slotStatusSchema = z.strictObject({
  slot: z.literal('b'),
  status: z.enum(['pending', 'good']),
  installedAt: z.iso.datetime(),
  markedGoodAt: z.iso.datetime().optional(),
  manifest: manifestSchema,
});
export type SlotStatus = z.infer<typeof slotStatusSchema>;

export interface SimulatedSlotOptions {
  /** `<data dir>/update`. */
  updateDir: string;
  /** Called after each durable step; tests kill the install between them. */
  onStep?: (step: string) => void;
}

async function currentGeneration(updateDir: string): Promise<string | null> {
  try {
    return path.basename(await readlink(path.join(updateDir, slotLinkName)));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** What slot-b holds, or null when nothing was ever installed. */
export async function readSimulatedSlot(updateDir: string): Promise<SlotStatus | null> {
  const gen = await currentGeneration(updateDir);
  if (gen === null) return null;
  const file = path.join(updateDir, 'slots', `${gen}.json`);
  const parsed = slotStatusSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success) throw new UpdateError('install-failed', `${file} is not a slot status file: ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}

async function removeUnreferenced(updateDir: string, keep: string | null): Promise<void> {
  const slots = path.join(updateDir, 'slots');
  for (const name of await readdir(slots).catch(() => [] as string[])) {
    if (keep !== null && (name === keep || name === `${keep}.json`)) continue;
    await rm(path.join(slots, name), { recursive: true, force: true });
  }
  for (const name of await readdir(updateDir)) {
    if (name.startsWith(`.${slotLinkName}.`)) await rm(path.join(updateDir, name), { force: true });
  }
}

async function copyEntry(bundle: FileHandle, entry: VerifiedBundle['entries'][number], dest: string): Promise<void> {
  await mkdir(path.dirname(dest), { recursive: true });
  const out = await open(dest, 'wx', entry.executable ? 0o755 : 0o644);
  try {
    // Hashed again while copying: the bundle file could have changed since it was verified.
    const hash = createHash('sha256');
    await forEachChunk(bundle, entry.offset, entry.size, async (chunk) => {
      hash.update(chunk);
      await out.write(chunk);
    });
    if (hash.digest('hex') !== entry.sha256) {
      throw new UpdateError('hash-mismatch', `${entry.path} changed in the bundle after it was verified; nothing was changed`);
    }
    await out.sync();
  } finally {
    await out.close();
  }
}

/** Every folder of the new tree, deepest first, so each one's entries are durable before its parent is synced. */
function foldersOf(root: string, manifest: Manifest): string[] {
  const dirs = new Set<string>([root]);
  for (const f of manifest.files) {
    const parts = f.path.split('/').slice(0, -1);
    for (let n = 1; n <= parts.length; n++) dirs.add(path.join(root, ...parts.slice(0, n)));
  }
  return [...dirs].sort((a, b) => b.split(path.sep).length - a.split(path.sep).length);
}

/** Installs a verified bundle into slot-b; returns the new slot status. The caller holds the install lock. */
export async function installSimulated(bundle: VerifiedBundle, opts: SimulatedSlotOptions): Promise<SlotStatus> {
  const step = opts.onStep ?? (() => undefined);
  const slots = path.join(opts.updateDir, 'slots');
  await mkdir(slots, { recursive: true });
  const previous = await currentGeneration(opts.updateDir);
  await removeUnreferenced(opts.updateDir, previous);

  const gen = `${Date.now()}-${randomBytes(4).toString('hex')}`;
  const root = path.join(slots, gen);
  try {
    const fh = await open(bundle.file, 'r');
    try {
      for (const entry of bundle.entries) {
        await copyEntry(fh, entry, path.join(root, ...entry.path.split('/')));
        step(`file ${entry.path}`);
      }
    } finally {
      await fh.close();
    }
    for (const dir of foldersOf(root, bundle.manifest)) await syncDir(dir);
    await syncDir(slots);
    step('payload synced');

    const status: SlotStatus = { slot: 'b', status: 'pending', installedAt: new Date().toISOString(), manifest: bundle.manifest };
    await writeFileAtomic(path.join(slots, `${gen}.json`), JSON.stringify(status, null, 2) + '\n');
    step('status written');

    const tmpLink = path.join(opts.updateDir, `.${slotLinkName}.${gen}`);
    await symlink(path.join('slots', gen), tmpLink);
    await rename(tmpLink, path.join(opts.updateDir, slotLinkName));
    await syncDir(opts.updateDir);
    step('switched');
    // The install is complete; leftovers of the old generation would be removed by the next install anyway.
    await removeUnreferenced(opts.updateDir, gen).catch(() => undefined);
    step('cleaned');
    return status;
  } catch (err) {
    // Nothing refers to the new generation before the switch, so removing it restores the old state exactly.
    if ((await currentGeneration(opts.updateDir)) === gen) throw err;
    await removeUnreferenced(opts.updateDir, previous).catch(() => undefined);
    throw err instanceof UpdateError ? err : new UpdateError('install-failed', `installing into ${opts.updateDir}/${slotLinkName} failed: ${(err as Error).message}; the previous slot is unchanged`);
  }
}

/** The healthy-boot step off the board: a pending slot-b becomes good. Returns the status, or null with nothing installed. */
export async function markSimulatedGood(updateDir: string): Promise<SlotStatus | null> {
  const current = await readSimulatedSlot(updateDir);
  if (current === null || current.status === 'good') return current;
  const gen = await currentGeneration(updateDir);
  const next: SlotStatus = { ...current, status: 'good', markedGoodAt: new Date().toISOString() };
  await writeFileAtomic(path.join(updateDir, 'slots', `${gen}.json`), JSON.stringify(next, null, 2) + '\n');
  return next;
}
