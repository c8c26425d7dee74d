import { ApiError, get, post, subscribe } from '../api.ts';
import { field, fmtDuration, h, notice, since, sinceEl, table } from '../dom.ts';
import type { LiveAgent, LiveCall, LiveQueue } from '../live-types.ts';
import { act, pauseReasons } from './agents.ts';

interface HistoryRow {
  started_at: string;
  queue: string | null;
  extension: string | null;
  answered_at: string | null;
  dispositions: { code: string; note: string }[];
}

/** The agent's own console: queues, pause, the current caller with IVR data and history, wrap-up. */
export function agentView(main: HTMLElement, extension: string | undefined): () => void {
  if (extension === undefined) {
    main.append(h('p', { class: 'card' }, 'Your user has no extension. An administrator sets it on the Users page.'));
    return () => undefined;
  }
  const status = h('div', { class: 'card' });
  const callBox = h('div', { class: 'card wide' });
  const queuesBox = h('div', { class: 'card' });
  main.append(h('div', { class: 'cards' }, status, queuesBox, callBox));
  let reasons: { code: string; name: string }[] = [];
  let me: LiveAgent | undefined;
  let myCall: LiveCall | undefined;
  let lastInteraction: string | undefined;
  let queues: LiveQueue[] = [];

  const renderStatus = () => {
    if (!me) {
      status.replaceChildren(h('h2', {}, 'My status'), h('p', { class: 'muted' }, `Extension ${extension} is not known to the call center yet.`));
      return;
    }
    const select = h('select', {}, reasons.map((r) => h('option', { value: r.code }, r.name)));
    status.replaceChildren(
      ...[h('h2', {}, 'My status'),
      h('p', { class: 'agent-big' }, h('span', { class: `badge agent-${me.state}` }, me.state), ' for ', sinceEl(me.since), me.pauseReason && me.state === 'paused' ? ` — ${me.pauseReason}` : ''),
      h('div', { class: 'buttons' },
        me.state === 'logged-out'
          ? h('button', { type: 'button', class: 'primary', onclick: () => void act(extension, 'login') }, 'Log in to my queues')
          : h('button', { type: 'button', onclick: () => void act(extension, 'logout') }, 'Log out'),
        me.state === 'paused' ? h('button', { type: 'button', class: 'primary', onclick: () => void act(extension, 'unpause') }, 'Resume') : null),
      me.state !== 'logged-out' && me.state !== 'paused'
        ? h('form', { class: 'inline-form', onsubmit: (e: Event) => {
            e.preventDefault();
            void act(extension, 'pause', { reason: select.value });
          } }, field('Pause reason', select), h('button', { type: 'submit' }, 'Pause'))
        : null].filter((x) => x !== null),
    );
  };

  const renderCall = async () => {
    if (!myCall && me?.state !== 'wrap-up') {
      callBox.replaceChildren(h('h2', {}, 'Current caller'), h('p', { class: 'muted' }, 'No call right now.'));
      return;
    }
    if (myCall) lastInteraction = myCall.interactionId;
    const parts: HTMLElement[] = [h('h2', {}, 'Current caller')];
    if (myCall) {
      parts.push(h('p', { class: 'caller' }, h('strong', {}, myCall.callerName ?? myCall.caller), ` ${myCall.callerName ? myCall.caller : ''} · ${myCall.state} · ${since(myCall.startedAt)}${myCall.queue ? ` · queue ${myCall.queue}` : ''}`));
      if (myCall.ivrData && Object.keys(myCall.ivrData).length) parts.push(table(['Entered in the IVR', 'Value'], Object.entries(myCall.ivrData)));
      try {
        const hist = await get<HistoryRow[]>(`/agents/${extension}/caller-history?number=${encodeURIComponent(myCall.caller)}`);
        parts.push(table(['Previous call', 'Queue', 'Agent', 'Answered', 'Disposition'], hist.map((r) => [new Date(r.started_at).toLocaleString(), r.queue ?? '', r.extension ?? '', r.answered_at ? 'yes' : 'no', r.dispositions.map((d) => `${d.code}${d.note ? `: ${d.note}` : ''}`).join('; ')]), 'This number’s previous interactions'));
      } catch {
        // history is a help, not a must
      }
    }
    if (me?.state === 'wrap-up' || myCall) {
      const code = h('input', { name: 'disposition', required: true, pattern: '[A-Za-z0-9][A-Za-z0-9_-]*', placeholder: 'e.g. resolved' });
      const note = h('textarea', { name: 'note', rows: 3, maxlength: 2000 });
      parts.push(h('form', { class: 'wrapup', onsubmit: (e: Event) => {
        e.preventDefault();
        post(`/agents/${extension}/wrap-up`, { interaction_id: lastInteraction ?? 'unknown', disposition: code.value, note: note.value }).then(
          () => notice('ok', 'Wrap-up saved'),
          (err: unknown) => notice('error', err instanceof ApiError ? [err.message, ...err.errors.map((x) => `${x.path}: ${x.message}`)].join(' — ') : String(err)),
        );
      } }, h('h3', {}, 'Wrap-up'), field('Disposition code', code), field('Note', note), h('button', { type: 'submit', class: 'primary' }, 'Finish wrap-up')));
    }
    callBox.replaceChildren(...parts);
  };

  const renderQueues = (qs: LiveQueue[] = queues) => {
    queues = qs;
    queuesBox.replaceChildren(h('h2', {}, 'My queues'), table(['Queue', 'Waiting', 'Longest wait', 'Logged in'], qs.map((q) => [`${q.name} (${q.number})`, q.waiting, fmtDuration(q.longestWaitS), me?.queues.includes(q.number) ? 'yes' : 'no'])));
  };

  void pauseReasons().then(async (r) => {
    reasons = r;
    const live = await get<{ agents: LiveAgent[]; calls: LiveCall[]; queues: LiveQueue[] }>('/live');
    me = live.agents.find((a) => a.extension === extension);
    myCall = live.calls.find((c) => c.extension === extension);
    renderStatus();
    renderQueues(live.queues);
    await renderCall();
  });
  return subscribe(['agents', 'calls', 'queues'], (t, d) => {
    if (t === 'agents') {
      me = (d as LiveAgent[]).find((a) => a.extension === extension);
      renderStatus();
      renderQueues();
      void renderCall();
    } else if (t === 'calls') {
      myCall = (d as LiveCall[]).find((c) => c.extension === extension);
      void renderCall();
    } else renderQueues(d as LiveQueue[]);
  });
}
