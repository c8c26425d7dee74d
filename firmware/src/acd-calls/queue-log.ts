import type { Database } from 'better-sqlite3';
import type { AcdEvent } from '../acd/index.ts';
import { insertQueueEvents, listQueueEvents } from '../config/repositories/queue-events.ts';
import { getSettings } from '../config/repositories/settings.ts';
import type { Logger } from '../log.ts';
import type { QueueSite } from './site-config.ts';

export interface TodayCounts {
  queues: ReadonlyMap<string, { answered: number; abandoned: number; serviceLevelPercent: number | null }>;
  agents: ReadonlyMap<string, number>;
}

/** The instant the current day began in the site's time zone (ISO), for "today" counters. */
export function startOfDay(now: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(now));
  const n = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const offset = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - Math.floor(now / 1000) * 1000;
  const localMidnight = Date.UTC(n('year'), n('month') - 1, n('day'));
  return new Date(localMidnight - offset).toISOString();
}

/**
 * The queue log in SQLite (a failed write is logged, never stops a call), and today's answered / abandoned /
 * service-level counts for the console, read from it at most every few seconds.
 */
export class QueueLog {
  readonly #db: Database;
  readonly #log: Logger;
  #cache: { at: number; counts: TodayCounts } | undefined;

  constructor(db: Database, log: Logger) {
    this.#db = db;
    this.#log = log;
  }

  write(events: readonly AcdEvent[]): void {
    try {
      insertQueueEvents(this.#db, events);
      if (events.some((e) => e.type === 'connect' || e.type === 'abandon')) this.#cache = undefined;
    } catch (err) {
      this.#log.error({ err }, 'queue log write failed');
    }
  }

  today(site: QueueSite, now: number): TodayCounts {
    if (this.#cache !== undefined && now - this.#cache.at < 5000) return this.#cache.counts;
    const since = startOfDay(now, getSettings(this.#db).site.timezone);
    const queues = new Map<string, { answered: number; abandoned: number; withinSl: number }>();
    const agents = new Map<string, number>();
    for (const e of listQueueEvents(this.#db, { since, types: ['connect', 'abandon'] })) {
      if (e.queue === null) continue;
      const q = queues.get(e.queue) ?? { answered: 0, abandoned: 0, withinSl: 0 };
      if (e.type === 'abandon') q.abandoned++;
      else {
        q.answered++;
        const slMs = (site.queues.get(e.queue)?.service_level_s ?? 20) * 1000;
        if (typeof e.data['waitMs'] === 'number' && e.data['waitMs'] <= slMs) q.withinSl++;
        if (e.agent !== null) agents.set(e.agent, (agents.get(e.agent) ?? 0) + 1);
      }
      queues.set(e.queue, q);
    }
    const counts: TodayCounts = {
      queues: new Map(
        [...queues].map(([id, q]) => [id, { answered: q.answered, abandoned: q.abandoned, serviceLevelPercent: q.answered + q.abandoned === 0 ? null : Math.round((100 * q.withinSl) / (q.answered + q.abandoned)) }]),
      ),
      agents,
    };
    this.#cache = { at: now, counts };
    return counts;
  }
}
