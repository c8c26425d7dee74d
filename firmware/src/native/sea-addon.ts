// Native addons inside the one-file firmware. A single executable cannot `require` a .node file from within
// itself: each addon travels as a SEA asset, is written once under a content-hash name to a directory that allows
// exec (the root file system is read-only and /tmp may be noexec), and is loaded with process.dlopen. The file is
// written under a temporary name and renamed into place, so a power cut never leaves a half-written addon in use.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { getRawAsset } from 'node:sea';

function nativeDir(): string {
  const candidates = [process.env['CALLBOX_NATIVE_DIR'], '/var/lib/callbox/native', path.join(process.env['CALLBOX_DATA_DIR'] ?? './var', '.native')];
  for (const dir of candidates) {
    if (!dir) continue;
    try {
      mkdirSync(dir, { recursive: true, mode: 0o755 });
      return dir;
    } catch {
      // Read-only or missing parent: try the next place.
    }
  }
  throw new Error('no writable directory for native addons: set CALLBOX_NATIVE_DIR to a directory that allows exec');
}

const loaded = new Map<string, unknown>();

/** The exports of the addon shipped as the SEA asset `asset` (e.g. `better_sqlite3.node`). */
export function loadSeaAddon(asset: string): unknown {
  const cached = loaded.get(asset);
  if (cached) return cached;
  const bytes = Buffer.from(getRawAsset(asset));
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const file = path.join(nativeDir(), `${asset.replace(/\.node$/, '')}-${hash}.node`);
  if (!existsSync(file)) {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes, { mode: 0o755 });
    renameSync(tmp, file);
  }
  const mod = { exports: {} as unknown };
  process.dlopen(mod, file);
  loaded.set(asset, mod.exports);
  return mod.exports;
}
