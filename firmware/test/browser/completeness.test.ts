import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { assetPath } from '../../src/assets.ts';
import { applySiteFile } from '../../src/config/site-apply.ts';
import { readSite } from '../../src/config/site-export.ts';
import { startHarness } from '../web/harness.ts';
import { buildUi, firstLogin, openBrowser, shot } from './browser.ts';

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  enum?: unknown[];
}

/** A configuration page: its link, its API path, and for lists the key field and noun of the Edit buttons. */
interface FormPage {
  link: string;
  path: string;
  list?: { key: string; noun: string; bodyOf?: string; hide?: string[] };
}

const PAGES: FormPage[] = [
  { link: 'Extensions', path: '/extensions', list: { key: 'number', noun: 'extension' } },
  { link: 'Phones', path: '/phones', list: { key: 'mac', noun: 'phone' } },
  { link: 'Agents and skills', path: '/agents', list: { key: 'extension', noun: 'agent', bodyOf: 'agent' } },
  { link: 'Queues', path: '/queues', list: { key: 'number', noun: 'queue' } },
  { link: 'Pause reasons', path: '/pause-reasons', list: { key: 'code', noun: 'pause reason' } },
  { link: 'IVR flows', path: '/ivr', list: { key: 'name', noun: 'IVR flow' } },
  { link: 'Hours and holidays', path: '/hours', list: { key: 'name', noun: 'hours' } },
  { link: 'Trunks', path: '/trunks', list: { key: 'name', noun: 'trunk' } },
  { link: 'Users', path: '/users', list: { key: 'username', noun: 'user', hide: ['password_hash'] } },
  { link: 'Site', path: '/site' },
  { link: 'Routes', path: '/routes' },
  { link: 'Recording policy', path: '/recording-policy' },
  { link: 'SBC policy', path: '/sbc-policy' },
  { link: 'QoS', path: '/qos' },
  { link: 'SNMP', path: '/snmp' },
  { link: 'Feature codes', path: '/feature-codes' },
];

const SHOTS: Record<string, string> = { '/queues': '23-tablet-queue-form', '/ivr': '24-tablet-ivr-form', '/snmp': '25-tablet-snmp-form', '/trunks': '26-tablet-trunk-form' };

const objects = (s: JsonSchema) => (s.oneOf ?? s.anyOf ?? []).filter((o) => o.type === 'object' && o.properties);

/**
 * The paths of the fields a form for `schema` must offer, given the value it edits: every property down to the
 * values, inside lists and maps the fields of each entry, and of variants (an IVR node's type) the chosen one's.
 */
function fieldPaths(schema: JsonSchema, value: unknown, path: string, hide: string[] = []): string[] {
  const at = (k: string) => (path === '' ? k : `${path}.${k}`);
  if (schema.type === 'object' && schema.properties) {
    const v = (value ?? {}) as Record<string, unknown>;
    return Object.entries(schema.properties)
      .filter(([k]) => path !== '' || !hide.includes(k))
      .flatMap(([k, s]) => fieldPaths(s, v[k], at(k)));
  }
  const variants = objects(schema);
  if (variants.length > 0 && typeof value === 'object' && value !== null) {
    const v = value as Record<string, unknown>;
    const chosen = variants.find((o) => Object.entries(o.properties ?? {}).every(([k, p]) => p.enum?.length !== 1 || p.enum[0] === v[k])) ?? variants[0];
    return [path, ...fieldPaths(chosen as JsonSchema, v, path)];
  }
  if (variants.length === 1 && value !== undefined) {
    // The short form of an entry ("1001" for a queue member) is shown as the full object.
    return [path, ...fieldPaths(variants[0] as JsonSchema, { [(variants[0] as JsonSchema).required?.[0] ?? '']: value }, path)];
  }
  if (schema.type === 'object' && typeof schema.additionalProperties === 'object' && (objects(schema.additionalProperties).length > 0 || schema.additionalProperties.properties)) {
    const entries = Object.entries((value ?? {}) as Record<string, unknown>);
    return [path, ...entries.flatMap(([k, x]) => fieldPaths(schema.additionalProperties as JsonSchema, x, at(k)))];
  }
  if (schema.type === 'array' && schema.items !== undefined && (schema.items.properties || objects(schema.items).length > 0)) {
    const items = Array.isArray(value) ? value : [];
    return [path, ...items.flatMap((x, i) => fieldPaths(schema.items as JsonSchema, x, `${path}[${i}]`))];
  }
  return [path];
}

