import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startHarness } from './harness.ts';

test('the OpenAPI document lists every route the server answers, with bodies from the site file schemas', async (t) => {
  const h = await startHarness(t);
  const r = await h.client().get('/api/v1/openapi.json');
  assert.equal(r.status, 200);
  const doc = r.body as { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown>; required?: string[] } }> } }>> };
  assert.equal(doc.openapi, '3.0.3');

  // Compare with the router itself, not with the declarations, so a route added another way would be caught.
  const layers = h.web.api!.router.stack.flatMap((l) => l.methods.filter((m) => m !== 'HEAD').map((m) => `${m.toLowerCase()} ${String(l.path).replace(/:([A-Za-z_]+)/g, '{$1}')}`));
  const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
  assert.ok(layers.length > 80, `only ${layers.length} routes`);
  assert.deepEqual([...new Set(layers)].sort(), documented.sort());

  const ext = doc.paths['/api/v1/extensions']?.['post']?.requestBody?.content['application/json']?.schema;
  assert.deepEqual(ext?.required, ['number', 'name']);
  assert.ok(ext?.properties?.['agent']);
  for (const family of ['/api/v1/queues/{number}', '/api/v1/snmp', '/api/v1/users', '/api/v1/audit', '/api/v1/cdrs', '/api/v1/system/backup', '/api/v1/live/events', '/api/v1/agents/{extension}/pause']) {
    assert.ok(doc.paths[family], `${family} is documented`);
  }
});
