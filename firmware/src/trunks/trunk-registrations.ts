import { randomBytes, randomUUID } from 'node:crypto';
import type Srf from 'drachtio-srf';
import type { Trunk } from '../config/site-schema.ts';
import { parseDigestParams } from '../calls/digest/params.ts';
import { digestResponse } from '../calls/digest/verify.ts';
import type { Logger } from '../log.ts';
import type { TrunkRegistry } from './trunk-registry.ts';

export type TrunkRegistrationState = { state: 'registered'; expiresAt: number } | { state: 'failed'; reason: string; retryAt: number } | { state: 'registering' };

interface RegisterResult {
  code: number;
  reason: string;
  /** Seconds the carrier granted. */
  expires: number | undefined;
  challenge: string | undefined;
}

const BACKOFF_MIN_MS = 2000;
const BACKOFF_MAX_MS = 300_000;

/**
 * Outbound REGISTER for every trunk that has `register`: digest on challenge, refresh before expiry (at 80% of
 * the granted time), exponential backoff after failures. The failover issue reads `state()` for trunk health.
 */
export class TrunkRegistrations {
  readonly #srf: Srf;
  readonly #trunks: TrunkRegistry;
  readonly #log: Logger;
  readonly #states = new Map<string, TrunkRegistrationState>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #failures = new Map<string, number>();
  /** One Call-ID per trunk for all its REGISTERs, with a rising CSeq (RFC 3261 10.2). */
  readonly #dialogue = new Map<string, { callId: string; cseq: number }>();
  /** The trunk settings each registration runs with: a changed trunk is told apart from the one registered. */
  readonly #active = new Map<string, Trunk>();
  #stopped = false;

  constructor(o: { srf: Srf; trunks: TrunkRegistry; log: Logger }) {
    this.#srf = o.srf;
    this.#trunks = o.trunks;
    this.#log = o.log;
  }

  start(): void {
    void this.reconcile();
  }

