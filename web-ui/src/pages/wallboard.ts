import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { get, subscribe } from '../api.ts';
import { fmtDuration, h } from '../dom.ts';
import type { LiveQueue } from '../live-types.ts';

/** Colour thresholds: calm, attention, act now. Waiting callers and the longest wait both count. */
export function level(q: LiveQueue): 'ok' | 'warn' | 'alert' {
  if (q.waiting >= 5 || q.longestWaitS >= 120) return 'alert';
  if (q.waiting >= 1 && (q.longestWaitS >= 30 || q.agents.idle === 0)) return 'warn';
  return 'ok';
}

const WINDOW_S = 15 * 60;

/** Full-screen live queues for the wall, with a chart of callers waiting over the last 15 minutes. */
export function wallboard(main: HTMLElement): () => void {
  const grid = h('div', { class: 'wall', 'aria-live': 'polite' });
  const chartBox = h('div', { class: 'wall-chart', role: 'img', 'aria-label': 'Callers waiting over the last 15 minutes' });
  const clock = h('span', { class: 'wall-clock' });
  const full = h('button', { type: 'button', onclick: () => void (document.fullscreenElement ? document.exitFullscreen() : main.requestFullscreen()) }, 'Full screen');
  main.append(h('div', { class: 'toolbar' }, full, clock), grid, chartBox);

  const series: [number[], number[]] = [[], []];
  let plot: uPlot | undefined;
  const stat = (label: string, value: string | number, cls = '') => h('div', { class: `stat ${cls}` }, h('div', { class: 'stat-value' }, String(value)), h('div', { class: 'stat-label' }, label));
  const render = (queues: LiveQueue[]) => {
    grid.replaceChildren(
      ...(queues.length === 0 ? [h('p', { class: 'muted' }, 'No queue is reporting yet.')] : []),
      ...queues.map((q) =>
        h('section', { class: `queue-tile level-${level(q)}`, 'data-queue': q.number, 'aria-label': `Queue ${q.name}` },
          h('h2', {}, `${q.name} `, h('span', { class: 'muted' }, q.number)),
          h('div', { class: 'stats' },
            stat('Waiting', q.waiting, 'big'),
            stat('Longest wait', fmtDuration(q.longestWaitS)),
            stat('Est. wait', fmtDuration(q.estimatedWaitS)),
            stat('Answered', q.answeredToday),
            stat('Abandoned', q.abandonedToday),
            stat('Service level', q.serviceLevelPercent === null ? '—' : `${Math.round(q.serviceLevelPercent)}%`)),
          h('div', { class: 'agent-states' },
            (['idle', 'ringing', 'busy', 'wrap-up', 'paused'] as const).map((s) => h('span', { class: `chip chip-${s}` }, `${s} ${q.agents[s]}`))),
        ),
      ),
    );
    waitingNow = queues.reduce((n, q) => n + q.waiting, 0);
    plotPoint();
  };

  // A point per change, and one every few seconds between changes, so the line reaches "now" on a quiet wall.
  let waitingNow = 0;
  const plotPoint = () => {
    const now = Date.now() / 1000;
    series[0].push(now);
    series[1].push(waitingNow);
    while (series[0].length > 0 && (series[0][0] ?? now) < now - WINDOW_S) {
      series[0].shift();
      series[1].shift();
    }
    if (!plot) {
      plot = new uPlot(
        {
          width: Math.max(300, chartBox.clientWidth - 16 || 800),
          height: 180,
          legend: { show: false },
          series: [{}, { label: 'Waiting', stroke: '#0b5cad', fill: 'rgba(11,92,173,0.15)', width: 2, points: { show: false }, paths: uPlot.paths.stepped?.({ align: 1 }) }],
          axes: [{}, { label: 'Callers' }],
          // Always the last 15 minutes, whatever the data: otherwise a fresh page zooms into milliseconds.
          scales: { x: { time: true, range: () => [Date.now() / 1000 - WINDOW_S, Date.now() / 1000] }, y: { range: (_u, _min, max) => [0, Math.max(5, max)] } },
        },
        series,
        chartBox,
      );
    } else plot.setData(series);
  };
  const resize = new ResizeObserver(() => plot?.setSize({ width: Math.max(300, chartBox.clientWidth - 16), height: 180 }));
  resize.observe(chartBox);

  void get<LiveQueue[]>('/live/queues').then(render, () => undefined);
  const stop = subscribe(['queues'], (_t, d) => render(d as LiveQueue[]));
  let seconds = 0;
  const tick = setInterval(() => {
    clock.textContent = new Date().toLocaleTimeString();
    if (++seconds % 5 === 0 && plot) plotPoint();
  }, 1000);
  return () => {
    stop();
    clearInterval(tick);
    resize.disconnect();
    plot?.destroy();
  };
}
