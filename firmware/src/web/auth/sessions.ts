import { createHash, randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Context } from 'koa';
import {
  deleteExpiredSessions,
  deleteSession,
  getSession,
  insertSession,
  touchSession,
  type SessionStage,
  type WebSession,
} from '../../config/repositories/web-sessions.ts';

export const SESSION_COOKIE = 'callbox_session';
/** Readable by the page's script, so it can send it back in the X-CSRF-Token header (double submit). */
export const CSRF_COOKIE = 'callbox_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface SessionOptions {
  /** Signed out after this long without a request. */
  idleMs: number;
  /** Cookies carry Secure when the console is served over HTTPS. */
  secure: boolean;
  now?: () => number;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/** Sessions in SQLite, so they survive a restart of the app; the browser holds only a random token. */
export class Sessions {
  readonly #db: Database;
  readonly #o: SessionOptions;
  readonly #now: () => number;
  #lastSweep = 0;

  constructor(db: Database, o: SessionOptions) {
    this.#db = db;
    this.#o = o;
    this.#now = o.now ?? Date.now;
  }

  get secure(): boolean {
    return this.#o.secure;
  }

  create(ctx: Context, username: string, stage: SessionStage): WebSession {
    const token = randomBytes(32).toString('base64url');
    const now = this.#now();
    const session: WebSession = {
      tokenHash: hashToken(token),
      username,
      csrfToken: randomBytes(24).toString('base64url'),
      stage,
      createdAt: new Date(now).toISOString(),
      lastSeenAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.#o.idleMs).toISOString(),
      address: ctx.ip || null,
    };
    insertSession(this.#db, session);
    this.#setCookies(ctx, token, session.csrfToken);
    return session;
  }

  /** The session of this request, sliding its expiry; undefined when there is none or it expired. */
  load(ctx: Context): WebSession | undefined {
    const token = ctx.cookies.get(SESSION_COOKIE);
    if (token === undefined || token.length > 100) return undefined;
    const now = this.#now();
    if (now - this.#lastSweep > 60_000) {
      deleteExpiredSessions(this.#db, new Date(now).toISOString());
      this.#lastSweep = now;
    }
    const s = getSession(this.#db, hashToken(token));
    if (s === undefined) return undefined;
    if (Date.parse(s.expiresAt) <= now) {
      deleteSession(this.#db, s.tokenHash);
      return undefined;
    }
    // Writing on every request would wear the flash for nothing: a minute's precision is plenty for idle expiry.
    if (now - Date.parse(s.lastSeenAt) > 60_000) {
      touchSession(this.#db, s.tokenHash, new Date(now).toISOString(), new Date(now + this.#o.idleMs).toISOString());
    }
    return s;
  }

  destroy(ctx: Context, session: WebSession | undefined): void {
    if (session !== undefined) deleteSession(this.#db, session.tokenHash);
    const opts = { httpOnly: true, sameSite: 'strict' as const, secure: this.#o.secure, path: '/', overwrite: true };
    ctx.cookies.set(SESSION_COOKIE, '', { ...opts, maxAge: 0 });
    ctx.cookies.set(CSRF_COOKIE, '', { ...opts, httpOnly: false, maxAge: 0 });
  }

  #setCookies(ctx: Context, token: string, csrf: string): void {
    const common = { sameSite: 'strict' as const, secure: this.#o.secure, path: '/', overwrite: true };
    ctx.cookies.set(SESSION_COOKIE, token, { ...common, httpOnly: true });
    ctx.cookies.set(CSRF_COOKIE, csrf, { ...common, httpOnly: false });
  }
}
