import type { TrunkStatus } from '../trunks/trunk-health.ts';
import type { SnmpDataSource, SnmpQueue, SnmpSipCounters, SnmpTrunk } from './data-source.ts';

/** A queue's figures as its owner keeps them; the row index is given here. */
export type QueueFigures = Omit<SnmpQueue, 'index'>;

/** What the calls app hands the agent once it runs (and takes back when it stops). */
export interface ServiceFeeds {
  sip(): SnmpSipCounters;
  trunks(): readonly TrunkStatus[];
  queues?(): readonly QueueFigures[];
}

const registration = (s: TrunkStatus['registration']): SnmpTrunk['registration'] => (s === undefined ? 'not-configured' : s);

/**
 * The agent's data source for the running box: system figures from the health source it starts with, SIP
 * counters, trunks and queues from the calls app once that attaches (it starts after the agent and stops before
 * it). Until then, and after it detaches, the SIP counters keep their last values and the tables are empty.
 *
 * Row indexes stay with their trunk or queue while it stays configured (NMSs key their graphs on them); a new
 * one gets the next unused number.
 */
export class ServiceDataSource implements SnmpDataSource {
  readonly #base: SnmpDataSource;
  #feeds: ServiceFeeds | null = null;
  #lastSip: SnmpSipCounters | null = null;
  readonly #trunkIndex = new RowIndex();
  readonly #queueIndex = new RowIndex();

  constructor(base: SnmpDataSource) {
    this.#base = base;
  }

  /** Returns the detach function. */
  attach(feeds: ServiceFeeds): () => void {
    this.#feeds = feeds;
    return () => {
      if (this.#feeds !== feeds) return;
      this.#lastSip = feeds.sip();
      this.#feeds = null;
    };
  }

  system: SnmpDataSource['system'] = () => this.#base.system();
  recording: SnmpDataSource['recording'] = () => this.#base.recording();

  sip: SnmpDataSource['sip'] = () => this.#feeds?.sip() ?? this.#lastSip ?? this.#base.sip();

  trunks: SnmpDataSource['trunks'] = () => {
    const list = this.#feeds?.trunks() ?? [];
    const index = this.#trunkIndex.assign(list.map((t) => t.name));
    return list.map((t) => ({
      index: index.get(t.name) as number,
      name: t.name,
      state: t.state,
      registration: registration(t.registration),
      optionsRttMs: t.lastRttMs ?? null,
      activeCalls: t.activeCalls,
      callsFailedOver: BigInt(t.callsFailedOver),
      lastChange: new Date(t.lastChange),
    }));
  };

  queues: SnmpDataSource['queues'] = () => {
    const list = this.#feeds?.queues?.() ?? [];
    const index = this.#queueIndex.assign(list.map((q) => q.name));
    return list.map((q) => ({ ...q, index: index.get(q.name) as number }));
  };
}

/** Stable 1-based row numbers by name: kept while the name stays, never reused for another name while it runs. */
class RowIndex {
  readonly #byName = new Map<string, number>();
  #next = 1;

  assign(names: readonly string[]): Map<string, number> {
    const present = new Set(names);
    for (const n of this.#byName.keys()) if (!present.has(n)) this.#byName.delete(n);
    for (const n of names) if (!this.#byName.has(n)) this.#byName.set(n, this.#next++);
    return this.#byName;
  }
}
