import type { FileHandle } from 'node:fs/promises';
import { UpdateError } from './errors.ts';

/**
 * The bundle container (README.md in this folder): a fixed header, the manifest, its detached signature, then the
 * payload files back to back in manifest order.
 *
 *   offset  size  field
 *   0       8     magic "CBUPDATE"
 *   8       4     format version, uint32 big-endian (1)
 *   12      4     manifest length M, uint32 big-endian
 *   16      M     manifest, UTF-8 JSON
 *   16+M    4     signature length S, uint32 big-endian (64; 0 = unsigned)
 *   20+M    S     ed25519 signature over bytes [0, 16+M)
 *   20+M+S  ...   payload
 */
export const magic = Buffer.from('CBUPDATE', 'ascii');
export const formatVersion = 1;
export const maxManifestBytes = 1024 * 1024;
export const signatureBytes = 64;

/** The bytes the signature covers: magic, format version, manifest length and manifest. */
export function signedBytes(manifest: Buffer): Buffer {
  const head = Buffer.alloc(16);
  magic.copy(head, 0);
  head.writeUInt32BE(formatVersion, 8);
  head.writeUInt32BE(manifest.length, 12);
  return Buffer.concat([head, manifest]);
}

export function encodeHeader(manifest: Buffer, signature: Buffer): Buffer {
  const sigLen = Buffer.alloc(4);
  sigLen.writeUInt32BE(signature.length, 0);
  return Buffer.concat([signedBytes(manifest), sigLen, signature]);
}

export interface ParsedHeader {
  manifest: Buffer;
  signed: Buffer;
  signature: Buffer;
  payloadOffset: number;
}

async function readExactly(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return buf.subarray(0, done);
}

/** Reads and checks the header with bounded reads; nothing in it is trusted yet. */
export async function readHeader(fh: FileHandle, fileSize: number, name: string): Promise<ParsedHeader> {
  const truncated = () => new UpdateError('truncated', `${name} is truncated (the file ends inside its header); nothing was changed`);
  const head = await readExactly(fh, 0, 16);
  const magicPart = head.subarray(0, Math.min(head.length, magic.length));
  if (!magicPart.equals(magic.subarray(0, magicPart.length)) || fileSize === 0) {
    throw new UpdateError('not-a-bundle', `${name} is not a Callbox update bundle; nothing was changed`);
  }
  if (head.length < 16) throw truncated();
  const version = head.readUInt32BE(8);
  if (version !== formatVersion) {
    throw new UpdateError('unsupported-format', `${name} uses bundle format ${version}; this firmware reads format ${formatVersion}; nothing was changed`);
  }
  const manifestLength = head.readUInt32BE(12);
  if (manifestLength === 0 || manifestLength > maxManifestBytes) {
    throw new UpdateError('not-a-bundle', `${name} is not a Callbox update bundle (manifest length ${manifestLength}); nothing was changed`);
  }
  const manifest = await readExactly(fh, 16, manifestLength);
  if (manifest.length < manifestLength) throw truncated();
  const sigLenBuf = await readExactly(fh, 16 + manifestLength, 4);
  if (sigLenBuf.length < 4) throw truncated();
  const sigLength = sigLenBuf.readUInt32BE(0);
  if (sigLength === 0) throw new UpdateError('unsigned', `${name} is not signed; only signed bundles are installed; nothing was changed`);
  if (sigLength !== signatureBytes) {
    throw new UpdateError('not-a-bundle', `${name} has a ${sigLength}-byte signature field; an ed25519 signature is ${signatureBytes} bytes; nothing was changed`);
  }
  const signature = await readExactly(fh, 20 + manifestLength, sigLength);
  if (signature.length < sigLength) throw truncated();
  return { manifest, signed: Buffer.concat([head, manifest]), signature, payloadOffset: 20 + manifestLength + sigLength };
}
