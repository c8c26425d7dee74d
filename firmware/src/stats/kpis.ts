import type { AcdEvent } from '../acd/types.ts';

/**
 * Contact-center KPIs per interval, computed from the ACD's events as they come (the live wallboard) or
 * replayed from the queue log (reports). Calls count in the interval in which their wait ended (answered,
 * abandoned, left), as most ACD reports do; agent time is split exactly at interval boundaries.
 */

export interface KpiOptions {
  /** Interval length, ms (15 minutes by default). */
  intervalMs?: number;
  /** Service-level threshold: answered within this many seconds (20 s by default). */
  serviceLevelS?: number;
  /** Callers hanging up within this many seconds are "short abandons", left out of rates (5 s by default). */
  shortAbandonS?: number;
}

export interface QueueInterval {
  start: number;
  queue: string;
  offered: number;
  answered: number;
  answeredWithinSl: number;
  abandoned: number;
  shortAbandoned: number;
  /** Left the queue without an agent (timeout, overflow, full, empty, exit key). */
  exited: number;
  callbacksRequested: number;
  waitMsAnswered: number;
  handled: number;
  handleMs: number;
  /** Average speed of answer, s (null without answered calls). */
  asaS: number | null;
  /** Average handle time (talk + wrap-up), s. */
  ahtS: number | null;
  /** Abandoned / (answered + abandoned), short abandons left out. */
  abandonRate: number | null;
  /** Answered within the threshold / (answered + abandoned), short abandons left out. */
  serviceLevel: number | null;
}

export interface AgentInterval {
  start: number;
  agentId: string;
  talkMs: number;
  wrapMs: number;
  idleMs: number;
  pausedMs: number;
  /** (talk + wrap-up) / (talk + wrap-up + idle): share of staffed, unpaused time spent on calls. */
  occupancy: number | null;
}

type AgentActivity = 'out' | 'idle' | 'talk' | 'wrap' | 'paused';

interface AgentTrack {
  activity: AgentActivity;
  since: number;
  /** The call whose wrap-up is running: its handle time completes when the wrap-up ends. */
  handling?: { queue: string; talkMs: number; bucket: QueueInterval };
}

const DEFAULTS = { intervalMs: 15 * 60_000, serviceLevelS: 20, shortAbandonS: 5 };

export class KpiCollector {
  readonly #opt: Required<KpiOptions>;
  readonly #queues = new Map<string, QueueInterval>();
  readonly #agents = new Map<string, AgentInterval>();
  readonly #tracks = new Map<string, AgentTrack>();

  constructor(options: KpiOptions = {}) {
    this.#opt = { ...DEFAULTS, ...options };
  }

