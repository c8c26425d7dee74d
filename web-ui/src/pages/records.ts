import { get } from '../api.ts';
import { h, notice, table } from '../dom.ts';

interface Cdr { id: number; started_at: string; direction: string; caller: string; callee: string; queue: string | null; extension: string | null; answered_at: string | null; ended_at: string | null; hangup_cause: string | null }
interface Audit { id: number; at: string; actor: string; action: string; target: string | null; detail: unknown }

export function cdrPage(main: HTMLElement): void {
  const from = h('input', { type: 'date', id: 'cdr-from' });
  const box = h('div', { class: 'card' });
  const load = () =>
    get<Cdr[]>(`/cdrs?limit=500${from.value ? `&from=${from.value}` : ''}`).then(
      (rows) => box.replaceChildren(table(['Started', 'Direction', 'Caller', 'Called', 'Queue', 'Agent', 'Answered', 'Ended', 'Cause'], rows.map((r) => [new Date(r.started_at).toLocaleString(), r.direction, r.caller, r.callee, r.queue ?? '', r.extension ?? '', r.answered_at ? new Date(r.answered_at).toLocaleTimeString() : '—', r.ended_at ? new Date(r.ended_at).toLocaleTimeString() : '—', r.hangup_cause ?? '']))),
      (err: unknown) => notice('error', String(err)),
    );
  const csv = h('a', { class: 'button', href: '/api/v1/cdrs?format=csv&limit=5000', download: '' }, 'Download CSV');
  from.addEventListener('change', () => (csv.href = `/api/v1/cdrs?format=csv&limit=5000${from.value ? `&from=${from.value}` : ''}`));
  main.append(h('div', { class: 'toolbar' }, h('label', { for: 'cdr-from' }, 'From '), from, h('button', { type: 'button', onclick: () => void load() }, 'Show'), csv), box);
  void load();
}

export function auditPage(main: HTMLElement): void {
  const box = h('div', { class: 'card' });
  main.append(box);
  void get<Audit[]>('/audit?limit=500').then(
    (rows) => box.replaceChildren(table(['When', 'Who', 'Action', 'Target', 'Detail'], rows.map((r) => [new Date(r.at).toLocaleString(), r.actor, r.action, r.target ?? '', h('code', { class: 'detail' }, r.detail === null ? '' : JSON.stringify(r.detail).slice(0, 200))]))),
    (err: unknown) => notice('error', String(err)),
  );
}
