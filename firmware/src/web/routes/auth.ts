import { z } from 'zod';
import { appendAudit } from '../../config/repositories/audit.ts';
import { checkPassword, getUser, setPassword, type User } from '../../config/repositories/users.ts';
import { enableTotp, getUserTotp, recordTotpStep, removeTotp, setPendingTotp } from '../../config/repositories/user-totp.ts';
import { deleteUserSessions, setSessionStage, type WebSession } from '../../config/repositories/web-sessions.ts';
import { getWebSettings } from '../../config/repositories/web-settings.ts';
import type { Database } from 'better-sqlite3';
import { totpSetupOwed, type Api } from '../api.ts';
import type { LoginLimiter } from '../auth/login-limiter.ts';
import type { Sessions } from '../auth/sessions.ts';
import { newTotpSecret, otpauthUri, verifyTotp } from '../auth/totp.ts';
import { ApiError } from '../http/errors.ts';

const loginSchema = z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });
const codeSchema = z.strictObject({ code: z.string().regex(/^[0-9]{6}$/, 'must be the 6-digit code from your authenticator app') });
export const newPasswordSchema = z
  .string()
  .min(10, 'must be at least 10 characters long')
  .max(128)
  .refine((p) => new Set(p).size >= 5, 'must use at least 5 different characters');
const passwordChangeSchema = z.strictObject({ current_password: z.string().min(1).max(256), new_password: newPasswordSchema });

export const meSchema = z.object({
  user: z.object({ username: z.string(), name: z.string().optional(), role: z.string(), extension: z.string().optional(), queues: z.array(z.string()) }),
  stage: z.enum(['totp', 'change-password', 'totp-setup', 'ok']),
  csrf_token: z.string(),
  totp_enabled: z.boolean(),
});

export function me(db: Database, user: User, session: WebSession): z.infer<typeof meSchema> {
  const stage = session.stage === 'totp' ? 'totp' : user.mustChangePassword ? 'change-password' : totpSetupOwed(db, user) ? 'totp-setup' : 'ok';
  const { createdAt: _c, updatedAt: _u, mustChangePassword: _m, ...visible } = user;
  return { user: visible, stage, csrf_token: session.csrfToken, totp_enabled: getUserTotp(db, user.username)?.enabled === true };
}

