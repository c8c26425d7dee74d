import Router from '@koa/router';
import type { Database } from 'better-sqlite3';
import type { Context } from 'koa';
import type { z } from 'zod';
import { appendAudit } from '../config/repositories/audit.ts';
import { getUser, type User } from '../config/repositories/users.ts';
import type { WebSession } from '../config/repositories/web-sessions.ts';
import { getUserTotp } from '../config/repositories/user-totp.ts';
import { getWebSettings } from '../config/repositories/web-settings.ts';
import { allowed, type Access } from './auth/roles.ts';
import { CSRF_HEADER, type Sessions } from './auth/sessions.ts';
import { readJsonBody } from './http/body.ts';
import { ApiError, forbidden } from './http/errors.ts';
import { validate } from './http/validate.ts';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * How far into sign-in a request may come: `public` needs no session (login, the OpenAPI document); `totp` is
 * for the second-factor step; `pending` is allowed while a password change or TOTP enrolment is still owed;
 * `full` (the default) needs a completed sign-in.
 */
export type Gate = 'public' | 'totp' | 'pending' | 'full';

export interface Caller {
  user: User;
  session: WebSession;
}

export interface Call<B, Q> {
  ctx: Context;
  params: Record<string, string>;
  body: B;
  query: Q;
  /** Present on every route but `public` ones. */
  caller: Caller;
  /** What the audit entry of this change names; defaults to the path parameters. */
  auditTarget?: string;
  auditDetail?: unknown;
}

export interface RouteSpec<B = unknown, Q = unknown> {
  method: Method;
  /** Relative to /api/v1, in @koa/router syntax: `/extensions/:number`. */
  path: string;
  summary: string;
  tag: string;
  access?: Access;
  gate?: Gate;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  response?: z.ZodType;
  /** The audit action of a change (every non-GET route must name one). */
  action?: string;
  /** Reads that must be audited too (recording access). */
  auditRead?: string;
  /** For `text/yaml` and other non-JSON answers, for the OpenAPI document. */
  produces?: string;
  handler: (call: Call<B, Q>) => unknown;
}

export interface ApiDeps {
  db: Database;
  sessions: Sessions;
}

const SECRET_KEY = /password|secret|token|hash|^private_?key$/i;

/** The request body as the audit log keeps it: passwords and secrets replaced, so the log is safe to hand out. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) && typeof v === 'string' ? '(redacted)' : redact(v)]));
  }
  return value;
}

export function totpSetupOwed(db: Database, user: User): boolean {
  return user.role === 'admin' && getWebSettings(db).totpRequiredForAdmins && getUserTotp(db, user.username)?.enabled !== true;
}

/**
 * The API's routes, each declared once with its access, gate, schemas and audit action: the router and the
 * OpenAPI document are both built from these declarations, so the document cannot miss a route.
 */
export class Api {
  readonly routes: RouteSpec[] = [];
  readonly router = new Router({ prefix: '/api/v1' });
  readonly #deps: ApiDeps;

  constructor(deps: ApiDeps) {
    this.#deps = deps;
  }

  add<B = undefined, Q = Record<string, never>>(spec: RouteSpec<B, Q>): void {
    if (spec.method !== 'get' && spec.action === undefined) throw new Error(`${spec.method} ${spec.path} names no audit action`);
    if ((spec.gate ?? 'full') === 'full' && spec.access === undefined) throw new Error(`${spec.method} ${spec.path} names no access`);
    this.routes.push(spec as RouteSpec);
    this.router[spec.method](spec.path, async (ctx) => {
      await this.#run(spec as RouteSpec, ctx);
    });
  }

  async #run(spec: RouteSpec, ctx: Context): Promise<void> {
    const { db, sessions } = this.#deps;
    const gate = spec.gate ?? 'full';
    const changes = spec.method !== 'get';
    ctx.set('Cache-Control', 'no-store');

    let caller: Caller | undefined;
    if (gate !== 'public') {
      const session = sessions.load(ctx);
      const user = session === undefined ? undefined : getUser(db, session.username);
      if (session === undefined || user === undefined) throw new ApiError(401, 'unauthenticated', 'sign in first');
      caller = { user, session };
      if (session.stage === 'totp' && gate !== 'totp') throw new ApiError(401, 'totp_required', 'enter the code from your authenticator app first');
      // Double submit: a cross-site page can make the browser send the cookie, but cannot read it to copy it here.
      if (changes && ctx.get(CSRF_HEADER) !== session.csrfToken) {
        throw new ApiError(403, 'csrf', 'missing or wrong X-CSRF-Token header: reload the page and try again');
      }
      if (gate === 'full' && user.mustChangePassword) throw new ApiError(403, 'password_change_required', 'change your password first');
      if (gate === 'full' && totpSetupOwed(db, user)) throw new ApiError(403, 'totp_setup_required', 'set up a second factor (TOTP) first');
      if (spec.access !== undefined && !allowed(user.role, spec.access)) throw forbidden(`the ${user.role} role may not do this`);
    }

    const body = spec.body === undefined ? undefined : validate(spec.body, changes ? await readJsonBody(ctx) : undefined);
    const query = spec.query === undefined ? {} : validate(spec.query, ctx.query, 'query string');
    const call: Call<unknown, unknown> = { ctx, params: ctx.params as Record<string, string>, body, query, caller: caller as Caller };
    const result = await spec.handler(call);
    if (result !== undefined) ctx.body = result;
    else if (ctx.body === undefined || ctx.body === null) ctx.status = 204;

    const action = changes ? spec.action : spec.auditRead;
    if (action !== undefined && caller !== undefined && ctx.status < 400) {
      appendAudit(db, {
        actor: caller.user.username,
        action,
        target: call.auditTarget ?? (Object.values(call.params).join('/') || undefined),
        detail: call.auditDetail ?? (body === undefined ? undefined : redact(body)),
      });
    }
  }
}
