import { EventEmitter } from 'node:events';
import type { Database } from 'better-sqlite3';
import { deleteBinding, deleteBindings, listBindings, takeExpiredBindings, upsertBinding, type Binding } from '../config/repositories/registrations.ts';
import type { Logger } from '../log.ts';
import { DEFAULT_DIGEST_ALGORITHMS, digestAlgorithmsFor } from './digest/algorithms.ts';
import { ExtensionDirectory } from './extension-directory.ts';
import { digestChallenges, verifyDigest, type DigestAlgorithm } from './digest/verify.ts';
import type { NonceIssuer } from './digest/nonce.ts';
import { parseRegisterContacts, type RegisterContact } from './register-contacts.ts';
import { uriUser, type SrfRequest, type SrfResponse } from './sip-types.ts';

export interface RegistrarOptions {
  db: Database;
  realm: string;
  nonces: NonceIssuer;
  log: Logger;
  /** Shorter asks get 423 Interval Too Brief (RFC 3261 10.3 step 7). */
  minExpiresS?: number;
  /** Longer asks are shortened to this, so a phone that vanished is forgotten in bounded time. */
  maxExpiresS?: number;
  defaultExpiresS?: number;
  /** Offered in this order; the default is SHA-256 then MD5 (RFC 8760). */
  digestAlgorithms?: readonly DigestAlgorithm[];
  now?: () => number;
}

export interface AuthFailure {
  source: string;
  username: string | undefined;
  reason: string;
}

type Events = { register: [Binding]; refresh: [Binding]; unregister: [Binding]; expire: [Binding]; authFailure: [AuthFailure] };

/**
 * The registrar: digest-authenticated REGISTER, several contacts per extension, expiry bounds, un-REGISTER.
 * Bindings live in SQLite, so a restart of the app keeps phones reachable; each remembers the address the
 * REGISTER came from, which is where calls are sent (the Contact may be a private address behind NAT).
 */
export class Registrar extends EventEmitter<Events> {
  readonly #o: Required<Omit<RegistrarOptions, 'log'>> & { log: Logger };
  #sweep: NodeJS.Timeout | undefined;
  /** The extensions, read once per configuration revision (INVITE authentication uses them too). */
  readonly extensions: ExtensionDirectory;
  /** Failed authentications since start, for the SBC's ban policy and the counters page. */
  authFailures = 0;

  constructor(opts: RegistrarOptions) {
    super();
    this.#o = { minExpiresS: 60, maxExpiresS: 3600, defaultExpiresS: 3600, digestAlgorithms: DEFAULT_DIGEST_ALGORITHMS, now: Date.now, ...opts };
    this.extensions = new ExtensionDirectory(opts.db);
  }

  /** Starts forgetting bindings as they expire (checked every intervalMs). */
  startExpiry(intervalMs = 5000): void {
    this.#sweep = setInterval(() => this.expireNow(), intervalMs);
    this.#sweep.unref();
  }

