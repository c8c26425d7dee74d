import http from 'node:http';
import { existsSync } from 'node:fs';
import Koa from 'koa';
import serve from 'koa-static';
import type { Logger } from '../log.ts';
import type { ComponentHealth } from '../supervisor/component-health.ts';
import { healthRoutes } from './routes/health.ts';

export interface WebServerOptions {
  bind: string;
  port: number;
  health: ComponentHealth;
  log: Logger;
  /** The built browser UI (web-ui/dist); served when present. */
  uiDir?: string;
}

export interface WebServer {
  url: string;
  close(): Promise<void>;
}

export class WebServerError extends Error {}

/** Koa's model: a tiny core with the capabilities composed as middleware and routers. */
export async function startWebServer(o: WebServerOptions): Promise<WebServer> {
  const app = new Koa();
  app.on('error', (err: Error) => o.log.warn({ err: err.message }, 'http request failed'));
  app.use(async (ctx, next) => {
    await next();
    ctx.set('X-Content-Type-Options', 'nosniff');
  });
  const health = healthRoutes(o.health);
  app.use(health.routes()).use(health.allowedMethods());
  if (o.uiDir && existsSync(o.uiDir)) app.use(serve(o.uiDir, { maxage: 3600_000, index: 'index.html' }));

  const server = http.createServer(app.callback());
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
    url: `http://${host}:${o.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
