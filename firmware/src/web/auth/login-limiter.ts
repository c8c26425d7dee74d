/**
 * Login rate limit and temporary lockout, per username and per client address: after `maxFailures` wrong
 * passwords within `windowMs`, further attempts are refused for `lockoutMs`, right password or not. Kept in
 * memory: a restart lifts lockouts, which a person at the box could do anyway.
 */
export interface LoginPolicy {
  maxFailures: number;
  windowMs: number;
  lockoutMs: number;
}

export const DEFAULT_LOGIN_POLICY: LoginPolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockoutMs: 15 * 60_000 };

interface Entry {
  failures: number[];
  lockedUntil: number;
}

export class LoginLimiter {
  readonly #policy: LoginPolicy;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();

  constructor(policy: LoginPolicy = DEFAULT_LOGIN_POLICY, now: () => number = Date.now) {
    this.#policy = policy;
    this.#now = now;
  }

  /** Milliseconds until any of the keys may try again, 0 when none is locked. */
  retryAfterMs(keys: readonly string[]): number {
    const now = this.#now();
    return Math.max(0, ...keys.map((k) => (this.#entries.get(k)?.lockedUntil ?? 0) - now));
  }

  fail(keys: readonly string[]): void {
    const now = this.#now();
    for (const k of keys) {
      const e = this.#entries.get(k) ?? { failures: [], lockedUntil: 0 };
      e.failures = e.failures.filter((t) => t > now - this.#policy.windowMs);
      e.failures.push(now);
      if (e.failures.length >= this.#policy.maxFailures) {
        e.lockedUntil = now + this.#policy.lockoutMs;
        e.failures = [];
      }
      this.#entries.set(k, e);
    }
    // Bounded memory under a password-spraying flood: forget the oldest keys.
    while (this.#entries.size > 10_000) this.#entries.delete(this.#entries.keys().next().value as string);
  }

  succeed(keys: readonly string[]): void {
    for (const k of keys) this.#entries.delete(k);
  }
}
