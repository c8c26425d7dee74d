// Rewrites the generated tables in README.md (between `<!-- NAME:start -->` and `<!-- NAME:end -->`) from the
// schemas they describe; a test fails when README.md is stale. Run: node scripts/gen-readme-tables.ts
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readmeWithTables } from '../firmware/src/config/readme-tables.ts';

const file = path.join(import.meta.dirname, '..', 'README.md');
const before = readFileSync(file, 'utf8');
const after = readmeWithTables(before);
if (after !== before) writeFileSync(file, after);
console.log(after === before ? 'README.md tables up to date' : 'README.md tables rewritten');
