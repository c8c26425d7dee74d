import type { Database } from 'better-sqlite3';
import type { Acd, AcdEvent, AgentState } from '../acd/index.ts';
import type { ConfigChanges } from '../config/change-watcher.ts';
import { listQueues } from '../config/repositories/queues.ts';
import { KpiCollector } from '../stats/index.ts';
import type { QueueFigures } from './service-source.ts';

/** Per queue, from the configuration: the service-level threshold and the target share. */
export interface QueueTarget {
  name: string;
  serviceLevelS: number;
  targetPercent: number;
}

export interface QueueFiguresOptions {
  acd: Acd;
  /** Queue membership (queue number -> member extensions); the ACD logs an agent in to every queue they belong to. */
  members(): ReadonlyMap<string, readonly string[]>;
  targets(): ReadonlyMap<string, QueueTarget>;
  now?: () => number;
}

/** The service level is that of the current quarter hour, as on the wallboard. */
const INTERVAL_MS = 15 * 60_000;

/** Local midnight before `at`: "today" is the box's day. */
function dayStart(at: number): number {
  const d = new Date(at);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/**
 * The SNMP queue table's figures: who waits and which agents do what, from the distributor's views as they are;
 * the service level of the current 15-minute interval, today's abandoned calls and today's ASA from its events,
 * counted by the KPI collector (stats/), one per queue since each has its own service-level threshold.
 */
export class QueueFigureBook {
  readonly #o: QueueFiguresOptions;
  readonly #now: () => number;
  readonly #kpis = new Map<string, { collector: KpiCollector; serviceLevelS: number; day: number }>();

  constructor(o: QueueFiguresOptions) {
    this.#o = o;
    this.#now = o.now ?? Date.now;
  }

  add(events: readonly AcdEvent[]): void {
    for (const e of events) if ('queue' in e) this.#collector(e.queue, e.at).add(e);
  }

  list(): QueueFigures[] {
    const now = this.#now();
    const acd = this.#o.acd;
    const targets = this.#o.targets();
    const members = this.#o.members();
    const agents = new Map(acd.agents().map((a) => [a.id, a.state]));
    return acd.queueIds().map((id) => {
      const q = acd.queue(id);
      const waiting = q.entries.filter((e) => e.phase === 'waiting');
      const states = (members.get(id) ?? []).map((m) => agents.get(m)).filter((s): s is AgentState => s !== undefined && s !== 'logged-out');
      const count = (...wanted: AgentState[]) => states.filter((s) => wanted.includes(s)).length;
      const target = targets.get(id);
      // The collector holds today's intervals only (a new one starts each day).
      const { queues: today } = this.#collector(id, now).report(now);
      const inCurrent = today.find((i) => i.start === Math.floor(now / INTERVAL_MS) * INTERVAL_MS);
      const answered = today.reduce((n, i) => n + i.answered, 0);
      const waitMs = today.reduce((n, i) => n + i.waitMsAnswered, 0);
      return {
        name: target?.name ?? id,
        number: id,
        callersWaiting: waiting.length,
        longestWaitSeconds: Math.floor(Math.max(0, ...waiting.map((e) => e.waitMs)) / 1000),
        agentsLoggedIn: states.length,
        agentsAvailable: count('available'),
        agentsOnCall: count('on-call'),
        agentsPaused: count('paused'),
        // An interval without answered or abandoned calls missed nobody.
        serviceLevelPercent: inCurrent?.serviceLevel == null ? 100 : Math.round(inCurrent.serviceLevel * 100),
        serviceLevelTargetPercent: target?.targetPercent ?? 80,
        abandonedToday: today.reduce((n, i) => n + i.abandoned + i.shortAbandoned, 0),
        asaTodaySeconds: answered === 0 ? 0 : Math.round(waitMs / answered / 1000),
      };
    });
  }

  #collector(queue: string, at: number): KpiCollector {
    const serviceLevelS = this.#o.targets().get(queue)?.serviceLevelS ?? 20;
    const day = dayStart(at);
    let k = this.#kpis.get(queue);
    // A new day (or a new threshold) starts a new collector: yesterday's intervals are not needed here.
    if (!k || k.day < day || k.serviceLevelS !== serviceLevelS) {
      k = { collector: new KpiCollector({ serviceLevelS, intervalMs: INTERVAL_MS }), serviceLevelS, day };
      this.#kpis.set(queue, k);
    }
    return k.collector;
  }
}

/** The configured queues' names and service-level settings. */
export function queueTargets(db: Database): (QueueTarget & { number: string })[] {
  return listQueues(db).map((q) => ({ number: q.number, name: q.name, serviceLevelS: q.service_level_s, targetPercent: q.service_level_target_percent }));
}

/**
 * The queue table's feed for a running queue app: figures from its distributor, counts from the events the queue
 * app hands on (`onEvents`), targets from the configuration (followed as it changes). `stop()` stops listening.
 */
export function startQueueFeed(o: {
  acd: Acd;
  onEvents(listener: (events: readonly AcdEvent[]) => void): () => void;
  members(): ReadonlyMap<string, readonly string[]>;
  db: Database;
  configChanges: ConfigChanges;
}): { list(): QueueFigures[]; stop(): void } {
  const toMap = (list: (QueueTarget & { number: string })[]) => new Map(list.map((t) => [t.number, t]));
  let targets = toMap(queueTargets(o.db));
  const unwatch = o.configChanges.watch('snmp queue targets', queueTargets, (list) => {
    targets = toMap(list);
  });
  const book = new QueueFigureBook({ acd: o.acd, members: () => o.members(), targets: () => targets });
  const unlisten = o.onEvents((events) => book.add(events));
  return {
    list: () => book.list(),
    stop: () => {
      unwatch();
      unlisten();
    },
  };
}
