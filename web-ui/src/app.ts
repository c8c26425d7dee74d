import { get, post, setSignedOutHandler, type Me } from './api.ts';
import { h } from './dom.ts';
import { loginPage } from './pages/login.ts';
import { PAGES, type Page } from './pages/registry.ts';

/**
 * The console shell: a top bar, the navigation built from the page registry (later features add their pages
 * there), and the routed page. Routes live in the hash so the box serves one static index.html.
 */
export interface AppState {
  me: Me;
}

let stopPage: (() => void) | undefined;

function visiblePages(me: Me): Page[] {
  return PAGES.filter((p) => p.roles.includes(me.user.role));
}

export async function start(root: HTMLElement): Promise<void> {
  setSignedOutHandler(() => void showLogin(root));
  let me: Me;
  try {
    me = await get<Me>('/auth/me');
  } catch {
    return showLogin(root);
  }
  if (me.stage !== 'ok') return showLogin(root, me);
  showShell(root, { me });
}

async function showLogin(root: HTMLElement, me?: Me): Promise<void> {
  stopPage?.();
  stopPage = undefined;
  root.replaceChildren(loginPage(me, (done) => showShell(root, { me: done })));
}

function showShell(root: HTMLElement, state: AppState): void {
  const pages = visiblePages(state.me);
  const main = h('main', { id: 'main', tabindex: '-1' });
  const groups = [...new Set(pages.map((p) => p.group))];
  const nav = h(
    'nav',
    { 'aria-label': 'Main' },
    groups.map((g) =>
      h('div', { class: 'nav-group' }, h('h2', {}, g), h('ul', {}, pages.filter((p) => p.group === g).map((p) => h('li', {}, h('a', { href: `#/${p.id}`, 'data-page': p.id }, p.title))))),
    ),
  );
  const signOut = h('button', { type: 'button', class: 'link', onclick: async () => {
    await post('/auth/logout').catch(() => undefined);
    void showLogin(root);
  } }, 'Sign out');
  const header = h(
    'header',
    { class: 'topbar' },
    h('a', { class: 'skip', href: '#main', onclick: (e: Event) => {
      e.preventDefault();
      main.focus();
    } }, 'Skip to content'),
    h('span', { class: 'brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, '☎'), 'Callbox'),
    h('span', { class: 'site', id: 'site-name' }),
    h('span', { class: 'spacer' }),
    h('span', { class: 'who' }, `${state.me.user.name ?? state.me.user.username} · ${state.me.user.role}`),
    signOut,
  );
  const notice = h('div', { id: 'notice', class: 'notice', role: 'status', 'aria-live': 'polite', hidden: true });
  root.replaceChildren(h('div', { class: 'shell' }, header, h('div', { class: 'body' }, nav, h('div', { class: 'content' }, notice, main))));
  get<{ name: string }>('/site').then((s) => {
    const el = document.getElementById('site-name');
    if (el) el.textContent = s.name;
  }).catch(() => undefined);

  const route = () => {
    const id = location.hash.replace(/^#\/?/, '').split('/')[0] || pages[0]?.id || '';
    const page = pages.find((p) => p.id === id) ?? pages[0];
    if (!page) return;
    for (const a of nav.querySelectorAll('a')) {
      if (a.dataset['page'] === page.id) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    stopPage?.();
    notice.hidden = true;
    document.title = `${page.title} · Callbox`;
    document.body.classList.toggle('kiosk', page.id === 'wallboard');
    main.replaceChildren(h('h1', {}, page.title));
    stopPage = page.render(main, state) ?? undefined;
  };
  window.onhashchange = route;
  route();
}
