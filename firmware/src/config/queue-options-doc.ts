import { z } from 'zod';
import { queueObject } from './site-schema.ts';

interface JsonProp {
  type?: string | string[];
  default?: unknown;
  description?: string;
  properties?: Record<string, JsonProp>;
  anyOf?: JsonProp[];
  enum?: unknown[];
}

const skip = new Set(['number', 'name', 'members']);

function rows(props: Record<string, JsonProp>, prefix: string, defaults: Record<string, unknown>): string[] {
  return Object.entries(props).flatMap(([key, p]) => {
    const name = `${prefix}${key}`;
    if (!prefix && skip.has(key)) return [];
    const def = defaults[key];
    const nested = p.properties ?? p.anyOf?.find((a) => a.properties)?.properties;
    if (nested && def !== null && typeof def === 'object' && !Array.isArray(def) && Object.keys(nested).length) {
      return rows(nested, `${name}.`, def as Record<string, unknown>);
    }
    const values = p.enum ? ` (${p.enum.join(', ')})` : '';
    const shown = def === undefined ? '—' : `\`${JSON.stringify(def)}\``;
    return [`| \`${name}\` | ${shown} | ${(p.description ?? '').replaceAll('|', '\\|')}${values} |`];
  });
}

/**
 * The README's table of queue options, made from the schema that validates them so the two cannot drift
 * (a test compares the README with this).
 */
export function queueOptionsMarkdown(): string {
  const schema = z.toJSONSchema(queueObject, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, JsonProp> };
  const defaults = queueObject.parse({ number: '00', name: 'x' }) as Record<string, unknown>;
  return ['| option | default | meaning |', '|---|---|---|', ...rows(schema.properties, '', defaults)].join('\n');
}
