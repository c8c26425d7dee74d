import { get, subscribe } from '../api.ts';
import { h, sinceEl, table } from '../dom.ts';
import type { Health, Leds, LiveCall, LiveRegistration, LiveTrunk } from '../live-types.ts';

/** Health, front panel, trunks, active calls and today's counts, live. */
export function dashboard(main: HTMLElement): () => void {
  const counts = h('div', { class: 'tiles' });
  const health = h('div', { class: 'card span2' });
  const panel = h('div', { class: 'card' });
  const trunks = h('div', { class: 'card wide' });
  const calls = h('div', { class: 'card wide' });
  const phones = h('div', { class: 'card wide', id: 'registrations' });
  main.append(counts, h('div', { class: 'cards' }, health, panel, trunks, calls, phones));

  const tile = (label: string, value: number | string, cls = '') => h('div', { class: `tile ${cls}` }, h('div', { class: 'tile-value' }, String(value)), h('div', { class: 'tile-label' }, label));
  const loadCounts = () =>
    get<{ offered: number; answered: number; abandoned: number }>('/stats/today').then((c) => {
      counts.replaceChildren(tile('Offered today', c.offered), tile('Answered today', c.answered, 'good'), tile('Abandoned today', c.abandoned, c.abandoned > 0 ? 'warn' : ''), tile('Active calls', activeCalls));
    }, () => undefined);
  let activeCalls = 0;

  const renderHealth = (r: Health) =>
    health.replaceChildren(
      h('h2', {}, 'System health ', h('span', { class: `badge status-${r.status}` }, r.status === 'ok' ? 'All systems up' : r.status)),
      table(['Component', 'State', 'Detail'], Object.entries(r.components).map(([n, c]) => [n, h('span', { class: `badge state-${c.state}` }, c.state), c.detail])),
    );
  const renderLeds = (l: Leds | null) =>
    panel.replaceChildren(
      h('h2', {}, 'Front panel'),
      l === null
        ? h('p', { class: 'muted' }, 'No front panel on this machine.')
        : h('div', {},
            h('ul', { class: 'leds' }, Object.entries(l.leds).map(([name, s]) => h('li', {}, h('span', { class: `led ${s.on ? 'on' : 'off'} led-${name}`, role: 'img', 'aria-label': `${name} ${s.on ? 'lit' : 'dark'}` }), ` ${name}: ${s.pattern}`))),
            h('p', { class: 'muted' }, `Scene: ${l.scene} (${l.backend})${l.degraded ? ` — ${l.degraded}` : ''}`)),
    );
  const renderTrunks = (t: LiveTrunk[]) =>
    trunks.replaceChildren(h('h2', {}, 'Trunks'), table(['Trunk', 'State', 'Calls', 'Detail'], t.map((x) => [x.name, h('span', { class: `badge state-${x.state === 'up' ? 'up' : x.state === 'down' ? 'down' : 'starting'}`, title: `since ${new Date(x.since).toLocaleString()}` }, x.state), x.maxCalls > 0 ? `${x.activeCalls} / ${x.maxCalls}` : x.activeCalls, x.detail])));
  const renderCalls = (c: LiveCall[]) => {
    activeCalls = c.length;
    calls.replaceChildren(h('h2', {}, `Active calls (${c.length})`), table(['Caller', 'Called', 'State', 'Queue', 'Agent', 'Duration'], c.map((x) => [x.callerName ? `${x.callerName} <${x.caller}>` : x.caller, x.callee, x.state, x.queue ?? '', x.extension ?? '', sinceEl(x.startedAt)])));
  };

  const renderPhones = (r: LiveRegistration[]) =>
    phones.replaceChildren(h('h2', {}, `Registered phones (${r.length})`), table(['Extension', 'Phone', 'From', 'Expires'], [...r].sort((a, b) => a.extension.localeCompare(b.extension)).map((x) => [x.extension, x.userAgent || x.contact, x.source, new Date(x.expiresAt).toLocaleTimeString()])));

  void get<Record<string, unknown>>('/live').then((l) => {
    renderPhones((l['registrations'] as LiveRegistration[] | undefined) ?? []);
    renderHealth(l['health'] as Health);
    renderLeds((l['leds'] as Leds | undefined) ?? null);
    renderTrunks((l['trunks'] as LiveTrunk[] | undefined) ?? []);
    renderCalls((l['calls'] as LiveCall[] | undefined) ?? []);
    void loadCounts();
  });
  const stop = subscribe(['health', 'leds', 'trunks', 'calls', 'registrations'], (t, d) => {
    if (t === 'registrations') renderPhones(d as LiveRegistration[]);
    if (t === 'health') renderHealth(d as Health);
    if (t === 'leds') renderLeds(d as Leds);
    if (t === 'trunks') renderTrunks(d as LiveTrunk[]);
    if (t === 'calls') renderCalls(d as LiveCall[]);
  });
  const timer = setInterval(() => void loadCounts(), 15_000);
  return () => {
    stop();
    clearInterval(timer);
  };
}
