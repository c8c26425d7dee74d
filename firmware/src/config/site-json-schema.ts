import { siteJsonSchema } from './site-schema.ts';

/** The exact text of firmware/schema/site.schema.json, so the generator and the staleness test agree. */
export function siteJsonSchemaText(): string {
  return `${JSON.stringify(siteJsonSchema(), null, 2)}\n`;
}
