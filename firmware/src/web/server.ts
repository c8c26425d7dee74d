import http from 'node:http';
import https from 'node:https';
import { existsSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import Koa from 'koa';
import helmet from 'koa-helmet';
import serve from 'koa-static';
import type { Logger } from '../log.ts';
import type { GpioSnapshot } from '../platform/gpio.ts';
import type { ComponentHealth } from '../supervisor/component-health.ts';
import { buildInfo } from '../version.ts';
import { Api } from './api.ts';
import { LoginLimiter, type LoginPolicy } from './auth/login-limiter.ts';
import { Sessions } from './auth/sessions.ts';
import { jsonErrors } from './http/errors.ts';
import type { LiveState } from './live-state.ts';
import { openApiDocument } from './openapi.ts';
import { authRoutes } from './routes/auth.ts';
import { configRoutes } from './routes/config.ts';
import { healthRoutes } from './routes/health.ts';
import { liveRoutes, type EventStreamOptions } from './routes/live.ts';
import { recordRoutes } from './routes/records.ts';
import { promptRoutes } from './routes/prompts.ts';
import { systemRoutes, type SystemHooks } from './routes/system.ts';
import { userRoutes } from './routes/users.ts';

export interface ApiOptions {
  db: Database;
  dataDir: string;
  live: LiveState;
  leds?: () => GpioSnapshot;
  loginPolicy?: LoginPolicy;
  /** Signed out after this long without a request (default 8 hours: a shift). */
  sessionIdleMs?: number;
  streams?: EventStreamOptions;
  now?: () => number;
  reboot?: SystemHooks['reboot'];
  sipTrace?: SystemHooks['sipTrace'];
  logs?: SystemHooks['logs'];
  update?: SystemHooks['update'];
}

export interface WebServerOptions {
  bind: string;
  port: number;
  health: ComponentHealth;
  log: Logger;
  /** The built browser UI (web-ui/dist); served when present. */
  uiDir?: string;
  /** Serve HTTPS with this certificate; without it plain HTTP (the appliance allows that only on loopback in dev). */
  tls?: { cert: string; key: string };
  /** The management API under /api/v1; without it only /health and the UI are served. */
  api?: ApiOptions;
}

export interface WebServer {
  url: string;
  /** The API's route declarations (for tests and the OpenAPI document). */
  api: Api | undefined;
  close(): Promise<void>;
}

export class WebServerError extends Error {}

/** Koa's model: a tiny core with the capabilities composed as middleware and routers. */
export async function startWebServer(o: WebServerOptions): Promise<WebServer> {
  const app = new Koa();
  app.on('error', (err: NodeJS.ErrnoException) => {
    // A browser closing a live page or an unfinished download is normal, not worth a warning.
    if (err.code === 'ERR_STREAM_PREMATURE_CLOSE' || err.code === 'ECONNRESET' || err.code === 'EPIPE') o.log.debug({ err: err.message }, 'client went away');
    else o.log.warn({ err: err.message }, 'http request failed');
  });
  const secure = o.tls !== undefined;
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          upgradeInsecureRequests: secure ? [] : null,
        },
      },
      strictTransportSecurity: secure ? { maxAge: 31_536_000 } : false,
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );
  app.use(jsonErrors(o.log));

  const health = healthRoutes(o.health);
  app.use(health.routes()).use(health.allowedMethods());

  let api: Api | undefined;
  if (o.api !== undefined) {
    const a = o.api;
    const now = a.now ?? Date.now;
    const sessions = new Sessions(a.db, { idleMs: a.sessionIdleMs ?? 8 * 3600_000, secure, now });
    api = new Api({ db: a.db, sessions });
    authRoutes(api, { db: a.db, sessions, limiter: new LoginLimiter(a.loginPolicy, now), now });
    configRoutes(api, a.db);
    userRoutes(api, a.db);
    recordRoutes(api, a.db);
    promptRoutes(api, { dataDir: a.dataDir });
    liveRoutes(api, a.db, a.live, a.streams);
    systemRoutes(api, a.db, {
      health: o.health,
      dataDir: a.dataDir,
      ...(a.leds === undefined ? {} : { leds: a.leds }),
      ...(a.reboot === undefined ? {} : { reboot: a.reboot }),
      ...(a.sipTrace === undefined ? {} : { sipTrace: a.sipTrace }),
      ...(a.logs === undefined ? {} : { logs: a.logs }),
      ...(a.update === undefined ? {} : { update: a.update }),
      ...(secure ? { reloadTls: (files: { cert: string; key: string }) => (server as https.Server).setSecureContext(files) } : {}),
    });
    const routes = api.routes;
    api.add({
      method: 'get',
      path: '/openapi.json',
      summary: 'This document',
      tag: 'meta',
      gate: 'public',
      handler: () => openApiDocument(routes, buildInfo().version),
    });
    app.use(api.router.routes()).use(api.router.allowedMethods());
  }
  if (o.uiDir && existsSync(o.uiDir)) {
    // Vite names assets by content hash: cache them for good; index.html must be asked again after a firmware update.
    app.use(
      serve(o.uiDir, {
        index: 'index.html',
        setHeaders: (res, file) => res.setHeader('Cache-Control', /[\\/]assets[\\/]/.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache'),
      }),
    );
  }

  const server = secure ? https.createServer({ cert: o.tls?.cert, key: o.tls?.key }, app.callback()) : http.createServer(app.callback());
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new WebServerError(`HTTP port ${o.port} on ${o.bind} is already in use: stop what uses it or set CALLBOX_HTTP_PORT`));
      else if (err.code === 'EADDRNOTAVAIL') reject(new WebServerError(`${o.bind} is not an address of this machine: fix CALLBOX_BIND`));
      else if (err.code === 'EACCES') reject(new WebServerError(`no permission to listen on port ${o.port}: use a port above 1023 or run with CAP_NET_BIND_SERVICE`));
      else reject(err);
    });
    server.listen(o.port, o.bind, () => resolve());
  });
  const host = o.bind.includes(':') ? `[${o.bind}]` : o.bind;
  return {
    url: `${secure ? 'https' : 'http'}://${host}:${o.port}`,
    api,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