  add(e: AcdEvent): void {
    switch (e.type) {
      case 'enter':
        this.#queue(e.queue, e.at).offered++;
        return;
      case 'connect': {
        const q = this.#queue(e.queue, e.at);
        q.answered++;
        q.waitMsAnswered += e.waitMs;
        if (e.waitMs <= this.#opt.serviceLevelS * 1000) q.answeredWithinSl++;
        this.#move(e.agentId, 'talk', e.at);
        return;
      }
      case 'abandon': {
        const q = this.#queue(e.queue, e.at);
        if (e.waitMs < this.#opt.shortAbandonS * 1000) q.shortAbandoned++;
        else q.abandoned++;
        return;
      }
      case 'exit':
        this.#queue(e.queue, e.at).exited++;
        return;
      case 'callback-requested':
        this.#queue(e.queue, e.at).callbacksRequested++;
        return;
      case 'complete': {
        // Wrap-up (if any) follows right away; without one the handle time is the talk time.
        const track = this.#track(e.agentId, e.at);
        this.#move(e.agentId, 'idle', e.at);
        track.handling = { queue: e.queue, talkMs: e.talkMs, bucket: this.#queue(e.queue, e.at) };
        return;
      }
      case 'agent-wrapup':
        this.#move(e.agentId, 'wrap', e.at);
        return;
      case 'agent-login':
      case 'agent-unpause':
      case 'agent-available':
        this.#move(e.agentId, 'idle', e.at);
        return;
      case 'agent-pause':
        this.#move(e.agentId, 'paused', e.at);
        return;
      case 'agent-logout':
        this.#move(e.agentId, 'out', e.at);
        return;
      default:
        return;
    }
  }

  /** Intervals so far, agent time counted up to `now`. */
  report(now: number): { queues: QueueInterval[]; agents: AgentInterval[] } {
    for (const [agentId, track] of this.#tracks) {
      this.#account(agentId, track, now);
      track.since = now;
    }
    const queues = [...this.#queues.values()].map((q) => ({ ...q, ...queueRates(q) }));
    const agents = [...this.#agents.values()].map((a) => ({ ...a, occupancy: ratio(a.talkMs + a.wrapMs, a.talkMs + a.wrapMs + a.idleMs) }));
    const byTime = (x: { start: number }, y: { start: number }): number => x.start - y.start;
    return { queues: queues.sort(byTime), agents: agents.sort(byTime) };
  }

  #start(at: number): number {
    return Math.floor(at / this.#opt.intervalMs) * this.#opt.intervalMs;
  }

  #queue(queue: string, at: number): QueueInterval {
    const start = this.#start(at);
    const key = `${start}|${queue}`;
    let q = this.#queues.get(key);
    if (q === undefined) {
      q = {
        start,
        queue,
        offered: 0,
        answered: 0,
        answeredWithinSl: 0,
        abandoned: 0,
        shortAbandoned: 0,
        exited: 0,
        callbacksRequested: 0,
        waitMsAnswered: 0,
        handled: 0,
        handleMs: 0,
        asaS: null,
        ahtS: null,
        abandonRate: null,
        serviceLevel: null,
      };
      this.#queues.set(key, q);
    }
    return q;
  }

  #agent(agentId: string, start: number): AgentInterval {
    const key = `${start}|${agentId}`;
    let a = this.#agents.get(key);
    if (a === undefined) {
      a = { start, agentId, talkMs: 0, wrapMs: 0, idleMs: 0, pausedMs: 0, occupancy: null };
      this.#agents.set(key, a);
    }
    return a;
  }

  #track(agentId: string, at: number): AgentTrack {
    let t = this.#tracks.get(agentId);
    if (t === undefined) {
      t = { activity: 'out', since: at };
      this.#tracks.set(agentId, t);
    }
    return t;
  }

  #move(agentId: string, activity: AgentActivity, at: number): void {
    const track = this.#track(agentId, at);
    if (track.activity === 'wrap' || (track.handling !== undefined && activity !== 'wrap')) this.#finishHandling(track, at);
    this.#account(agentId, track, at);
    track.activity = activity;
    track.since = at;
  }

  #finishHandling(track: AgentTrack, at: number): void {
    const h = track.handling;
    if (h === undefined) return;
    delete track.handling;
    h.bucket.handled++;
    h.bucket.handleMs += h.talkMs + (track.activity === 'wrap' ? at - track.since : 0);
  }

  /** Adds the time since `track.since` to the agent's intervals, split at interval boundaries. */
  #account(agentId: string, track: AgentTrack, until: number): void {
    if (track.activity === 'out') return;
    const field = ({ idle: 'idleMs', talk: 'talkMs', wrap: 'wrapMs', paused: 'pausedMs' } as const)[track.activity];
    let t = track.since;
    while (t < until) {
      const start = this.#start(t);
      const end = Math.min(until, start + this.#opt.intervalMs);
      this.#agent(agentId, start)[field] += end - t;
      t = end;
    }
  }
}

function ratio(a: number, b: number): number | null {
  return b > 0 ? a / b : null;
}

function queueRates(q: QueueInterval): Pick<QueueInterval, 'asaS' | 'ahtS' | 'abandonRate' | 'serviceLevel'> {
  const settled = q.answered + q.abandoned;
  const asa = ratio(q.waitMsAnswered, q.answered);
  const aht = ratio(q.handleMs, q.handled);
  return {
    asaS: asa === null ? null : asa / 1000,
    ahtS: aht === null ? null : aht / 1000,
    abandonRate: ratio(q.abandoned, settled),
    serviceLevel: ratio(q.answeredWithinSl, settled),
  };
}
