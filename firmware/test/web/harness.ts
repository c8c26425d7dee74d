import type { Database } from 'better-sqlite3';
import { openDatabase } from '../../src/config/database.ts';
import { ensureFirstBoot } from '../../src/config/first-boot.ts';
import { hashPassword } from '../../src/config/passwords.ts';
import { upsertUser } from '../../src/config/repositories/users.ts';
import type { Role } from '../../src/config/site-schema.ts';
import { createLogger } from '../../src/log.ts';
import type { GpioSnapshot } from '../../src/platform/gpio.ts';
import { ComponentHealth } from '../../src/supervisor/component-health.ts';
import type { LoginPolicy } from '../../src/web/auth/login-limiter.ts';
import { InMemoryLiveState } from '../../src/web/live-state.ts';
import type { EventStreamOptions } from '../../src/web/routes/live.ts';
import { startWebServer, type WebServer } from '../../src/web/server.ts';
import { freePort } from '../helpers/ports.ts';
import { tempDir } from '../helpers/tmp.ts';

export const ADMIN_FIRST_PASSWORD = 'first-boot-pass-1';
export const GOOD_PASSWORD = 'Corr3ct-horse-battery';

export interface Harness {
  web: WebServer;
  db: Database;
  dir: string;
  live: InMemoryLiveState;
  health: ComponentHealth;
  clock: { now: number };
  /** A signed-in client for a user created with a settled password. */
  as(username: string, password?: string): Promise<Client>;
  client(): Client;
  addUser(username: string, role: Role, extra?: { extension?: string; queues?: string[]; mustChange?: boolean }): void;
}

export interface Res {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read whatever JSON a route answers
  headers: Headers;
}

/** A tiny browser: keeps the cookies, sends the CSRF header from the readable cookie like the UI does. */
export class Client {
  readonly base: string;
  cookies = new Map<string, string>();
  csrf = true;

  constructor(base: string) {
    this.base = base;
  }

  async req(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
    const h: Record<string, string> = { ...headers };
    if (this.cookies.size > 0) h['cookie'] = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const csrf = this.cookies.get('callbox_csrf');
    if (this.csrf && csrf !== undefined && h['x-csrf-token'] === undefined) h['x-csrf-token'] = csrf;
    if (body !== undefined && h['content-type'] === undefined) h['content-type'] = 'application/json';
    const r = await fetch(this.base + path, { method, headers: h, ...(body === undefined ? {} : { body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body) }) });
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const k = pair!.slice(0, i);
      const v = pair!.slice(i + 1);
      if (v === '') this.cookies.delete(k);
      else this.cookies.set(k, v);
    }
    const text = await r.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: r.status, body: parsed, headers: r.headers };
  }

  get = (p: string) => this.req('GET', p);
  post = (p: string, b?: unknown) => this.req('POST', p, b ?? {});
  put = (p: string, b: unknown) => this.req('PUT', p, b);
  del = (p: string) => this.req('DELETE', p);
}

export async function startHarness(
  t: { after(fn: () => unknown): void },
  o: { loginPolicy?: LoginPolicy; streams?: EventStreamOptions; uiDir?: string; leds?: () => GpioSnapshot; update?: (file: string) => Promise<{ method: string; manifest: { version: string; commit: string } }> } = {},
): Promise<Harness> {
  const dir = tempDir(t);
  const db = openDatabase(dir);
  ensureFirstBoot(db, { adminPassword: ADMIN_FIRST_PASSWORD });
  const health = new ComponentHealth();
  health.set('db', 'up', 'test');
  const clock = { now: Date.now() };
  const live = new InMemoryLiveState({ health, ...(o.leds === undefined ? {} : { leds: o.leds, ledPollMs: 100 }) });
  const web = await startWebServer({
    bind: '127.0.0.1',
    port: await freePort(),
    health,
    log: createLogger('test', 'silent'),
    ...(o.uiDir === undefined ? {} : { uiDir: o.uiDir }),
    api: {
      db,
      dataDir: dir,
      live,
      now: () => clock.now,
      ...(o.loginPolicy === undefined ? {} : { loginPolicy: o.loginPolicy }),
      ...(o.streams === undefined ? {} : { streams: o.streams }),
      ...(o.leds === undefined ? {} : { leds: o.leds }),
      ...(o.update === undefined ? {} : { update: o.update }),
    },
  });
  t.after(async () => {
    await web.close();
    live.close();
    db.close();
  });
  const h: Harness = {
    web,
    db,
    dir,
    live,
    health,
    clock,
    client: () => new Client(web.url),
    addUser: (username, role, extra = {}) =>
      upsertUser(db, {
        username,
        role,
        passwordHash: hashPassword(GOOD_PASSWORD),
        mustChangePassword: extra.mustChange ?? false,
        ...(extra.extension === undefined ? {} : { extension: extra.extension }),
        queues: extra.queues ?? [],
      }),
    as: async (username, password = GOOD_PASSWORD) => {
      const c = new Client(web.url);
      const r = await c.post('/api/v1/auth/login', { username, password });
      if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
      return c;
    },
  };
  return h;
}

/** The admin after the forced first password change. */
export async function settledAdmin(h: Harness): Promise<Client> {
  const c = await h.as('admin', ADMIN_FIRST_PASSWORD);
  const r = await c.post('/api/v1/auth/password', { current_password: ADMIN_FIRST_PASSWORD, new_password: GOOD_PASSWORD });
  if (r.status !== 200) throw new Error(`password change: ${r.status} ${JSON.stringify(r.body)}`);
  return c;
}
