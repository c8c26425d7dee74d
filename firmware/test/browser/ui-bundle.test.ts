import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { buildUi } from './browser.ts';

test('the built console is small and self-contained: JavaScript under 300 KB gzipped, nothing loaded from elsewhere', () => {
  const dir = buildUi();
  const assets = readdirSync(path.join(dir, 'assets'));
  const js = assets.filter((f) => f.endsWith('.js'));
  assert.ok(js.length > 0);
  const gz = js.reduce((n, f) => n + gzipSync(readFileSync(path.join(dir, 'assets', f))).length, 0);
  assert.ok(gz < 300 * 1024, `${Math.round(gz / 1024)} KB gzipped`);

  const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
  assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//, 'no script, style or font from another host');
  for (const css of assets.filter((f) => f.endsWith('.css'))) {
    assert.doesNotMatch(readFileSync(path.join(dir, 'assets', css), 'utf8'), /url\((["']?)(https?:)?\/\//, `${css} loads nothing remote`);
    assert.doesNotMatch(readFileSync(path.join(dir, 'assets', css), 'utf8'), /@import/, `${css} imports nothing`);
  }
  for (const f of js) assert.doesNotMatch(readFileSync(path.join(dir, 'assets', f), 'utf8'), /fonts\.googleapis|cdn\.jsdelivr|unpkg\.com/, `${f} loads nothing from a CDN`);
});
