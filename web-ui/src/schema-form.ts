import { h, uid } from './dom.ts';

/*
 * Forms generated from the JSON Schemas in the box's OpenAPI document, which come from the site file's own
 * schemas: every field the site file has appears here, with its limits and help text, without a hand-written
 * form per entity. The server validates again and its errors (with paths) are shown next to the fields.
 */

export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: (string | number)[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  const?: unknown;
  nullable?: boolean;
}

export interface FormPart {
  el: HTMLElement;
  /** The value for the request body; undefined means "leave the field out". */
  read(): unknown;
}

/** Words of field names a person reads differently: abbreviations in capitals, jargon spelled out. */
const WORDS: Record<string, string> = {
  dnd: 'do not disturb', sip: 'SIP', rtp: 'RTP', dscp: 'DSCP', ivr: 'IVR', snmp: 'SNMP', did: 'DID', dtmf: 'DTMF', tls: 'TLS',
  ip: 'IP', url: 'URL', mac: 'MAC', moh: 'music on hold', id: 'ID', cidr: 'CIDR', rtt: 'RTT', ewt: 'estimated wait', wrapup: 'wrap-up', priv: 'privacy', auth: 'authentication', agentx: 'AgentX',
};
const label = (key: string) =>
  key
    .replace(/_s$/, ' (s)')
    .split('_')
    .map((w) => WORDS[w] ?? w)
    .join(' ')
    .replace(/^./, (c) => c.toUpperCase());
const singular = (t: string) => t.replace(/ies$/, 'y').replace(/s$/, '');
const isPrimitive = (s: JsonSchema) => s.type === 'string' || s.type === 'integer' || s.type === 'number' || s.type === 'boolean';

