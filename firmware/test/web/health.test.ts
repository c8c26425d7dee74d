import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { createLogger } from '../../src/log.ts';
import { ComponentHealth } from '../../src/supervisor/component-health.ts';
import { startWebServer, WebServerError } from '../../src/web/server.ts';
import { freePort } from '../helpers/ports.ts';

const log = createLogger('test', 'silent');

test('/health answers 200 when every component is up and 503 naming the one that is down', async (t) => {
  const health = new ComponentHealth();
  health.set('db', 'up', 'ok');
  health.set('rtpengine', 'up', 'ng 127.0.0.1:22222');
  const web = await startWebServer({ bind: '127.0.0.1', port: await freePort(), health, log });
  t.after(() => web.close());

  let res = await fetch(`${web.url}/health`);
  assert.equal(res.status, 200);
  let body = (await res.json()) as { status: string; components: Record<string, { state: string }> };
  assert.equal(body.status, 'ok');
  assert.equal(body.components['rtpengine']?.state, 'up');

  health.set('rtpengine', 'down', 'no answer to ng ping');
  res = await fetch(`${web.url}/health`);
  assert.equal(res.status, 503);
  body = (await res.json()) as typeof body;
  assert.equal(body.status, 'fault');
  assert.equal(body.components['rtpengine']?.state, 'down');
  assert.equal(res.headers.get('cache-control'), 'no-store');
});

test('a port in use is reported with the variable that moves it', async (t) => {
  const blocker = net.createServer();
  const port = await freePort();
  await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', r));
  t.after(() => blocker.close());
  await assert.rejects(
    startWebServer({ bind: '127.0.0.1', port, health: new ComponentHealth(), log }),
    (err: Error) => err instanceof WebServerError && /already in use.*CALLBOX_HTTP_PORT/.test(err.message),
  );
});
