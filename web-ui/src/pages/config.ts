import { ApiError, del, get, post, put } from '../api.ts';
import { h, notice } from '../dom.ts';
import { bodySchema } from '../openapi.ts';
import { build, showErrors, type JsonSchema } from '../schema-form.ts';

export interface EntityDef {
  /** API collection path, e.g. /extensions */
  path: string;
  key: string;
  noun: string;
  columns: [string, (item: Record<string, unknown>) => string][];
  /** Fields the form leaves out (e.g. a password hash only export writes). */
  hide?: string[];
  canWrite: boolean;
  canCreate?: boolean;
  /** Extra per-row actions (e.g. resetting a user's second factor). */
  actions?: (item: Record<string, unknown>, reload: () => Promise<void>) => (HTMLElement | null)[];
  /** The part of a listed item that the PUT body carries (agents: their `agent` settings). */
  bodyOf?: string;
}

const text = (x: unknown) => (x === undefined || x === null ? '' : Array.isArray(x) ? x.map((i) => (typeof i === 'object' ? JSON.stringify(i) : String(i))).join(', ') : typeof x === 'object' ? JSON.stringify(x) : String(x));
export const col = (name: string, key: string): [string, (i: Record<string, unknown>) => string] => [name, (i) => text(i[key])];

function withoutHidden(schema: JsonSchema, hide: string[] = []): JsonSchema {
  const properties = Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([k]) => !hide.includes(k)));
  return { ...schema, properties };
}

/** A list of one entity with an editor: the pattern of every configuration page. */
export function entityPage(main: HTMLElement, def: EntityDef): void {
  const listBox = h('div', { class: 'card' });
  const editor = h('div', { class: 'card editor', hidden: true });
  const newBtn = def.canWrite && def.canCreate !== false ? h('button', { type: 'button', class: 'primary', onclick: () => void edit(undefined) }, `New ${def.noun}`) : null;
  main.append(h('div', { class: 'toolbar' }, newBtn), listBox, editor);

  async function load(): Promise<void> {
    const items = await get<Record<string, unknown>[]>(def.path);
    listBox.replaceChildren(
      h('table', { class: 'grid' },
        h('thead', {}, h('tr', {}, def.columns.map(([c]) => h('th', { scope: 'col' }, c)), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')))),
        h('tbody', {}, items.length === 0
          ? h('tr', {}, h('td', { colspan: def.columns.length + 1, class: 'empty' }, `No ${def.noun} yet.`))
          : items.map((item) => h('tr', {},
              def.columns.map(([, f]) => h('td', {}, f(item))),
              h('td', { class: 'actions' },
                h('button', { type: 'button', class: 'small', onclick: () => void edit(item), 'aria-label': `${def.canWrite ? 'Edit' : 'View'} ${def.noun} ${String(item[def.key])}` }, def.canWrite ? 'Edit' : 'View'),
                def.actions?.(item, load) ?? null,
                def.canWrite && def.canCreate !== false ? h('button', { type: 'button', class: 'small danger', 'aria-label': `Delete ${def.noun} ${String(item[def.key])}`, onclick: () => void remove(item) }, 'Delete') : null,
              )))),
      ),
    );
  }

  async function remove(item: Record<string, unknown>): Promise<void> {
    if (!confirm(`Delete ${def.noun} ${String(item[def.key])}?`)) return;
    try {
      await del(`${def.path}/${encodeURIComponent(String(item[def.key]))}`);
      notice('ok', `${def.noun} ${String(item[def.key])} deleted`);
      await load();
    } catch (err) {
      notice('error', err instanceof ApiError ? [err.message, ...err.errors.map((e) => `${e.path}: ${e.message}`)].join(' — ') : String(err));
    }
  }

  async function edit(item: Record<string, unknown> | undefined): Promise<void> {
    const creating = item === undefined;
    const schema = withoutHidden(await bodySchema(creating ? 'post' : 'put', creating ? def.path : `${def.path}/{${def.key}}`), def.hide);
    const form = build(schema, item !== undefined && def.bodyOf !== undefined ? item[def.bodyOf] : item, '', def.noun, true);
    const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true });
    const title = creating ? `New ${def.noun}` : `${def.noun.replace(/^./, (c) => c.toUpperCase())} ${String(item[def.key])}`;
    const formEl = h('form', { 'aria-label': title, onsubmit: async (e: Event) => {
      e.preventDefault();
      const body = form.read();
      try {
        if (creating) await post(def.path, body);
        else await put(`${def.path}/${encodeURIComponent(String(item[def.key]))}`, body);
        notice('ok', `${title} saved`);
        editor.hidden = true;
        await load();
      } catch (err) {
        if (err instanceof ApiError) showErrors(formEl, summary, err.errors.length ? err.errors : [{ path: '(body)', message: err.message }]);
        else throw err;
      }
    } },
      h('h2', {}, title),
      summary,
      form.el,
      def.canWrite ? h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Save'), h('button', { type: 'button', onclick: () => (editor.hidden = true) }, 'Cancel')) : null,
    );
    if (!def.canWrite) for (const c of formEl.querySelectorAll<HTMLInputElement>('input,select,textarea')) c.disabled = true;
    editor.replaceChildren(formEl);
    editor.hidden = false;
    (formEl.querySelector('input:not([type=checkbox]),select,textarea') as HTMLElement | null)?.focus();
  }

  void load().catch((err: unknown) => notice('error', err instanceof Error ? err.message : String(err)));
}

/** A single settings object (SNMP, QoS, ...): one form, saved whole. */
export function settingsPage(main: HTMLElement, path: string, noun: string, canWrite: boolean): void {
  const card = h('div', { class: 'card editor' });
  main.append(card);
  void (async () => {
    const [value, schema] = await Promise.all([get<unknown>(path), bodySchema('put', path)]);
    const form = build(schema, value, '', noun, true);
    const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true });
    const formEl = h('form', { 'aria-label': noun, onsubmit: async (e: Event) => {
      e.preventDefault();
      try {
        await put(path, form.read());
        showErrors(formEl, summary, []);
        notice('ok', `${noun} saved`);
      } catch (err) {
        if (err instanceof ApiError) showErrors(formEl, summary, err.errors.length ? err.errors : [{ path: '(body)', message: err.message }]);
        else throw err;
      }
    } }, summary, form.el, canWrite ? h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Save')) : null);
    if (!canWrite) for (const c of formEl.querySelectorAll<HTMLInputElement>('input,select,textarea')) c.disabled = true;
    card.replaceChildren(formEl);
  })().catch((err: unknown) => notice('error', err instanceof Error ? err.message : String(err)));
}
