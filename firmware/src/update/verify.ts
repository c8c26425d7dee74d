import { createHash, verify as verifySignature } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { readHeader } from './container.ts';
import { UpdateError } from './errors.ts';
import { keyId, loadPublicKey } from './keys.ts';
import { formatManifestIssues, manifestSchema, type Manifest, type ManifestFile } from './manifest.ts';

export interface UpdateTarget {
  /** Board id from detectBoard() (board-configs/). */
  board: string;
  /** CPU architecture of the running firmware (process.arch). */
  arch: string;
}

export interface VerifyOptions {
  publicKeyPath: string;
  target: UpdateTarget;
}

export interface PayloadEntry extends ManifestFile {
  /** Where the file's bytes start in the bundle. */
  offset: number;
}

export interface VerifiedBundle {
  file: string;
  manifest: Manifest;
  entries: PayloadEntry[];
  keyId: string;
}

export const chunkBytes = 1024 * 1024;

/** Streams [offset, offset+size) of the bundle through fn in bounded chunks. */
export async function forEachChunk(fh: FileHandle, offset: number, size: number, fn: (chunk: Buffer) => Promise<void> | void): Promise<void> {
  const buf = Buffer.alloc(Math.min(chunkBytes, Math.max(size, 1)));
  let done = 0;
  while (done < size) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, size - done), offset + done);
    if (bytesRead === 0) throw new UpdateError('truncated', `the bundle ended while reading its payload`);
    await fn(buf.subarray(0, bytesRead));
    done += bytesRead;
  }
}

export async function sha256Of(fh: FileHandle, offset: number, size: number): Promise<string> {
  const hash = createHash('sha256');
  await forEachChunk(fh, offset, size, (c) => void hash.update(c));
  return hash.digest('hex');
}

function claimedKeyId(manifest: Buffer): string | null {
  try {
    const id = (JSON.parse(manifest.toString('utf8')) as { keyId?: unknown }).keyId;
    return typeof id === 'string' && /^[0-9a-f]{16}$/.test(id) ? id : null;
  } catch {
    return null;
  }
}

/**
 * Everything that decides whether a bundle may be installed, with nothing written: the signature with the key in
 * the image, the manifest, the file's length, every payload hash, then board and architecture. The first failure
 * throws an UpdateError whose message is one line naming the file and what is wrong.
 */
export async function verifyBundle(file: string, opts: VerifyOptions): Promise<VerifiedBundle> {
  const name = path.basename(file);
  const publicKey = loadPublicKey(opts.publicKeyPath);
  const trusted = keyId(publicKey);
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    throw new UpdateError('unreadable', `cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)}); nothing was changed`);
  }
  try {
    const stat = await fh.stat();
    if (!stat.isFile()) throw new UpdateError('not-a-bundle', `${name} is not a regular file; nothing was changed`);
    const header = await readHeader(fh, stat.size, name);

    if (!verifySignature(null, header.signed, publicKey, header.signature)) {
      const claimed = claimedKeyId(header.manifest);
      const which = claimed !== null && claimed !== trusted ? `it names key ${claimed}` : 'the bundle was altered after signing';
      throw new UpdateError('bad-signature', `${name}: signature does not verify with this box's update key ${trusted} (${which}); nothing was changed`);
    }

    let json: unknown;
    try {
      json = JSON.parse(header.manifest.toString('utf8'));
    } catch {
      throw new UpdateError('bad-manifest', `${name}: the signed manifest is not JSON; nothing was changed`);
    }
    const parsed = manifestSchema.safeParse(json);
    if (!parsed.success) throw new UpdateError('bad-manifest', `${name}: the signed manifest is invalid: ${formatManifestIssues(parsed.error)}; nothing was changed`);
    const manifest = parsed.data;

    const entries: PayloadEntry[] = [];
    let offset = header.payloadOffset;
    for (const f of manifest.files) {
      entries.push({ ...f, offset });
      offset += f.size;
    }
    if (stat.size < offset) {
      throw new UpdateError('truncated', `${name} is truncated: ${offset - stat.size} of ${offset} bytes are missing; nothing was changed`);
    }
    if (stat.size > offset) {
      throw new UpdateError('not-a-bundle', `${name} has ${stat.size - offset} unexpected bytes after its payload; nothing was changed`);
    }

    for (const e of entries) {
      if ((await sha256Of(fh, e.offset, e.size)) !== e.sha256) {
        throw new UpdateError('hash-mismatch', `${name}: ${e.path} does not match its sha256 in the signed manifest (the bundle was altered); nothing was changed`);
      }
    }

    if (!manifest.boards.includes(opts.target.board)) {
      throw new UpdateError('wrong-board', `${name} is for board ${manifest.boards.join(', ')}; this is ${opts.target.board}; nothing was changed`);
    }
    if (manifest.arch !== opts.target.arch) {
      throw new UpdateError('wrong-arch', `${name} is for ${manifest.arch}; this firmware runs on ${opts.target.arch}; nothing was changed`);
    }
    return { file, manifest, entries, keyId: trusted };
  } finally {
    await fh.close();
  }
}