/** Sign-in: password, then TOTP when the user has it, then a forced password change when one is owed. */
export function authRoutes(api: Api, deps: { db: Database; sessions: Sessions; limiter: LoginLimiter; now: () => number }): void {
  const { db, sessions, limiter, now } = deps;
  const lockedError = (ms: number) =>
    new ApiError(429, 'locked', `too many failed attempts: try again in ${Math.ceil(ms / 60_000)} minute(s)`, undefined, { 'Retry-After': String(Math.ceil(ms / 1000)) });

  api.add({
    method: 'post',
    path: '/auth/login',
    summary: 'Sign in with username and password; sets the session and CSRF cookies',
    tag: 'auth',
    gate: 'public',
    body: loginSchema,
    response: meSchema,
    action: 'auth.login',
    handler: ({ ctx, body }) => {
      const keys = [`user:${body.username.toLowerCase()}`, `ip:${ctx.ip}`];
      const wait = limiter.retryAfterMs(keys);
      if (wait > 0) throw lockedError(wait);
      const user = checkPassword(db, body.username, body.password);
      if (user === undefined) {
        limiter.fail(keys);
        const nowLocked = limiter.retryAfterMs(keys);
        appendAudit(db, { actor: body.username, action: nowLocked > 0 ? 'auth.lockout' : 'auth.login-failed', detail: { address: ctx.ip } });
        if (nowLocked > 0) throw lockedError(nowLocked);
        throw new ApiError(401, 'bad_credentials', 'wrong username or password');
      }
      limiter.succeed(keys);
      const totp = getUserTotp(db, user.username);
      const session = sessions.create(ctx, user.username, totp?.enabled === true ? 'totp' : 'ok');
      appendAudit(db, { actor: user.username, action: 'auth.login', detail: { address: ctx.ip, second_factor: totp?.enabled === true } });
      return me(db, user, session);
    },
  });

  api.add({
    method: 'post',
    path: '/auth/totp',
    summary: 'Second sign-in step: the TOTP code',
    tag: 'auth',
    gate: 'totp',
    body: codeSchema,
    response: meSchema,
    action: 'auth.totp',
    handler: (call) => {
      const { user, session } = call.caller;
      call.auditDetail = { address: call.ctx.ip };
      if (session.stage !== 'totp') return me(db, user, session);
      const keys = [`totp:${user.username}`];
      const wait = limiter.retryAfterMs(keys);
      if (wait > 0) throw lockedError(wait);
      const totp = getUserTotp(db, user.username);
      const step = totp === undefined ? null : verifyTotp(totp.secret, call.body.code, now(), totp.lastStep);
      if (totp === undefined || step === null) {
        limiter.fail(keys);
        throw new ApiError(401, 'bad_code', 'wrong or expired code', [{ path: 'code', message: 'is not the current code' }]);
      }
      limiter.succeed(keys);
      recordTotpStep(db, user.username, step);
      setSessionStage(db, session.tokenHash, 'ok');
      return me(db, user, { ...session, stage: 'ok' });
    },
  });

  api.add({
    method: 'get',
    path: '/auth/me',
    summary: 'Who is signed in, the sign-in stage and the CSRF token',
    tag: 'auth',
    gate: 'totp',
    response: meSchema,
    handler: ({ caller }) => me(db, caller.user, caller.session),
  });

  api.add({
    method: 'post',
    path: '/auth/logout',
    summary: 'Sign out (ends this session)',
    tag: 'auth',
    gate: 'totp',
    action: 'auth.logout',
    handler: (call) => {
      sessions.destroy(call.ctx, call.caller.session);
      call.auditTarget = call.caller.user.username;
    },
  });

  api.add({
    method: 'post',
    path: '/auth/password',
    summary: 'Change your own password (required at first sign-in); signs out your other sessions',
    tag: 'auth',
    gate: 'pending',
    body: passwordChangeSchema,
    response: meSchema,
    action: 'auth.password-change',
    handler: (call) => {
      const { user, session } = call.caller;
      call.auditTarget = user.username;
      call.auditDetail = {};
      if (checkPassword(db, user.username, call.body.current_password) === undefined) {
        throw new ApiError(400, 'validation', 'the current password is wrong', [{ path: 'current_password', message: 'is wrong' }]);
      }
      if (call.body.new_password === call.body.current_password || call.body.new_password.toLowerCase().includes(user.username.toLowerCase())) {
        throw new ApiError(400, 'validation', 'choose a different password', [{ path: 'new_password', message: 'must differ from the current password and not contain the username' }]);
      }
      setPassword(db, user.username, call.body.new_password, false);
      deleteUserSessions(db, user.username, session.tokenHash);
      return me(db, getUser(db, user.username) ?? user, session);
    },
  });

  api.add({
    method: 'post',
    path: '/auth/totp/setup',
    summary: 'Start TOTP enrolment: a new secret and its otpauth:// URI (active once confirmed)',
    tag: 'auth',
    gate: 'pending',
    response: z.object({ secret: z.string(), uri: z.string() }),
    action: 'auth.totp-setup',
    handler: (call) => {
      const { user } = call.caller;
      if (getUserTotp(db, user.username)?.enabled === true) throw new ApiError(409, 'conflict', 'TOTP is already on: turn it off first to enrol a new device');
      const secret = newTotpSecret();
      setPendingTotp(db, user.username, secret);
      call.auditTarget = user.username;
      return { secret, uri: otpauthUri(secret, user.username) };
    },
  });

  api.add({
    method: 'post',
    path: '/auth/totp/enable',
    summary: 'Confirm TOTP enrolment with a current code',
    tag: 'auth',
    gate: 'pending',
    body: codeSchema,
    response: meSchema,
    action: 'auth.totp-enable',
    handler: (call) => {
      const { user, session } = call.caller;
      call.auditTarget = user.username;
      call.auditDetail = {};
      const totp = getUserTotp(db, user.username);
      if (totp === undefined) throw new ApiError(409, 'conflict', 'start with POST /auth/totp/setup');
      const step = verifyTotp(totp.secret, call.body.code, now(), totp.lastStep);
      if (step === null) throw new ApiError(400, 'validation', 'wrong code', [{ path: 'code', message: 'is not the current code for this secret' }]);
      enableTotp(db, user.username, step);
      return me(db, user, session);
    },
  });

  api.add({
    method: 'post',
    path: '/auth/totp/disable',
    summary: 'Turn your TOTP off (needs your password; refused for admins when the owner requires TOTP)',
    tag: 'auth',
    gate: 'full',
    access: 'system.read',
    body: z.strictObject({ password: z.string().min(1).max(256) }),
    action: 'auth.totp-disable',
    handler: (call) => {
      const { user } = call.caller;
      call.auditTarget = user.username;
      call.auditDetail = {};
      if (checkPassword(db, user.username, call.body.password) === undefined) throw new ApiError(400, 'validation', 'wrong password', [{ path: 'password', message: 'is wrong' }]);
      if (user.role === 'admin' && getWebSettings(db).totpRequiredForAdmins) throw new ApiError(409, 'conflict', 'TOTP is required for administrators on this box');
      removeTotp(db, user.username);
    },
  });
}
