import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { deleteUser } from '../../config/repositories/user-admin.ts';
import { listTotp, removeTotp } from '../../config/repositories/user-totp.ts';
import { listUsers } from '../../config/repositories/users.ts';
import { readSite } from '../../config/site-export.ts';
import { ROLES, userSchema } from '../../config/site-schema.ts';
import type { Api } from '../api.ts';
import { changeSite } from '../config-change.ts';
import { ApiError, notFound } from '../http/errors.ts';

const userView = z.object({
  username: z.string(),
  name: z.string().optional(),
  role: z.enum(ROLES),
  extension: z.string().optional(),
  queues: z.array(z.string()),
  must_change_password: z.boolean(),
  totp_enabled: z.boolean(),
});

/** Console users, validated with the site file's user schema (and its cross-references) like every other entity. */
export function userRoutes(api: Api, db: Database): void {
  const list = () => {
    const totp = new Map(listTotp(db).map((t) => [t.username, t.enabled]));
    return listUsers(db).map((u) => ({
      username: u.username,
      ...(u.name === undefined ? {} : { name: u.name }),
      role: u.role,
      ...(u.extension === undefined ? {} : { extension: u.extension }),
      queues: u.queues,
      must_change_password: u.mustChangePassword,
      totp_enabled: totp.get(u.username) === true,
    }));
  };
  const adminsAfter = (username: string, role: string | undefined) =>
    listUsers(db).filter((u) => (u.username === username ? role === 'admin' : u.role === 'admin')).length;

  api.add({ method: 'get', path: '/users', summary: 'Console users', tag: 'users', access: 'users.read', response: z.array(userView), handler: () => list() });

  api.add({
    method: 'post',
    path: '/users',
    summary: 'Create a user (they must change the password at first sign-in)',
    tag: 'users',
    access: 'users.write',
    body: userSchema,
    response: z.object({ revision: z.number() }),
    action: 'users.create',
    handler: (call) => {
      const u = call.body;
      call.auditTarget = u.username;
      if (u.password === undefined && u.password_hash === undefined) throw new ApiError(400, 'validation', 'a new user needs a password', [{ path: 'password', message: 'is required for a new user' }]);
      if (listUsers(db).some((x) => x.username === u.username)) throw new ApiError(409, 'exists', `user ${u.username} already exists`, [{ path: 'username', message: 'is already used' }]);
      const at = `users[${readSite(db).users.length}]`;
      call.ctx.status = 201;
      return { revision: changeSite(db, call.caller.user.username, (site) => site.users.push(u), at) };
    },
  });

  api.add({
    method: 'put',
    path: '/users/:username',
    summary: 'Change a user (role, name, extension, queues; a password here must be changed at next sign-in)',
    tag: 'users',
    access: 'users.write',
    body: userSchema,
    response: z.object({ revision: z.number() }),
    action: 'users.update',
    handler: (call) => {
      const name = call.params['username'] ?? '';
      const u = call.body;
      if (u.username !== name) throw new ApiError(400, 'validation', 'the username in the body must match the URL', [{ path: 'username', message: `must be ${name}` }]);
      const index = readSite(db).users.findIndex((x) => x.username === name);
      if (index < 0) throw notFound(`user ${name}`);
      if (adminsAfter(name, u.role) === 0) throw new ApiError(409, 'conflict', 'the box needs at least one administrator', [{ path: 'role', message: 'must stay admin: this is the last administrator' }]);
      return { revision: changeSite(db, call.caller.user.username, (site) => site.users.splice(index, 1, u), `users[${index}]`) };
    },
  });

  api.add({
    method: 'delete',
    path: '/users/:username',
    summary: 'Delete a user (not yourself, not the last administrator)',
    tag: 'users',
    access: 'users.write',
    action: 'users.delete',
    handler: (call) => {
      const name = call.params['username'] ?? '';
      if (name === call.caller.user.username) throw new ApiError(409, 'conflict', 'you cannot delete yourself');
      if (adminsAfter(name, undefined) === 0) throw new ApiError(409, 'conflict', 'the box needs at least one administrator');
      if (!deleteUser(db, name)) throw notFound(`user ${name}`);
    },
  });

  api.add({
    method: 'post',
    path: '/users/:username/reset-totp',
    summary: "Remove a user's second factor (a lost phone); they enrol again",
    tag: 'users',
    access: 'users.write',
    action: 'users.reset-totp',
    handler: (call) => {
      const name = call.params['username'] ?? '';
      if (!listUsers(db).some((u) => u.username === name)) throw notFound(`user ${name}`);
      removeTotp(db, name);
    },
  });
}
