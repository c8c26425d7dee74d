import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { UpdateContext } from '../../src/update/apply.ts';
import { collectTree, createBundle } from '../../src/update/write-bundle.ts';
import type { Manifest } from '../../src/update/manifest.ts';

export const otherArch = process.arch === 'arm64' ? 'x64' : 'arm64';
export const thisArch = process.arch as 'x64' | 'arm64';

export interface Keys {
  privateKey: KeyObject;
  publicKeyPath: string;
}

/** A real ed25519 pair; the public half written where the firmware will read it. */
export function makeKeys(dir: string, name = 'update-key.pub'): Keys {
  const pair = generateKeyPairSync('ed25519');
  mkdirSync(dir, { recursive: true });
  const publicKeyPath = path.join(dir, name);
  writeFileSync(publicKeyPath, pair.publicKey.export({ format: 'pem', type: 'spki' }));
  return { privateKey: pair.privateKey, publicKeyPath };
}

/** A firmware tree like build/firmware/<arch>: an executable and assets; `bigFiles` of 256 KiB make installs take a moment. */
export function makeFirmwareTree(dir: string, version: string, bigFiles = 2): string {
  mkdirSync(path.join(dir, 'bin'), { recursive: true });
  writeFileSync(path.join(dir, 'bin', 'callbox'), `#!/bin/sh\necho callbox ${version}\n`);
  chmodSync(path.join(dir, 'bin', 'callbox'), 0o755);
  const share = path.join(dir, 'share', 'callbox');
  mkdirSync(path.join(share, 'web-ui', 'dist'), { recursive: true });
  writeFileSync(path.join(share, 'package.json'), JSON.stringify({ version }));
  writeFileSync(path.join(share, 'web-ui', 'dist', 'index.html'), `<title>Callbox ${version}</title>`);
  for (let i = 0; i < bigFiles; i++) {
    const block = Buffer.alloc(256 * 1024, `${version}:${i};`);
    writeFileSync(path.join(share, 'web-ui', 'dist', `chunk-${i}.js`), block);
  }
  return dir;
}

export async function makeBundle(
  out: string,
  tree: string,
  privateKey: KeyObject,
  opts: { version?: string; boards?: string[]; arch?: Manifest['arch'] } = {},
): Promise<string> {
  await createBundle({
    out,
    privateKey,
    kind: 'firmware',
    version: opts.version ?? '1.0.0',
    commit: 'abc123def456',
    boards: opts.boards ?? ['simulated'],
    arch: opts.arch ?? thisArch,
    files: collectTree(tree),
  });
  return out;
}

export function context(dataDir: string, publicKeyPath: string, over: Partial<UpdateContext> = {}): UpdateContext {
  return {
    dataDir,
    profile: 'dev',
    publicKeyPath,
    target: { board: 'simulated', arch: process.arch },
    rauc: { bin: '/nonexistent/rauc', systemConf: path.join(dataDir, 'no-rauc-system.conf') },
    ...over,
  };
}

/**
 * Everything under dir as "path kind detail" lines (file content hash and executable bit, link targets), to show
 * that a refused update changed nothing and that a slot holds exactly a given tree.
 */
export function snapshot(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const lines: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const r = rel === '' ? name : `${rel}/${name}`;
      const full = path.join(dir, r);
      const st = lstatSync(full);
      if (st.isSymbolicLink()) lines.push(`${r} -> ${readlinkSync(full)}`);
      else if (st.isDirectory()) {
        lines.push(`${r}/`);
        walk(r);
      } else {
        const sha = createHash('sha256').update(readFileSync(full)).digest('hex');
        lines.push(`${r} ${sha} ${(st.mode & 0o111) !== 0 ? 'x' : '-'}`);
      }
    }
  };
  walk('');
  return lines;
}
