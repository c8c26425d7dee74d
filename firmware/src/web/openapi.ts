import { z } from 'zod';
import type { RouteSpec } from './api.ts';
import { ACCESS } from './auth/roles.ts';

const toSchema = (s: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(s, { io, target: 'openapi-3.0', unrepresentable: 'any' });

/** `/extensions/:number` -> `/extensions/{number}` */
const openapiPath = (p: string) => p.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');

/**
 * The OpenAPI document, generated from the route declarations and their zod schemas (the site file's schemas for
 * every entity), so it always matches what the server accepts.
 */
export function openApiDocument(routes: readonly RouteSpec[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const params = [...r.path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    if (r.query !== undefined) {
      const q = toSchema(r.query, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(q.properties ?? {})) params.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema: schema as { type: string } });
    }
    const roles = r.access === undefined ? undefined : ACCESS[r.access];
    const op: Record<string, unknown> = {
      operationId: `${r.method}${r.path.replace(/[/:-]+([a-z])?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      summary: r.summary,
      tags: [r.tag],
      ...(roles === undefined ? {} : { description: `Roles: ${roles.join(', ')}.`, 'x-callbox-access': r.access }),
      ...(r.gate === 'public' ? { security: [] } : {}),
      ...(params.length === 0 ? {} : { parameters: params }),
      ...(r.body === undefined ? {} : { requestBody: { required: true, content: { 'application/json': { schema: toSchema(r.body, 'input') } } } }),
      responses: {
        [r.method === 'post' && r.path.split('/').length === 2 ? '201' : '200']: {
          description: 'success',
          content: { [r.produces ?? 'application/json']: { schema: r.response === undefined ? {} : toSchema(r.response, 'output') } },
        },
        '4XX': { description: 'error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
    (paths[openapiPath(`/api/v1${r.path}`)] ??= {})[r.method] = op;
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Callbox API', version, description: 'Configure, watch and run the Callbox call center. Request bodies use the site file schemas.' },
    servers: [{ url: '/' }],
    security: [{ session: [], csrf: [] }],
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'callbox_session', description: 'set by POST /api/v1/auth/login' },
        csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: 'the callbox_csrf cookie value; required on every change' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error', 'message'],
          properties: {
            error: { type: 'string' },
            message: { type: 'string' },
            errors: { type: 'array', items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
      },
    },
    paths,
  };
}
