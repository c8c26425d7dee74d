import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type NonceCheck = { valid: true } | { valid: false; stale: boolean; reason: string };

/**
 * Nonces that need no storage to verify: timestamp + random + HMAC under a per-process key, so a nonce cannot be
 * forged or reused after it expires. Replay inside the lifetime is caught by tracking the highest nonce-count
 * (nc) seen per nonce: a request must use a larger nc than any before it (RFC 7616 3.4).
 */
export class NonceIssuer {
  readonly #key = randomBytes(32);
  readonly #lifetimeMs: number;
  readonly #now: () => number;
  /** nonce -> [highest nc seen, expiry]; pruned as nonces expire, so it stays bounded by the request rate. */
  readonly #seen = new Map<string, [number, number]>();
  #lastPrune = 0;

  constructor(opts: { lifetimeMs?: number; now?: () => number } = {}) {
    this.#lifetimeMs = opts.lifetimeMs ?? 300_000;
    this.#now = opts.now ?? Date.now;
  }

  issue(): string {
    const body = Buffer.alloc(16);
    body.writeBigUInt64BE(BigInt(this.#now()), 0);
    randomBytes(8).copy(body, 8);
    return `${body.toString('base64url')}.${this.#mac(body)}`;
  }

  #mac(body: Buffer): string {
    return createHmac('sha256', this.#key).update(body).digest('base64url').slice(0, 22);
  }

  /** Checks the nonce is ours and fresh, and that nc was never used with it (`nc` undefined: legacy, single use). */
  check(nonce: string, nc: number | undefined): NonceCheck {
    const [b64, mac] = nonce.split('.');
    if (!b64 || !mac) return { valid: false, stale: false, reason: 'malformed nonce' };
    const body = Buffer.from(b64, 'base64url');
    if (body.length !== 16) return { valid: false, stale: false, reason: 'malformed nonce' };
    const expected = Buffer.from(this.#mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { valid: false, stale: false, reason: 'nonce not issued by this box' };
    const now = this.#now();
    const issued = Number(body.readBigUInt64BE(0));
    // stale=true tells a phone with the right password to retry with a fresh nonce instead of giving up.
    if (now - issued > this.#lifetimeMs) return { valid: false, stale: true, reason: 'nonce expired' };
    this.#prune(now);
    const count = nc ?? Number.MAX_SAFE_INTEGER;
    const prev = this.#seen.get(nonce);
    if (prev && count <= prev[0]) return { valid: false, stale: false, reason: 'nonce count replayed' };
    this.#seen.set(nonce, [count, issued + this.#lifetimeMs]);
    return { valid: true };
  }

  #prune(now: number): void {
    if (now - this.#lastPrune < 10_000) return;
    this.#lastPrune = now;
    for (const [nonce, [, expiry]] of this.#seen) if (expiry < now) this.#seen.delete(nonce);
  }
}
