import type { Database } from 'better-sqlite3';
import { hashPassword, verifyPassword } from '../passwords.ts';
import type { Role } from '../site-schema.ts';

export interface User {
  username: string;
  name?: string;
  role: Role;
  mustChangePassword: boolean;
  /** The extension an agent user works. */
  extension?: string;
  /** The queues a supervisor sees. */
  queues: string[];
  createdAt: string;
  updatedAt: string;
}

export type UserWithHash = User & { passwordHash: string };

interface Row {
  username: string;
  display_name: string | null;
  role: Role;
  password_hash: string;
  must_change_password: number;
  extension: string | null;
  queues: string;
  created_at: string;
  updated_at: string;
}

function fromRow(r: Row): UserWithHash {
  return {
    username: r.username,
    ...(r.display_name === null ? {} : { name: r.display_name }),
    role: r.role,
    mustChangePassword: r.must_change_password === 1,
    ...(r.extension === null ? {} : { extension: r.extension }),
    queues: JSON.parse(r.queues) as string[],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    passwordHash: r.password_hash,
  };
}

function withoutHash(u: UserWithHash): User {
  const { passwordHash: _hash, ...user } = u;
  return user;
}

export function listUsersWithHashes(db: Database): UserWithHash[] {
  return (db.prepare('SELECT * FROM users ORDER BY username').all() as Row[]).map(fromRow);
}

export function listUsers(db: Database): User[] {
  return listUsersWithHashes(db).map(withoutHash);
}

export function getUser(db: Database, username: string): User | undefined {
  const row = db.prepare('SELECT * FROM users WHERE username = ?').get(username) as Row | undefined;
  return row === undefined ? undefined : withoutHash(fromRow(row));
}

export function countUsersWithRole(db: Database, role: Role): number {
  return (db.prepare('SELECT count(*) AS n FROM users WHERE role = ?').get(role) as { n: number }).n;
}

export interface UserInput {
  username: string;
  name?: string;
  role: Role;
  passwordHash: string;
  mustChangePassword: boolean;
  extension?: string;
  queues?: string[];
}

/** Creates the user or replaces every field of an existing one (keeping its creation time). */
export function upsertUser(db: Database, u: UserInput, now = new Date()): void {
  const at = now.toISOString();
  db.prepare(
    `INSERT INTO users (username, display_name, role, password_hash, must_change_password, extension, queues, created_at, updated_at)
     VALUES (@username, @name, @role, @hash, @must, @extension, @queues, @at, @at)
     ON CONFLICT (username) DO UPDATE SET display_name = @name, role = @role, password_hash = @hash,
       must_change_password = @must, extension = @extension, queues = @queues, updated_at = @at`,
  ).run({
    username: u.username,
    name: u.name ?? null,
    role: u.role,
    hash: u.passwordHash,
    must: u.mustChangePassword ? 1 : 0,
    extension: u.extension ?? null,
    queues: JSON.stringify(u.queues ?? []),
    at,
  });
}

export function setPassword(db: Database, username: string, password: string, mustChange: boolean, now = new Date()): boolean {
  const r = db
    .prepare('UPDATE users SET password_hash = ?, must_change_password = ?, updated_at = ? WHERE username = ?')
    .run(hashPassword(password), mustChange ? 1 : 0, now.toISOString(), username);
  return r.changes === 1;
}

/** The user when the password is right; undefined for an unknown user or a wrong password (same work either way). */
export function checkPassword(db: Database, username: string, password: string): User | undefined {
  const row = db.prepare('SELECT * FROM users WHERE username = ?').get(username) as Row | undefined;
  // Hash against a dummy when the user is unknown, so response time does not reveal which usernames exist.
  const ok = verifyPassword(password, row?.password_hash ?? dummyHash());
  return row !== undefined && ok ? withoutHash(fromRow(row)) : undefined;
}

let dummy: string | undefined;
function dummyHash(): string {
  dummy ??= hashPassword('callbox-dummy-password');
  return dummy;
}