function control(path: string, labelText: string, input: HTMLElement, hint?: string): HTMLElement {
  const id = uid();
  input.id = id;
  input.dataset['path'] = path;
  const hintEl = hint ? h('small', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field', 'data-field': path }, h('label', { for: id }, labelText), input, hintEl, h('div', { class: 'field-error', 'aria-live': 'polite' }));
}

/** Builds the form part for one schema node, pre-filled with `value` (or the schema default). */
export function build(schema: JsonSchema, value: unknown, path: string, key: string, required: boolean): FormPart {
  const v = value === undefined ? schema.default : value;
  const title = label(key);
  const hint = schema.description;

  if (schema.type === 'object' && schema.properties) return buildObject(schema, v, path, key, required);
  const variants = objectVariants(schema);
  if (variants !== undefined) return buildUnion(variants, v, path, key);
  if (schema.type === 'object' && typeof schema.additionalProperties === 'object' && itemBuilder(schema.additionalProperties) !== undefined) {
    return buildMap(schema.additionalProperties, v, path, title, hint);
  }
  if (schema.type === 'object' && typeof schema.additionalProperties === 'object' && isPrimitive(schema.additionalProperties)) {
    // A map such as skills: "billing=4, german=5"
    const input = h('input', { type: 'text', value: Object.entries((v ?? {}) as Record<string, unknown>).map(([k, x]) => `${k}=${String(x)}`).join(', ') });
    const numeric = schema.additionalProperties.type === 'integer' || schema.additionalProperties.type === 'number';
    return {
      el: control(path, title, input, `${hint ? `${hint}; ` : ''}write name=value, separated by commas`),
      read: () => {
        const text = input.value.trim();
        if (text === '') return required || schema.default !== undefined ? {} : undefined;
        return Object.fromEntries(text.split(',').map((p) => p.trim()).filter(Boolean).map((p) => {
          const [k, x = ''] = p.split('=').map((s) => s.trim());
          return [k, numeric && x !== '' && !Number.isNaN(Number(x)) ? Number(x) : x];
        }));
      },
    };
  }
  if (schema.type === 'array' && schema.items) {
    const items = schema.items;
    if (items.type === 'string' && items.enum) {
      const chosen = new Set((v ?? []) as string[]);
      const boxes = items.enum.map((opt) => {
        const cb = h('input', { type: 'checkbox', value: String(opt), checked: chosen.has(String(opt)) });
        return { cb, el: h('label', { class: 'check' }, cb, ` ${String(opt)}`) };
      });
      const fs = h('fieldset', { class: 'checks', 'data-field': path }, h('legend', {}, title), boxes.map((b) => b.el), hint ? h('small', { class: 'hint' }, hint) : null, h('div', { class: 'field-error', 'aria-live': 'polite' }));
      return {
        el: fs,
        read: () => {
          // Order can be a preference (codecs, digest algorithms): what was chosen keeps its place, new ticks follow.
          const before = [...chosen];
          const rank = (x: string) => (before.includes(x) ? before.indexOf(x) : before.length);
          const picked = boxes.filter((b) => b.cb.checked).map((b) => b.cb.value).sort((a, b) => rank(a) - rank(b));
          // None ticked on an optional list without a default means "the box's default", not "none".
          return picked.length === 0 && !required && schema.default === undefined ? undefined : picked;
        },
      };
    }
    const stringish = items.type === 'string' || (items.anyOf ?? []).some((a) => a.type === 'string');
    const simple = ((v ?? []) as unknown[]).every((x) => typeof x === 'string' || typeof x === 'number');
    if (stringish && simple && shortForm(items) === undefined) {
      const input = h('input', { type: 'text', value: ((v ?? []) as unknown[]).join(', ') });
      return {
        el: control(path, title, input, `${hint ? `${hint}; ` : ''}separate entries with commas`),
        read: () => {
          const parts = input.value.split(',').map((s) => s.trim()).filter(Boolean);
          return parts.length === 0 && !required && schema.default === undefined ? undefined : parts;
        },
      };
    }
    const builder = itemBuilder(items);
    if (builder !== undefined) return buildList(builder, v, path, title, hint);
  }
  if (schema.type === 'boolean' && !required && schema.default === undefined) {
    // No default in the schema: leaving it out means something (e.g. "must change password" follows from whether
    // a password is given), so the form offers "default" as well as yes and no.
    const select = h('select', {}, [['', 'default'], ['true', 'yes'], ['false', 'no']].map(([val, text]) => h('option', { value: val, selected: String(v ?? '') === val }, text)));
    return { el: control(path, title, select, hint), read: () => (select.value === '' ? undefined : select.value === 'true') };
  }
  if (schema.type === 'boolean') {
    const input = h('input', { type: 'checkbox', checked: v === true });
    input.dataset['path'] = path;
    return { el: h('div', { class: 'field field-check', 'data-field': path }, h('label', {}, input, ` ${title}`), hint ? h('small', { class: 'hint' }, hint) : null, h('div', { class: 'field-error' })), read: () => input.checked };
  }
  if (schema.type === 'string' && schema.enum) {
    const select = h('select', {}, !required && schema.default === undefined ? h('option', { value: '' }, '—') : null, schema.enum.map((o) => h('option', { value: String(o), selected: String(o) === String(v ?? '') }, String(o))));
    return { el: control(path, title, select, hint), read: () => (select.value === '' ? undefined : select.value) };
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    const input = h('input', { type: 'number', value: v === undefined || v === null ? '' : String(v), min: schema.minimum, max: schema.maximum, step: schema.type === 'integer' ? 1 : 'any' });
    return { el: control(path, title, input, hint), read: () => (input.value === '' ? undefined : Number(input.value)) };
  }
  if (schema.type === 'string') {
    const secret = /password/.test(key);
    const input = h('input', { type: secret ? 'password' : 'text', value: typeof v === 'string' ? v : '', autocomplete: secret ? 'new-password' : 'off', maxlength: schema.maxLength });
    return { el: control(path, title, input, hint), read: () => (input.value === '' && !required ? undefined : input.value) };
  }
  if ((schema.anyOf ?? []).every(isPrimitive) && schema.anyOf) {
    // e.g. a DSCP value: a name or a number
    const input = h('input', { type: 'text', value: v === undefined ? '' : String(v) });
    return { el: control(path, title, input, hint), read: () => (input.value === '' ? undefined : /^[0-9]+$/.test(input.value) ? Number(input.value) : input.value) };
  }
  // Anything richer (IVR nodes, lists of unions): edited as JSON, still validated by the box.
  const area = h('textarea', { rows: 6, class: 'json', spellcheck: 'false' }, v === undefined ? '' : JSON.stringify(v, null, 2));
  return {
    el: control(path, `${title} (JSON)`, area, hint),
    read: () => {
      if (area.value.trim() === '') return undefined;
      try {
        return JSON.parse(area.value) as unknown;
      } catch {
        return area.value;
      }
    },
  };
}

/** The controls for an object's properties, in a grid, without a frame of their own. */
function fields(schema: JsonSchema, v: unknown, path: string): { el: HTMLElement; read: () => Record<string, unknown> } {
  const obj = (v ?? {}) as Record<string, unknown>;
  // What identifies the entry (a queue's number and name) comes first, however the schema composes its fields.
  const first = (k: string, s: JsonSchema) => (schema.required?.includes(k) === true && isPrimitive(s) ? 0 : 1);
  const entries = Object.entries(schema.properties ?? {}).sort(([ka, sa], [kb, sb]) => first(ka, sa) - first(kb, sb));
  const parts = entries.map(([k, s]) => ({ k, part: build(s, obj[k], path === '' ? k : `${path}.${k}`, k, schema.required?.includes(k) ?? false) }));
  const read = () => {
    const out: Record<string, unknown> = {};
    for (const { k, part } of parts) {
      const x = part.read();
      if (x !== undefined) out[k] = x;
    }
    return out;
  };
  return { el: h('div', { class: 'form-fields' }, parts.map((p) => p.part.el)), read };
}

function buildObject(schema: JsonSchema, v: unknown, path: string, key: string, required: boolean): FormPart {
  const { el: body, read } = fields(schema, v, path);
  if (path === '') return { el: body, read };
  // Optional sections without a default (e.g. "agent": present = takes queue calls) and nullable ones (e.g. a
  // queue's overflow, null = none) are off until switched on.
  const nullable = schema.nullable === true || schema.default === null;
  if ((!required && schema.default === undefined) || nullable) {
    const on = h('input', { type: 'checkbox', checked: v !== undefined && v !== null, 'data-path': path });
    const sync = () => (body.hidden = !on.checked);
    on.addEventListener('change', sync);
    sync();
    return {
      el: h('fieldset', { class: 'section', 'data-field': path }, h('legend', {}, h('label', {}, on, ` ${label(key)}`)), schema.description ? h('small', { class: 'hint' }, schema.description) : null, body, h('div', { class: 'field-error' })),
      read: () => (on.checked ? read() : nullable ? null : undefined),
    };
  }
  return { el: h('fieldset', { class: 'section', 'data-field': path }, h('legend', {}, label(key)), schema.description ? h('small', { class: 'hint' }, schema.description) : null, body, h('div', { class: 'field-error' })), read };
}

type ItemBuilder = (value: unknown, path: string, key: string) => FormPart;

/*
 * Variants of one thing told apart by a property with one fixed value each (an IVR node's `type`, a trap
 * receiver's `version`): the form shows a choice of that value and the fields of the chosen variant.
 */
interface Variants {
  tag: string;
  list: { value: string; schema: JsonSchema }[];
}

const fixedValue = (s: JsonSchema | undefined) => (s?.const !== undefined ? String(s.const) : s?.enum?.length === 1 ? String(s.enum[0]) : undefined);

function objectVariants(schema: JsonSchema): Variants | undefined {
  const options = schema.oneOf ?? schema.anyOf;
  if (options === undefined || options.length < 2 || !options.every((o) => o.type === 'object' && o.properties)) return undefined;
  const tag = Object.keys(options[0]?.properties ?? {}).find((k) => options.every((o) => fixedValue(o.properties?.[k]) !== undefined));
  if (tag === undefined) return undefined;
  return { tag, list: options.map((o) => ({ value: fixedValue(o.properties?.[tag]) as string, schema: o })) };
}

/*
 * A value written either in full (an object) or, when only its one required field differs from the defaults, as
 * that field alone (a queue member "1001" or { extension: "1001", penalty: 2 }). The form always shows the full
 * object and writes the short form back whenever it says the same, so an unchanged entry stays as it was written.
 */
interface ShortForm {
  full: JsonSchema;
  field: string;
}

function shortForm(schema: JsonSchema): ShortForm | undefined {
  const options = schema.anyOf ?? schema.oneOf;
  const full = options?.find((o) => o.type === 'object' && o.properties);
  const short = options?.find(isPrimitive);
  if (options?.length !== 2 || full === undefined || short === undefined || full.required?.length !== 1) return undefined;
  const field = full.required[0] as string;
  return full.properties?.[field]?.type === short.type ? { full, field } : undefined;
}

/** How to edit one entry of a list or map, or undefined when the form has no controls for it (then: JSON). */
function itemBuilder(items: JsonSchema): ItemBuilder | undefined {
  if (items.type === 'object' && items.properties) return (value, path, key) => buildObject(items, value, path, key, true);
  const variants = objectVariants(items);
  if (variants !== undefined) return (value, path, key) => buildUnion(variants, value, path, key);
  const sf = shortForm(items);
  if (sf === undefined) return undefined;
  return (value, path, key) => {
    const part = buildObject(sf.full, typeof value === 'object' ? value : value === undefined ? undefined : { [sf.field]: value }, path, key, true);
    return {
      el: part.el,
      read: () => {
        const full = part.read() as Record<string, unknown>;
        const rest = Object.entries(full).filter(([k]) => k !== sf.field);
        return rest.every(([k, x]) => sf.full.properties?.[k]?.default === x) ? full[sf.field] : full;
      },
    };
  };
}

function buildUnion(variants: Variants, v: unknown, path: string, key: string): FormPart {
  const current = (v ?? {}) as Record<string, unknown>;
  const tagPath = path === '' ? variants.tag : `${path}.${variants.tag}`;
  const select = h('select', {}, variants.list.map((o) => h('option', { value: o.value, selected: String(current[variants.tag] ?? '') === o.value }, o.value)));
  const holder = h('div');
  let part = fields({}, undefined, path);
  const render = (values: unknown) => {
    const chosen = variants.list.find((o) => o.value === select.value) ?? variants.list[0];
    const props = Object.fromEntries(Object.entries(chosen?.schema.properties ?? {}).filter(([k]) => k !== variants.tag));
    part = fields({ ...chosen?.schema, properties: props }, values, path);
    holder.replaceChildren(part.el);
  };
  // Switching the variant keeps what the fields of both have in common (a prompt stays when a menu becomes an announcement).
  select.addEventListener('change', () => render(part.read()));
  render(current);
  return {
    el: h('fieldset', { class: 'section', 'data-field': path }, h('legend', {}, label(key)), control(tagPath, label(variants.tag), select), holder, h('div', { class: 'field-error' })),
    read: () => ({ [variants.tag]: select.value, ...part.read() }),
  };
}

/** A map of named entries (IVR nodes by name): each row is a name and the entry's own form. */
function buildMap(items: JsonSchema, v: unknown, path: string, title: string, hint?: string): FormPart {
  const builder = itemBuilder(items) as ItemBuilder;
  const list = h('div', { class: 'repeat' });
  const rows: { el: HTMLElement; name: HTMLInputElement; part: FormPart }[] = [];
  const add = (name: string, value: unknown) => {
    const entryPath = `${path}.${name || `(new ${rows.length + 1})`}`;
    const nameInput = h('input', { type: 'text', value: name, required: true, autocomplete: 'off' });
    const part = builder(value, entryPath, name || `${singular(title)} ${rows.length + 1}`);
    const row = h('div', { class: 'repeat-item' }, control(`${entryPath}.(name)`, `${singular(title)} name`, nameInput), part.el);
    const entry = { el: row, name: nameInput, part };
    row.append(h('button', { type: 'button', class: 'danger small', onclick: () => {
      rows.splice(rows.indexOf(entry), 1);
      row.remove();
    } }, 'Remove'));
    rows.push(entry);
    list.append(row);
  };
  for (const [name, x] of Object.entries((v ?? {}) as Record<string, unknown>)) add(name, x);
  return {
    el: h('fieldset', { class: 'section', 'data-field': path }, h('legend', {}, title), hint ? h('small', { class: 'hint' }, hint) : null, list, h('button', { type: 'button', class: 'small', onclick: () => add('', undefined) }, `Add ${singular(title).toLowerCase()}`), h('div', { class: 'field-error' })),
    read: () => Object.fromEntries(rows.map((r) => [r.name.value.trim(), r.part.read()])),
  };
}

function buildList(builder: ItemBuilder, v: unknown, path: string, title: string, hint?: string): FormPart {
  const list = h('div', { class: 'repeat' });
  const rows: { el: HTMLElement; part: FormPart }[] = [];
  const add = (value: unknown) => {
    const part = builder(value, `${path}[${rows.length}]`, `${singular(title)} ${rows.length + 1}`);
    const row = h('div', { class: 'repeat-item' }, part.el);
    const entry = { el: row, part };
    row.append(h('button', { type: 'button', class: 'danger small', onclick: () => {
      rows.splice(rows.indexOf(entry), 1);
      row.remove();
    } }, 'Remove'));
    rows.push(entry);
    list.append(row);
  };
  for (const x of (v ?? []) as unknown[]) add(x);
  return {
    el: h('fieldset', { class: 'section', 'data-field': path }, h('legend', {}, title), hint ? h('small', { class: 'hint' }, hint) : null, list, h('button', { type: 'button', class: 'small', onclick: () => add(undefined) }, `Add ${singular(title).toLowerCase()}`), h('div', { class: 'field-error' })),
    read: () => rows.map((r) => r.part.read()),
  };
}

/** Puts the server's field errors next to their fields; those without a field go to the summary. */
export function showErrors(form: HTMLElement, summary: HTMLElement, errors: { path: string; message: string }[]): void {
  for (const el of form.querySelectorAll<HTMLElement>('[data-field] > .field-error')) el.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const unplaced: string[] = [];
  for (const e of errors) {
    const holder = form.querySelector<HTMLElement>(`[data-field="${CSS.escape(e.path)}"]`);
    const slot = holder?.querySelector<HTMLElement>(':scope > .field-error');
    if (holder && slot) {
      slot.textContent = e.message;
      holder.querySelector('input,select,textarea')?.setAttribute('aria-invalid', 'true');
    }
    unplaced.push(`${e.path}: ${e.message}`);
  }
  summary.replaceChildren(...(unplaced.length ? [h('ul', {}, unplaced.map((u) => h('li', {}, u)))] : []));
  summary.hidden = unplaced.length === 0;
  if (unplaced.length) summary.focus();
}