  expireNow(): void {
    for (const b of takeExpiredBindings(this.#o.db, this.#o.now())) {
      this.#o.log.info({ extension: b.extension, contact: b.contact }, 'registration expired');
      this.emit('expire', b);
    }
  }

  stop(): void {
    clearInterval(this.#sweep);
  }

  /** Where an extension can be reached now, newest registration first. */
  lookup(extension: string): Binding[] {
    return listBindings(this.#o.db, extension, this.#o.now());
  }

  /** True when a live binding was registered from this address and port (a phone, not a trunk). */
  isRegisteredSource(address: string, port: number, proto: string): boolean {
    const row = this.#o.db
      .prepare('SELECT 1 FROM registrations WHERE received_address = ? AND received_port = ? AND received_proto = ? AND expires_at > ? LIMIT 1')
      .get(address, port, proto, this.#o.now());
    return row !== undefined;
  }

  /** Counts a failed digest on a request other than REGISTER (an INVITE with a wrong password). */
  countAuthFailure(source: string, username: string | undefined, reason: string): void {
    this.authFailures++;
    this.#o.log.warn({ source, username, reason }, 'authentication failed');
    this.emit('authFailure', { source, username, reason });
  }

  handle(req: SrfRequest, res: SrfResponse): void {
    const source = `${req.protocol}/${req.source_address}:${req.source_port}`;
    const toUser = uriUser(req.get('To'));
    const extensions = this.extensions.current();
    const auth = verifyDigest({
      header: req.get('Authorization'),
      method: 'REGISTER',
      realm: this.#o.realm,
      nonces: this.#o.nonces,
      lookupPassword: (u) => extensions.get(u)?.password,
      algorithmsFor: (u) => digestAlgorithmsFor(extensions.get(u), this.#o.digestAlgorithms),
    });
    if (!auth.ok) {
      // No credentials yet or a stale nonce is the normal first round, not a failure.
      if (auth.reason === 'no credentials' || auth.stale) {
        const algorithms = digestAlgorithmsFor(toUser === undefined ? undefined : extensions.get(toUser), this.#o.digestAlgorithms);
        res.send(401, { headers: { 'WWW-Authenticate': digestChallenges(this.#o.realm, this.#o.nonces, auth.stale === true, algorithms) } });
        return;
      }
      this.#authFailed(res, source, auth.username, auth.reason);
      return;
    }
    if (toUser !== auth.username) {
      this.#authFailed(res, source, auth.username, `credentials of ${auth.username} used to register ${toUser ?? '(no user)'}`);
      return;
    }
    const extension = extensions.get(auth.username);
    if (!extension) {
      this.#authFailed(res, source, auth.username, 'extension removed');
      return;
    }

    const parsed = parseRegisterContacts(req.get('Contact'), req.get('Expires'), this.#o.defaultExpiresS);
    if (!parsed.ok) {
      res.send(400, parsed.reason, {});
      return;
    }
    const callId = req.get('Call-ID');
    const cseq = Number.parseInt(req.get('CSeq') ?? '0', 10);
    if (parsed.wildcard) {
      for (const b of this.lookup(extension.number)) this.emit('unregister', b);
      deleteBindings(this.#o.db, extension.number);
      this.#o.log.info({ extension: extension.number, source }, 'all contacts unregistered');
      res.send(200);
      return;
    }
    const tooBrief = parsed.contacts.find((c) => c.expiresS > 0 && c.expiresS < this.#o.minExpiresS);
    if (tooBrief) {
      res.send(423, 'Interval Too Brief', { headers: { 'Min-Expires': String(this.#o.minExpiresS) } });
      return;
    }
    const now = this.#o.now();
    const existing = new Map(this.lookup(extension.number).map((b) => [b.contact, b]));
    // RFC 3261 10.3 step 7: an older or repeated CSeq on the same Call-ID is out of order; ignore it.
    const stale = parsed.contacts.some((c) => {
      const b = existing.get(c.uri);
      return b !== undefined && b.callId === callId && b.cseq >= cseq;
    });
    if (stale) {
      res.send(500, 'Out of order REGISTER', {});
      return;
    }
    this.#o.db.transaction(() => {
      for (const c of parsed.contacts) this.#apply(extension.number, c, req, now, existing.get(c.uri));
      this.#limitContacts(extension.number, extension.max_contacts);
    })();
    const current = this.lookup(extension.number);
    const contactHeader = current.map((b) => `<${b.contact}>;expires=${Math.max(0, Math.round((b.expiresAt - now) / 1000))}`).join(', ');
    res.send(200, { headers: { ...(contactHeader ? { Contact: contactHeader } : {}), Date: new Date(now).toUTCString() } });
  }

  #apply(extension: string, c: RegisterContact, req: SrfRequest, now: number, prev: Binding | undefined): void {
    if (c.expiresS === 0) {
      if (deleteBinding(this.#o.db, extension, c.uri) && prev) {
        this.#o.log.info({ extension, contact: c.uri }, 'unregistered');
        this.emit('unregister', prev);
      }
      return;
    }
    const b: Binding = {
      extension,
      contact: c.uri,
      receivedProto: req.protocol,
      receivedAddress: req.source_address,
      receivedPort: Number(req.source_port),
      callId: req.get('Call-ID') ?? '',
      cseq: Number.parseInt(req.get('CSeq') ?? '0', 10),
      expiresAt: now + Math.min(c.expiresS, this.#o.maxExpiresS) * 1000,
      registeredAt: prev?.registeredAt ?? now,
      userAgent: req.get('User-Agent') ?? null,
    };
    upsertBinding(this.#o.db, b);
    if (!prev) {
      this.#o.log.info({ extension, contact: c.uri, from: `${b.receivedAddress}:${b.receivedPort}` }, 'registered');
      this.emit('register', b);
    } else this.emit('refresh', b);
  }

  /** More phones than the extension allows: the oldest registrations give way to the new one. */
  #limitContacts(extension: string, max: number): void {
    const all = this.lookup(extension);
    for (const b of all.slice(max)) {
      deleteBinding(this.#o.db, extension, b.contact);
      this.emit('unregister', b);
    }
  }

  #authFailed(res: SrfResponse, source: string, username: string | undefined, reason: string): void {
    this.countAuthFailure(source, username, reason);
    res.send(403);
  }
}