  /**
   * Follows the configured trunks without a restart: new registering trunks register, removed ones (and ones
   * that stopped registering) un-register, and a trunk whose host, port, transport or registration changed
   * un-registers the old binding and registers anew.
   */
  async reconcile(): Promise<void> {
    if (this.#stopped) return;
    const wanted = new Map(this.#trunks.list().filter((t) => t.register).map((t) => [t.name, t]));
    const gone = [...this.#active.values()].filter((old) => {
      const t = wanted.get(old.name);
      return !t || JSON.stringify(registrationKey(t)) !== JSON.stringify(registrationKey(old));
    });
    for (const old of gone) {
      const wasRegistered = this.#states.get(old.name)?.state === 'registered';
      // No refresh and no late answer for the old settings from here on; the un-REGISTER still uses the old
      // binding's Call-ID (RFC 3261 10.2.2), so the dialogue is forgotten only after it.
      clearTimeout(this.#timers.get(old.name));
      this.#active.delete(old.name);
      if (wasRegistered) await this.#unregister(old);
      this.#forget(old.name);
    }
    for (const t of wanted.values()) {
      const running = this.#active.get(t.name);
      if (running) {
        // Same registration, other settings (say max_calls): keep the binding, use the new settings.
        this.#active.set(t.name, t);
        continue;
      }
      this.#active.set(t.name, t);
      this.#log.info({ trunk: t.name }, 'trunk registration started');
      void this.#register(t.name);
    }
  }

  #forget(name: string): void {
    clearTimeout(this.#timers.get(name));
    for (const m of [this.#timers, this.#states, this.#failures, this.#dialogue, this.#active]) m.delete(name);
    this.#log.info({ trunk: name }, 'trunk registration stopped (configuration changed)');
  }

  #unregister(t: Trunk): Promise<unknown> {
    const reg = t.register as NonNullable<Trunk['register']>;
    return Promise.race([this.#sendWithAuth(t, `sip:${reg.user}@${reg.domain ?? t.host}`, 0).catch(() => undefined), new Promise((r) => setTimeout(r, 2000))]);
  }

  state(name: string): TrunkRegistrationState | undefined {
    return this.#states.get(name);
  }

  async #register(name: string, expires?: number): Promise<void> {
    if (this.#stopped) return;
    const t = this.#active.get(name);
    if (!t?.register) return;
    // A reconfiguration may replace or remove the trunk while a REGISTER is out: its answer is then stale.
    const current = () => !this.#stopped && this.#active.get(name) === t;
    this.#states.set(name, { state: 'registering' });
    const reg = t.register;
    const domain = reg.domain ?? t.host;
    const aor = `sip:${reg.user}@${domain}`;
    const want = expires ?? reg.expires_s;
    try {
      const status = await this.#sendWithAuth(t, aor, want);
      if (!current()) return;
      if (status.code >= 200 && status.code < 300) {
        if (want === 0) return;
        const granted = status.expires ?? want;
        this.#failures.set(name, 0);
        this.#states.set(name, { state: 'registered', expiresAt: Date.now() + granted * 1000 });
        this.#log.info({ trunk: name, expires: granted }, 'trunk registered');
        this.#schedule(name, Math.max(1000, granted * 800));
        return;
      }
      throw new Error(`${status.code} ${status.reason}`);
    } catch (err) {
      if (!current()) return;
      const n = (this.#failures.get(name) ?? 0) + 1;
      this.#failures.set(name, n);
      const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** (n - 1));
      this.#states.set(name, { state: 'failed', reason: (err as Error).message, retryAt: Date.now() + delay });
      this.#log.warn({ trunk: name, err: (err as Error).message, retryInMs: delay }, 'trunk registration failed');
      this.#schedule(name, delay);
    }
  }

  #schedule(name: string, ms: number): void {
    clearTimeout(this.#timers.get(name));
    if (this.#stopped) return;
    const timer = setTimeout(() => void this.#register(name), ms);
    timer.unref();
    this.#timers.set(name, timer);
  }

  /** A REGISTER, and once more with credentials when the carrier challenges it. */
  async #sendWithAuth(t: Trunk, aor: string, expires: number): Promise<RegisterResult> {
    const first = await this.#sendOnce(t, aor, expires);
    if ((first.code !== 401 && first.code !== 407) || !first.challenge) return first;
    return this.#sendOnce(t, aor, expires, { header: first.code === 401 ? 'Authorization' : 'Proxy-Authorization', value: this.#answer(t, first.challenge) });
  }

  /** The credentials for a carrier's challenge (ours, not srf's: srf does not answer the challenge of a refresh). */
  #answer(t: Trunk, challenge: string): string {
    const reg = t.register as NonNullable<Trunk['register']>;
    const p = parseDigestParams(challenge.split(/,\s*(?=Digest\s)/i)[0] ?? '') ?? {};
    const host = t.host.includes(':') ? `[${t.host}]` : t.host;
    const uri = `sip:${reg.domain ?? host}:${t.port}`;
    const username = reg.auth_user ?? reg.user;
    const algorithm = p['algorithm'] ?? 'MD5';
    const qop = p['qop']?.split(',').map((q) => q.trim()).includes('auth') ? 'auth' : undefined;
    const cnonce = randomBytes(8).toString('hex');
    const nc = '00000001';
    const response = digestResponse({ algorithm, username, realm: p['realm'] ?? '', password: reg.password, method: 'REGISTER', uri, nonce: p['nonce'] ?? '', ...(qop ? { qop, nc, cnonce } : {}) });
    const parts = [`username="${username}"`, `realm="${p['realm'] ?? ''}"`, `nonce="${p['nonce'] ?? ''}"`, `uri="${uri}"`, `response="${response}"`, `algorithm=${algorithm}`];
    if (p['opaque'] !== undefined) parts.push(`opaque="${p['opaque']}"`);
    if (qop) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce="${cnonce}"`);
    return `Digest ${parts.join(', ')}`;
  }

  #sendOnce(t: Trunk, aor: string, expires: number, auth?: { header: string; value: string }): Promise<RegisterResult> {
    const reg = t.register as NonNullable<Trunk['register']>;
    const host = t.host.includes(':') ? `[${t.host}]` : t.host;
    const uri = `sip:${reg.domain ?? host}:${t.port}${t.transport === 'udp' ? '' : `;transport=${t.transport}`}`;
    const d = this.#dialogue.get(t.name) ?? { callId: `${randomUUID()}@callbox`, cseq: 1 };
    this.#dialogue.set(t.name, d);
    const cseq = d.cseq++;
    return new Promise((resolve, reject) => {
      (this.#srf.request as unknown as (uri: string, opts: unknown, cb: unknown) => void)(
        uri,
        {
          method: 'REGISTER',
          headers: {
            From: `<${aor}>`,
            To: `<${aor}>`,
            Contact: `<sip:${reg.user}@localhost>`,
            Expires: String(expires),
            'Call-ID': d.callId,
            CSeq: `${cseq} REGISTER`,
            ...(auth ? { [auth.header]: auth.value } : {}),
          },
        },
        (err: Error | null, req: { on(e: 'response', f: (res: { status: number; reason: string; get(h: string): string | undefined }) => void): void }) => {
          if (err) return reject(err);
          req.on('response', (res) => {
            if (res.status < 200) return;
            resolve({
              code: res.status,
              reason: res.reason,
              expires: grantedExpires(res.get('Contact'), res.get('Expires')),
              challenge: res.get(res.status === 407 ? 'Proxy-Authenticate' : 'WWW-Authenticate'),
            });
          });
        },
      );
    });
  }

  /** Un-registers every registered trunk (expires 0), so the carrier stops sending calls to a stopped box. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const t of this.#timers.values()) clearTimeout(t);
    const registered = [...this.#states].filter(([, s]) => s.state === 'registered').map(([n]) => this.#active.get(n));
    await Promise.allSettled(registered.map((t) => (t ? this.#unregister(t) : undefined)));
  }
}

/** What a REGISTER depends on: a change here means a new registration. */
function registrationKey(t: Trunk) {
  return { host: t.host, port: t.port, transport: t.transport, register: t.register };
}

function grantedExpires(contact: string | undefined, expires: string | undefined): number | undefined {
  const m = contact ? /;\s*expires\s*=\s*(\d+)/i.exec(contact) : null;
  if (m) return Number(m[1]);
  return expires ? Number.parseInt(expires, 10) : undefined;
}
