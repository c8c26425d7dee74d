import { execFile } from 'node:child_process';
import { open, mkdir, readdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';

const run = promisify(execFile);

/** An uploaded prompt's name: what follows `custom/` in the site file. */
export const uploadNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be letters, digits, "-" or "_" (at most 64), starting with a letter or digit');

/** Longer than this is not a prompt (music on hold loops, so it needs no more either). */
const MAX_SECONDS = 600;

export class PromptUploadError extends Error {}

export interface UploadedPrompt {
  /** The prompt name for the site file, e.g. `custom/holiday-2026`. */
  prompt: string;
  bytes: number;
  durationS: number;
  modified: string;
}

/** WAV by its RIFF/WAVE header; MP3 by an ID3 tag or an MPEG audio frame sync. */
async function sniff(file: string): Promise<'wav' | 'mp3' | undefined> {
  const fh = await open(file, 'r');
  try {
    const head = Buffer.alloc(12);
    const { bytesRead } = await fh.read(head, 0, 12, 0);
    if (bytesRead >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WAVE') return 'wav';
    if (bytesRead >= 3 && head.toString('latin1', 0, 3) === 'ID3') return 'mp3';
    if (bytesRead >= 2 && head[0] === 0xff && ((head[1] as number) & 0xe0) === 0xe0) return 'mp3';
    return undefined;
  } finally {
    await fh.close();
  }
}

async function durationOf(file: string): Promise<number> {
  const { stdout } = await run('soxi', ['-D', file]);
  return Number.parseFloat(stdout.trim());
}

/**
 * Converts an uploaded WAV or MP3 into the built prompts' format (8 kHz mono 16-bit PCM WAV, normalised like
 * them) and stores it as `<dir>/<name>.wav`, replacing an older one only once the new one is complete. Files
 * that are no audio, that sox cannot read, that are silent-empty or too long are refused with the reason.
 */
export async function importPrompt(source: string, dir: string, name: string): Promise<UploadedPrompt> {
  const kind = await sniff(source);
  if (!kind) throw new PromptUploadError('not a WAV or MP3 file');
  await mkdir(dir, { recursive: true });
  const part = path.join(dir, `.${name}.part.wav`);
  try {
    await run('sox', ['-t', kind, source, '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', '-t', 'wav', part, 'norm', '-3'], { timeout: 120_000 });
  } catch (err) {
    await unlink(part).catch(() => undefined);
    const stderr = String((err as { stderr?: unknown }).stderr ?? (err as Error).message);
    if (kind === 'mp3' && /no handler for file extension|not supported|unknown file type/i.test(stderr)) {
      throw new PromptUploadError('this box cannot read MP3 (the Debian package libsox-fmt-mp3 is missing); upload a WAV file');
    }
    throw new PromptUploadError(`the ${kind.toUpperCase()} file could not be read: ${stderr.replace(/^sox FAIL \S+:\s*/m, '').trim().split('\n')[0]}`);
  }
  const seconds = await durationOf(part).catch(() => 0);
  if (!(seconds > 0)) {
    await unlink(part).catch(() => undefined);
    throw new PromptUploadError('the file holds no audio');
  }
  if (seconds > MAX_SECONDS) {
    await unlink(part).catch(() => undefined);
    throw new PromptUploadError(`the prompt is ${Math.round(seconds)} s long; at most ${MAX_SECONDS} s are allowed`);
  }
  const file = path.join(dir, `${name}.wav`);
  await rename(part, file);
  const s = await stat(file);
  return { prompt: `custom/${name}`, bytes: s.size, durationS: Math.round(seconds * 10) / 10, modified: s.mtime.toISOString() };
}

/** The uploaded prompts, by name. */
export async function listUploadedPrompts(dir: string): Promise<UploadedPrompt[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: UploadedPrompt[] = [];
  for (const f of names.sort()) {
    if (!f.endsWith('.wav') || f.startsWith('.')) continue;
    const file = path.join(dir, f);
    const s = await stat(file);
    out.push({ prompt: `custom/${f.slice(0, -4)}`, bytes: s.size, durationS: Math.round((await durationOf(file).catch(() => 0)) * 10) / 10, modified: s.mtime.toISOString() });
  }
  return out;
}

/** Deletes an uploaded prompt; false when there was none of that name. */
export async function deleteUploadedPrompt(dir: string, name: string): Promise<boolean> {
  try {
    await unlink(path.join(dir, `${name}.wav`));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
