import { gzipSync } from 'node:zlib';

export interface TarEntry {
  name: string;
  data: Buffer;
  mtime?: Date;
}

const BLOCK = 512;

/** A numeric header field: octal digits, zero-padded, ending in NUL, as POSIX ustar wants. */
function octal(header: Buffer, offset: number, length: number, value: number): void {
  header.write(value.toString(8).padStart(length - 1, '0') + '\0', offset, length, 'ascii');
}

function header(e: TarEntry): Buffer {
  const name = Buffer.from(e.name, 'utf8');
  if (name.length > 100) throw new Error(`tar entry name too long: ${e.name}`);
  const h = Buffer.alloc(BLOCK);
  name.copy(h, 0);
  octal(h, 100, 8, 0o644);
  octal(h, 108, 8, 0);
  octal(h, 116, 8, 0);
  octal(h, 124, 12, e.data.length);
  octal(h, 136, 12, Math.floor((e.mtime ?? new Date()).getTime() / 1000));
  h.write('        ', 148, 8, 'ascii'); // the checksum is computed with its own field as spaces
  h.write('0', 156, 1, 'ascii'); // regular file
  h.write('ustar\0' + '00', 257, 8, 'ascii');
  h.write('callbox', 265, 32, 'ascii');
  h.write('callbox', 297, 32, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return h;
}

/**
 * A gzip-compressed POSIX tar archive of a few in-memory files (the log download): small enough to build in memory,
 * readable by `tar xzf` and every archive tool, and no dependency for something this simple.
 */
export function tarGz(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    parts.push(header(e), e.data);
    const pad = (BLOCK - (e.data.length % BLOCK)) % BLOCK;
    if (pad > 0) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(2 * BLOCK)); // end of archive
  return gzipSync(Buffer.concat(parts));
}
