import { createHash, timingSafeEqual } from 'node:crypto';
import { parseDigestParams } from './params.ts';
import type { NonceIssuer } from './nonce.ts';
import type { DIGEST_ALGORITHMS } from '../../config/site-schema.ts';

export type DigestAlgorithm = (typeof DIGEST_ALGORITHMS)[number];
const hashName: Record<string, string> = { md5: 'md5', 'md5-sess': 'md5', 'sha-256': 'sha256', 'sha-256-sess': 'sha256' };

export type DigestResult =
  | { ok: true; username: string; algorithm: string }
  | { ok: false; reason: string; username?: string; stale?: boolean };

const h = (alg: string, s: string) => createHash(alg).update(s, 'utf8').digest('hex');

/** The digest response RFC 7616 defines (qop=auth or none; -sess variants), for a known password. */
export function digestResponse(p: {
  algorithm: string;
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  nc?: string;
  cnonce?: string;
  qop?: string;
}): string {
  const alg = hashName[p.algorithm.toLowerCase()];
  if (!alg) throw new RangeError(`unsupported digest algorithm ${p.algorithm}`);
  let ha1 = h(alg, `${p.username}:${p.realm}:${p.password}`);
  if (p.algorithm.toLowerCase().endsWith('-sess')) ha1 = h(alg, `${ha1}:${p.nonce}:${p.cnonce ?? ''}`);
  const ha2 = h(alg, `${p.method}:${p.uri}`);
  return p.qop ? h(alg, `${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`) : h(alg, `${ha1}:${p.nonce}:${ha2}`);
}

/** The challenges a 401/407 carries, one header each, most preferred first (RFC 8760 2.4). */
export function digestChallenges(realm: string, nonces: NonceIssuer, stale = false, algorithms: readonly DigestAlgorithm[] = ['SHA-256', 'MD5']): string[] {
  return algorithms.map(
    (algorithm) => `Digest realm="${realm}", nonce="${nonces.issue()}", algorithm=${algorithm}, qop="auth"${stale ? ', stale=true' : ''}`,
  );
}

/**
 * Verifies an Authorization header against the user's password. `lookupPassword` returns undefined for an
 * unknown user; the result then looks like a wrong password to the caller (no user enumeration).
 */
export function verifyDigest(opts: {
  header: string | undefined;
  method: string;
  realm: string;
  nonces: NonceIssuer;
  lookupPassword: (username: string) => string | undefined;
  /** The algorithms this user was offered: an answer with another one is a downgrade and refused. */
  algorithmsFor?: (username: string) => readonly DigestAlgorithm[];
}): DigestResult {
  if (!opts.header) return { ok: false, reason: 'no credentials' };
  const p = parseDigestParams(opts.header);
  if (!p) return { ok: false, reason: 'malformed credentials' };
  const { username, realm, nonce, uri, response } = p;
  if (!username || !nonce || !uri || !response || realm === undefined) return { ok: false, reason: 'credentials lack a required field', username };
  if (realm !== opts.realm) return { ok: false, reason: `wrong realm ${realm}`, username };
  const algorithm = p['algorithm'] ?? 'MD5';
  if (!hashName[algorithm.toLowerCase()]) return { ok: false, reason: `unsupported algorithm ${algorithm}`, username };
  const base = algorithm.toUpperCase().replace(/-SESS$/, '');
  if (opts.algorithmsFor && !opts.algorithmsFor(username).includes(base as DigestAlgorithm)) return { ok: false, reason: `algorithm ${algorithm} not offered to ${username}`, username };
  const qop = p['qop'];
  if (qop !== undefined && qop !== 'auth') return { ok: false, reason: `unsupported qop ${qop}`, username };
  if (qop && (!p['nc'] || !p['cnonce'] || !/^[0-9a-fA-F]{8}$/.test(p['nc']))) return { ok: false, reason: 'qop=auth needs nc and cnonce', username };

  const password = opts.lookupPassword(username);
  // Compute anyway for an unknown user so timing does not tell which users exist.
  const expected = digestResponse({ algorithm, username, realm, password: password ?? '\u0000no-such-user', method: opts.method, uri, nonce, nc: p['nc'], cnonce: p['cnonce'], qop });
  const a = Buffer.from(expected);
  const b = Buffer.from(response.toLowerCase());
  const match = a.length === b.length && timingSafeEqual(a, b);
  if (!match || password === undefined) return { ok: false, reason: 'wrong password or unknown user', username };

  const nonceCheck = opts.nonces.check(nonce, qop ? parseInt(p['nc'] as string, 16) : undefined);
  if (!nonceCheck.valid) return { ok: false, reason: nonceCheck.reason, username, stale: nonceCheck.stale };
  return { ok: true, username, algorithm };
}
