import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { PromptLibrary } from '../../src/media/prompt-library.ts';

test('prompt names: built phrases in the site language, paths in the built library, custom/ in the uploads; no way out', () => {
  let language = 'de-DE';
  const lib = new PromptLibrary({ builtDir: '/opt/prompts', uploadDir: '/data/prompts/custom', language: () => language });
  assert.equal(lib.file('closed'), path.join('/opt/prompts', 'de', 'closed.wav'));
  language = 'fr';
  assert.equal(lib.file('closed'), path.join('/opt/prompts', 'en', 'closed.wav'), 'a language without prompts falls back to English');
  assert.equal(lib.file('moh/default'), path.join('/opt/prompts', 'moh', 'default.wav'));
  assert.equal(lib.file('custom/holiday-2026'), path.join('/data/prompts/custom', 'holiday-2026.wav'));
  assert.throws(() => lib.file('custom/../../../etc/passwd'), /outside the prompts directory/);
  assert.throws(() => lib.file('moh/../../etc/shadow'), /outside the prompts directory/);
});
