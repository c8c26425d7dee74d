import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { readmeWithTables } from '../../src/config/readme-tables.ts';

test('the README documents every queue option with its current default (run scripts/gen-readme-tables.ts)', () => {
  const readme = readFileSync(path.resolve(import.meta.dirname, '../../../README.md'), 'utf8');
  assert.equal(readmeWithTables(readme), readme);
  assert.match(readme, /\| `ring_timeout_s` \| `15` \|/);
});
