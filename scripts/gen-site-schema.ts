// Writes firmware/schema/site.schema.json from the zod schema of the site file (the API serves the same).
// Run: $NODE scripts/gen-site-schema.ts   (a test fails when the committed file is stale)
import { writeFileSync } from 'node:fs';
import { siteJsonSchemaText } from '../firmware/src/config/site-json-schema.ts';

const target = new URL('../firmware/schema/site.schema.json', import.meta.url);
writeFileSync(target, siteJsonSchemaText());
console.log(`wrote ${target.pathname}`);
