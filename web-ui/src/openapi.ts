import type { JsonSchema } from './schema-form.ts';

interface Doc {
  paths: Record<string, Record<string, { requestBody?: { content: { 'application/json': { schema: JsonSchema } } } }>>;
}

let doc: Promise<Doc> | undefined;

/** The request-body schema of an endpoint, from the box's own OpenAPI document (loaded once). */
export async function bodySchema(method: string, path: string): Promise<JsonSchema> {
  doc ??= fetch('/api/v1/openapi.json').then((r) => r.json() as Promise<Doc>);
  const s = (await doc).paths[`/api/v1${path}`]?.[method]?.requestBody?.content['application/json'].schema;
  if (!s) throw new Error(`no schema for ${method} ${path}`);
  return s;
}
