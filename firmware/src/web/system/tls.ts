import { execFile } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ApiError } from '../http/errors.ts';

const run = promisify(execFile);

export interface TlsFiles {
  cert: string;
  key: string;
}

export interface CertificateInfo {
  subject: string;
  issuer: string;
  valid_from: string;
  valid_to: string;
  fingerprint_sha256: string;
  self_signed: boolean;
  subject_alt_names: string;
}

export const tlsPaths = (dataDir: string) => ({ dir: path.join(dataDir, 'tls'), cert: path.join(dataDir, 'tls', 'cert.pem'), key: path.join(dataDir, 'tls', 'key.pem') });

/**
 * The console's certificate: the owner's own, or one generated at first boot. Node cannot write X.509
 * certificates, so the `openssl` command (Debian/Yocto package openssl) makes it: ECDSA P-256, ten years, the
 * box's address and `callbox.local` as names. The owner replaces it from the system page.
 */
export async function ensureCertificate(dataDir: string, addresses: readonly string[]): Promise<TlsFiles> {
  const p = tlsPaths(dataDir);
  if (existsSync(p.cert) && existsSync(p.key)) return { cert: readFileSync(p.cert, 'utf8'), key: readFileSync(p.key, 'utf8') };
  mkdirSync(p.dir, { recursive: true, mode: 0o700 });
  const san = ['DNS:callbox.local', 'DNS:localhost', ...addresses.map((a) => `IP:${a}`)].join(',');
  const tmpKey = `${p.key}.new`;
  const tmpCert = `${p.cert}.new`;
  await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-sha256', '-days', '3650',
    '-subj', '/CN=callbox.local/O=Callbox appliance', '-addext', `subjectAltName=${san}`,
    '-keyout', tmpKey, '-out', tmpCert,
  ]);
  const files = { cert: readFileSync(tmpCert, 'utf8'), key: readFileSync(tmpKey, 'utf8') };
  install(dataDir, files);
  return files;
}

export function certificateInfo(pem: string): CertificateInfo {
  const x = new X509Certificate(pem);
  return {
    subject: x.subject.replace(/\n/g, ', '),
    issuer: x.issuer.replace(/\n/g, ', '),
    valid_from: new Date(x.validFrom).toISOString(),
    valid_to: new Date(x.validTo).toISOString(),
    fingerprint_sha256: x.fingerprint256,
    self_signed: x.subject === x.issuer,
    subject_alt_names: x.subjectAltName ?? '',
  };
}

/** Checks an uploaded pair completely (PEM, key matches, not expired) before anything is written. */
export function validatePair(files: TlsFiles, now = new Date()): CertificateInfo {
  let x: X509Certificate;
  try {
    x = new X509Certificate(files.cert);
  } catch (err) {
    throw new ApiError(400, 'validation', 'the certificate is not readable', [{ path: 'cert', message: `must be a PEM certificate (${(err as Error).message})` }]);
  }
  let key;
  try {
    key = createPrivateKey(files.key);
  } catch (err) {
    throw new ApiError(400, 'validation', 'the private key is not readable', [{ path: 'key', message: `must be an unencrypted PEM private key (${(err as Error).message})` }]);
  }
  if (!x.checkPrivateKey(key)) throw new ApiError(400, 'validation', 'the key does not belong to the certificate', [{ path: 'key', message: 'does not match the certificate' }]);
  if (new Date(x.validTo) < now) throw new ApiError(400, 'validation', 'the certificate has expired', [{ path: 'cert', message: `expired on ${x.validTo}` }]);
  return certificateInfo(files.cert);
}

/** Writes both files by rename, the key readable only by the firmware's user. */
export function install(dataDir: string, files: TlsFiles): void {
  const p = tlsPaths(dataDir);
  mkdirSync(p.dir, { recursive: true, mode: 0o700 });
  writeFileSync(`${p.key}.new`, files.key, { mode: 0o600 });
  writeFileSync(`${p.cert}.new`, files.cert, { mode: 0o644 });
  renameSync(`${p.key}.new`, p.key);
  renameSync(`${p.cert}.new`, p.cert);
}

export function readInstalled(dataDir: string): TlsFiles | undefined {
  const p = tlsPaths(dataDir);
  if (!existsSync(p.cert) || !existsSync(p.key)) return undefined;
  return { cert: readFileSync(p.cert, 'utf8'), key: readFileSync(p.key, 'utf8') };
}
