/**
 * One JS interval for every SIP timer. Timers fall into 10 ms slots; the interval runs only while timers are
 * pending, so an idle engine costs nothing and 10,000 transactions cost one callback per slot, not 10,000 timers.
 */
export interface WheelTimer {
  fn: () => void;
  cancelled: boolean;
  /** The slot list holding it and its place there, so cancelling removes it at once (O(1), swap with the last). */
  list: WheelTimer[] | undefined;
  index: number;
}

const SLOT_MS = 10;
const noop = (): void => undefined;

export class TimerWheel {
  private slots = new Map<number, WheelTimer[]>();
  private count = 0;
  private interval: NodeJS.Timeout | undefined;
  private lastSlot = Math.floor(Date.now() / SLOT_MS);
  private onError: (err: unknown) => void;

  constructor(onError: (err: unknown) => void) {
    this.onError = onError;
  }

  schedule(ms: number, fn: () => void): WheelTimer {
    const now = Date.now();
    if (!this.interval) {
      this.lastSlot = Math.floor(now / SLOT_MS);
      this.interval = setInterval(this.onInterval, SLOT_MS);
    }
    const slot = Math.max(Math.ceil((now + ms) / SLOT_MS), this.lastSlot + 1);
    let list = this.slots.get(slot);
    if (!list) this.slots.set(slot, (list = []));
    const t: WheelTimer = { fn, cancelled: false, list, index: list.length };
    list.push(t);
    this.count++;
    return t;
  }

  /**
   * Most timers are cancelled (Timer B by the answer, the app's 64 s answer deadline by its response): they leave
   * their slot at once. Left there until due, 130,000 of them sat in the heap at 800 calls/s.
   */
  cancel(t: WheelTimer | undefined): void {
    if (!t || t.cancelled) return;
    t.cancelled = true;
    t.fn = noop;
    this.count--;
    const list = t.list;
    if (!list) return;
    t.list = undefined;
    const last = list.pop()!;
    if (last !== t) {
      list[t.index] = last;
      last.index = t.index;
    }
  }

  get pending(): number {
    return this.count;
  }

  /**
   * The due timers run after the event loop's I/O phase, not in its timers phase: when the engine lags, a
   * response already waiting in a socket is read before Timer A or E decides it never came and retransmits
   * (a retransmission the peer may not expect, and more load when there is already too much).
   */
  private onInterval = (): void => {
    if (!this.tickQueued) {
      this.tickQueued = true;
      setImmediate(this.tick);
    }
  };
  private tickQueued = false;

  private tick = (): void => {
    this.tickQueued = false;
    const now = Math.floor(Date.now() / SLOT_MS);
    for (let s = this.lastSlot + 1; s <= now; s++) {
      const list = this.slots.get(s);
      if (!list) continue;
      this.slots.delete(s);
      // Callbacks may cancel timers of this very slot: detached first, those are only marked.
      for (const t of list) t.list = undefined;
      for (const t of list) {
        if (t.cancelled) continue;
        t.cancelled = true;
        this.count--;
        const fn = t.fn;
        t.fn = noop;
        try {
          fn();
        } catch (err) {
          this.onError(err);
        }
      }
    }
    this.lastSlot = now;
    if (this.count === 0 && this.interval) {
      clearInterval(this.interval);
      this.interval = undefined;
      this.slots.clear();
    }
  };

  stop(): void {
    if (this.interval) clearInterval(this.interval);
    this.interval = undefined;
    this.slots.clear();
    this.count = 0;
  }
}
