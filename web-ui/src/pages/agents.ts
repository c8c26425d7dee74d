import { ApiError, get, post, subscribe } from '../api.ts';
import { h, notice, sinceEl } from '../dom.ts';
import type { LiveAgent } from '../live-types.ts';

export async function pauseReasons(): Promise<{ code: string; name: string }[]> {
  try {
    const r = await get<{ code: string; name: string }[]>('/pause-reasons');
    return r.length ? r : [{ code: 'break', name: 'Break' }];
  } catch {
    return [{ code: 'break', name: 'Break' }];
  }
}

const DONE: Record<string, string> = { login: 'logged in', logout: 'logged out', pause: 'paused', unpause: 'back from pause', 'end-wrapup': 'wrap-up finished' };

export const act = (ext: string, what: string, body: unknown = {}) =>
  post(`/agents/${ext}/${what}`, body).then(
    () => notice('ok', `Agent ${ext} ${DONE[what] ?? what}`),
    (err: unknown) => notice('error', err instanceof ApiError ? err.message : String(err)),
  );

/** Agents' live states; supervisors and admins log them in and out and pause them. */
export function agentsPage(main: HTMLElement, canControl: boolean): () => void {
  const box = h('div', { class: 'card' });
  main.append(box);
  let reasons: { code: string; name: string }[] = [];
  const render = (agents: LiveAgent[]) => {
    box.replaceChildren(
      h('table', { class: 'grid' },
        h('thead', {}, h('tr', {}, ['Agent', 'State', 'For', 'Queues', 'Phone', 'Answered today', ...(canControl ? ['Actions'] : [])].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, agents.length === 0 ? h('tr', {}, h('td', { colspan: 7, class: 'empty' }, 'No agents are reporting yet.')) : agents.map((a) => {
          const select = h('select', { 'aria-label': `Pause reason for ${a.name}` }, reasons.map((r) => h('option', { value: r.code }, r.name)));
          return h('tr', { 'data-agent': a.extension },
            h('td', {}, `${a.name} (${a.extension})`),
            h('td', {}, h('span', { class: `badge agent-${a.state}` }, a.state + (a.pauseReason && a.state === 'paused' ? `: ${a.pauseReason}` : ''))),
            h('td', {}, sinceEl(a.since)),
            h('td', {}, a.queues.join(', ')),
            h('td', {}, a.registered ? 'registered' : 'not registered'),
            h('td', {}, String(a.answeredToday)),
            canControl ? h('td', { class: 'actions' },
              a.state === 'logged-out'
                ? h('button', { type: 'button', class: 'small', onclick: () => void act(a.extension, 'login') }, 'Log in')
                : h('button', { type: 'button', class: 'small', onclick: () => void act(a.extension, 'logout') }, 'Log out'),
              a.state === 'paused'
                ? h('button', { type: 'button', class: 'small', onclick: () => void act(a.extension, 'unpause') }, 'Resume')
                : a.state !== 'logged-out' ? h('span', { class: 'inline' }, select, h('button', { type: 'button', class: 'small', onclick: () => void act(a.extension, 'pause', { reason: select.value }) }, 'Pause')) : null,
            ) : null,
          );
        })),
      ),
    );
  };
  void pauseReasons().then((r) => {
    reasons = r;
    return get<LiveAgent[]>('/live/agents').then(render);
  });
  return subscribe(['agents'], (_t, d) => render(d as LiveAgent[]));
}
