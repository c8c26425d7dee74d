import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { siteSchema } from '../../src/config/site-schema.ts';
import { startHarness } from './harness.ts';

/** A section of the site file as the API would take it: lists by their entries, defaults unwrapped. */
function editable(s: z.ZodType): z.ZodType {
  let x = s;
  for (;;) {
    if (x instanceof z.ZodDefault) x = x.unwrap() as z.ZodType;
    else if (x instanceof z.ZodArray) x = x.element as z.ZodType;
    else return x;
  }
}

test('every section of the site file can be written through the API, validated by the site file schema', async (t) => {
  const h = await startHarness(t);
  const doc = (await h.client().get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>> };
  const bodies = new Map<string, string[]>();
  for (const [p, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const schema = op.requestBody?.content['application/json']?.schema;
      if (schema === undefined || (method !== 'put' && method !== 'post')) continue;
      const key = JSON.stringify(schema);
      bodies.set(key, [...(bodies.get(key) ?? []), `${method.toUpperCase()} ${p}`]);
    }
  }
  const missing: string[] = [];
  for (const [section, schema] of Object.entries(siteSchema.shape)) {
    if (section === 'version') continue;
    const expected = JSON.stringify(z.toJSONSchema(editable(schema as z.ZodType), { io: 'input', target: 'openapi-3.0', unrepresentable: 'any' }));
    if (!bodies.has(expected)) missing.push(section);
  }
  assert.deepEqual(missing, [], 'site file sections without an API route that takes them whole (the console forms are built from these)');
});
