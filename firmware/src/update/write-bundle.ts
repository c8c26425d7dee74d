import { createHash, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { createReadStream, lstatSync, readdirSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { encodeHeader, signedBytes } from './container.ts';
import { keyId } from './keys.ts';
import { manifestSchema, formatManifestIssues, type Manifest } from './manifest.ts';

export interface BundleSource {
  /** Path inside the bundle (and the slot), e.g. bin/callbox. */
  path: string;
  /** File on this machine. */
  source: string;
  executable: boolean;
}

export interface CreateBundleOptions {
  out: string;
  privateKey: KeyObject;
  kind: Manifest['kind'];
  version: string;
  commit: string;
  boards: string[];
  arch: Manifest['arch'];
  files: BundleSource[];
  created?: Date;
}

/** Every regular file under dir, sorted, as bundle sources; links and devices are refused (a slot holds plain files). */
export function collectTree(dir: string): BundleSource[] {
  const out: BundleSource[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const relPath = rel === '' ? name : `${rel}/${name}`;
      const st = lstatSync(path.join(dir, relPath));
      if (st.isDirectory()) walk(relPath);
      else if (st.isFile()) out.push({ path: relPath, source: path.join(dir, relPath), executable: (st.mode & 0o111) !== 0 });
      else throw new Error(`${path.join(dir, relPath)} is neither a file nor a folder; bundles hold plain files only`);
    }
  };
  walk('');
  return out;
}

async function hashFile(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** Writes a signed bundle to opts.out (through a temporary file, so a failed run leaves no half bundle). */
export async function createBundle(opts: CreateBundleOptions): Promise<Manifest> {
  const files = [];
  for (const f of opts.files) files.push({ path: f.path, ...(await hashFile(f.source)), executable: f.executable });
  const candidate = {
    kind: opts.kind,
    version: opts.version,
    commit: opts.commit,
    created: (opts.created ?? new Date()).toISOString(),
    boards: opts.boards,
    arch: opts.arch,
    keyId: keyId(createPublicKey(opts.privateKey)),
    files,
  };
  const parsed = manifestSchema.safeParse(candidate);
  if (!parsed.success) throw new Error(`cannot make this bundle: ${formatManifestIssues(parsed.error)}`);
  const manifest = Buffer.from(JSON.stringify(parsed.data, null, 2) + '\n', 'utf8');
  const signature = sign(null, signedBytes(manifest), opts.privateKey);

  const tmp = `${opts.out}.tmp-${process.pid}`;
  const fh = await open(tmp, 'w', 0o644);
  try {
    await fh.write(encodeHeader(manifest, signature));
    for (const [i, f] of opts.files.entries()) {
      // Re-hash while copying: a file that changed since it was hashed would make a bundle that never verifies.
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(f.source)) {
        hash.update(chunk as Buffer);
        await fh.write(chunk as Buffer);
      }
      if (hash.digest('hex') !== files[i]?.sha256) throw new Error(`${f.source} changed while the bundle was written`);
    }
    await fh.sync();
    await fh.close();
    await rename(tmp, opts.out);
  } catch (err) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  }
  return parsed.data;
}
