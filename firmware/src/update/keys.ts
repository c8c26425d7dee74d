import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { isSea } from 'node:sea';
import { assetsRoot } from '../assets.ts';
import { UpdateError } from './errors.ts';

export const publicKeyFileName = 'update-key.pub';
export const privateKeyFileName = 'update-key.pem';

/**
 * The key the firmware trusts. It travels on the (read-only) root slot: `share/callbox/update-key.pub` beside the
 * one-file executable; from a checkout, the development key committed in this folder. CALLBOX_UPDATE_PUBKEY
 * overrides both (tests, and a lab box that trusts a lab key).
 */
export function defaultPublicKeyPath(env: NodeJS.ProcessEnv = process.env): string {
  const override = env['CALLBOX_UPDATE_PUBKEY'];
  if (override) return path.resolve(override);
  if (isSea()) return path.join(assetsRoot(), publicKeyFileName);
  return path.join(assetsRoot(), 'firmware', 'src', 'update', publicKeyFileName);
}

/** First 16 hex digits of the sha256 of the raw 32-byte public key: short enough to read out, long enough to tell keys apart. */
export function keyId(publicKey: KeyObject): string {
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

function ed25519(key: KeyObject, file: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new UpdateError('no-key', `${file} holds a ${key.asymmetricKeyType ?? 'non-asymmetric'} key; update keys are ed25519`);
  }
  return key;
}

export function loadPublicKey(file: string): KeyObject {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UpdateError('no-key', `cannot read the update key ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)}); nothing was changed`);
  }
  try {
    return ed25519(createPublicKey(pem), file);
  } catch (err) {
    if (err instanceof UpdateError) throw err;
    throw new UpdateError('no-key', `${file} is not a PEM public key; nothing was changed`);
  }
}

export function loadPrivateKey(file: string): KeyObject {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UpdateError('no-key', `cannot read the signing key ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  try {
    return ed25519(createPrivateKey(pem), file);
  } catch (err) {
    if (err instanceof UpdateError) throw err;
    throw new UpdateError('no-key', `${file} is not a PEM private key`);
  }
}

function writeNew(file: string, content: string, mode: number): void {
  // 'wx': a second keygen must never overwrite the key that signed the fleet's firmware.
  const fd = openSync(file, 'wx', mode);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Creates a signing key pair in dir: update-key.pem (private, 0600) and update-key.pub. Refuses to overwrite. */
export function generateUpdateKeys(dir: string): { privateKey: string; publicKey: string; keyId: string } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const privateKey = path.join(dir, privateKeyFileName);
  const publicKey = path.join(dir, publicKeyFileName);
  for (const f of [privateKey, publicKey]) {
    if (existsSync(f)) throw new UpdateError('no-key', `${f} already exists; keygen never overwrites a key`);
  }
  const pair = generateKeyPairSync('ed25519');
  writeNew(privateKey, pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), 0o600);
  writeNew(publicKey, pair.publicKey.export({ format: 'pem', type: 'spki' }).toString(), 0o644);
  return { privateKey, publicKey, keyId: keyId(pair.publicKey) };
}
