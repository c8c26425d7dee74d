import Router from '@koa/router';
import type { ComponentHealth } from '../../supervisor/component-health.ts';

/** `GET /health`, without auth: each component's state; 200 when all are up, 503 otherwise. */
export function healthRoutes(health: ComponentHealth): Router {
  const router = new Router();
  router.get('/health', (ctx) => {
    const report = health.report();
    ctx.status = report.status === 'ok' ? 200 : 503;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = report;
  });
  return router;
}
