// A few DOM helpers instead of a framework: the console must stay small and fast on the box's CPU.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | ((ev: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' || typeof c === 'number' ? String(c) : c);
  }
  return el;
}

let ids = 0;
export const uid = (prefix = 'f') => `${prefix}-${++ids}`;

/** A labelled form control; the label is always there for screen readers. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id || uid();
  control.id = id;
  const hintEl = hint ? h('small', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hintEl, h('div', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite' }));
}

/** The message line at the top of the page (role=status, read out by screen readers). */
export function notice(kind: 'ok' | 'error' | 'info', text: string): void {
  const el = document.getElementById('notice');
  if (!el) return;
  el.className = `notice notice-${kind}`;
  el.textContent = text;
  el.hidden = false;
  if (kind === 'ok') setTimeout(() => {
    if (el.textContent === text) el.hidden = true;
  }, 4000);
}

export function fmtDuration(s: number): string {
  const m = Math.floor(s / 60);
  const r = Math.floor(s % 60);
  return m >= 60 ? `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m` : `${m}:${String(r).padStart(2, '0')}`;
}

export function since(iso: string): string {
  return fmtDuration(Math.max(0, (Date.now() - Date.parse(iso)) / 1000));
}

/** A duration that keeps counting on screen (time in state, call duration) without a new event from the box. */
export function sinceEl(iso: string): HTMLElement {
  return h('span', { 'data-since': iso }, since(iso));
}

setInterval(() => {
  for (const el of document.querySelectorAll<HTMLElement>('[data-since]')) el.textContent = since(el.dataset['since'] ?? '');
}, 1000);

export function table(headers: string[], rows: Child[][], caption?: string): HTMLTableElement {
  return h(
    'table',
    { class: 'grid' },
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, headers.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows.length === 0 ? h('tr', {}, h('td', { colspan: headers.length, class: 'empty' }, 'Nothing here yet.')) : rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c))))),
  );
}