async function openForm(page: Page, p: FormPage, key?: string): Promise<void> {
  await page.getByRole('link', { name: p.link, exact: true }).click();
  // The page itself, not the previous page's form still on screen.
  await page.getByRole('heading', { level: 1, name: p.link, exact: true }).waitFor();
  if (p.list !== undefined && key !== undefined) {
    await page.getByRole('button', { name: `Edit ${p.list.noun} ${key}`, exact: true }).click();
  }
  await page.locator('main form').waitFor();
}

test('anything the site file can set, the console can set: every field of every entity has a control, and saving each form unchanged changes nothing', async (t) => {
  const h = await startHarness(t, { uiDir: buildUi() });
  const applied = applySiteFile(h.db, readFileSync(assetPath.exampleSite(), 'utf8'), 'test');
  assert.ok(applied.ok, JSON.stringify(applied));
  const { page } = await openBrowser(t);
  // At tablet width: the forms must work there too (screenshots of a few of the richest below).
  await page.setViewportSize({ width: 800, height: 1100 });
  const scriptErrors: string[] = [];
  page.on('pageerror', (e) => scriptErrors.push(e.message));
  await firstLogin(page, h.web.url, 'Owner-chosen-pass-42');
  const api = await h.as('admin', 'Owner-chosen-pass-42');
  const openapi = (await api.get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> } }>> };
  const bodySchema = (path: string, method: string) => openapi.paths[`/api/v1${path}`]?.[method]?.requestBody?.content['application/json']?.schema as JsonSchema;

  // A preference order that is not the order of the choices: the form must keep it.
  const first = ((await api.get('/api/v1/extensions')).body as Record<string, unknown>[])[0] as Record<string, unknown>;
  assert.equal((await api.put(`/api/v1/extensions/${String(first['number'])}`, { ...first, codecs: ['G722', 'PCMA'] })).status, 200);

  const before = readSite(h.db);
  const missing: string[] = [];
  const asJson: string[] = [];
  const refusedSaves: string[] = [];
  for (const p of PAGES) {
    const items = p.list === undefined ? [undefined] : ((await api.get(`/api/v1${p.path}`)).body as Record<string, unknown>[]);
    assert.ok(items.length > 0, `the example site has ${p.link.toLowerCase()} to edit`);
    for (const item of items) {
      const key = p.list === undefined || item === undefined ? undefined : String(item[p.list.key]);
      const schema = p.list === undefined ? bodySchema(p.path, 'put') : bodySchema(`${p.path}/{${p.list.key}}`, 'put');
      assert.ok(schema, `${p.path} has a PUT body schema`);
      const value = p.list === undefined ? (await api.get(`/api/v1${p.path}`)).body : p.list.bodyOf === undefined ? item : (item as Record<string, unknown>)[p.list.bodyOf];
      await openForm(page, p, key);
      const form = page.locator('main form');
      const offered = new Set(await form.locator('[data-field]').evaluateAll((els) => els.map((e) => e.getAttribute('data-field') ?? '')));
      for (const f of fieldPaths(schema, value, '', p.list?.hide)) if (!offered.has(f)) missing.push(`${p.link}${key === undefined ? '' : ` ${key}`}: ${f}`);
      const shotName = SHOTS[p.path];
      if (shotName !== undefined && item === items[0]) await shot(page, shotName);
      for (const f of await form.locator('textarea.json').evaluateAll((els) => els.map((e) => e.getAttribute('data-path') ?? ''))) asJson.push(`${p.path} ${f}`);
      await page.locator('#notice').evaluate((el) => el.setAttribute('hidden', ''));
      await form.getByRole('button', { name: 'Save' }).click();
      const refused = form.locator('.error-summary:not([hidden])');
      await Promise.race([page.locator('#notice.notice-ok:not([hidden])').waitFor(), refused.waitFor()]);
      if (await refused.isVisible()) refusedSaves.push(`${p.link}${key === undefined ? '' : ` ${key}`}: ${await refused.innerText()}`);
    }
  }
  assert.deepEqual(refusedSaves, [], 'the box takes back every form as it showed it');
  assert.deepEqual(missing, [], 'every field has a control');
  assert.deepEqual(asJson, [], 'no field is left to raw JSON');
  const after = readSite(h.db);
  assert.deepEqual(after, before, 'saving every form unchanged keeps the whole configuration as it was');
  assert.deepEqual(scriptErrors, []);
});
