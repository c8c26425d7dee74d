/**
 * One JS interval for every SIP timer. Timers fall into 10 ms slots; the interval runs only while timers are
 * pending, so an idle engine costs nothing and 10,000 transactions cost one callback per slot, not 10,000 timers.
 */
export interface WheelTimer {
  due: number;
  fn: () => void;
  cancelled: boolean;
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
    const due = now + ms;
    const t: WheelTimer = { due, fn, cancelled: false };
    const slot = Math.max(Math.ceil(due / SLOT_MS), this.lastSlot + 1);
    let list = this.slots.get(slot);
    if (!list) this.slots.set(slot, (list = []));
    list.push(t);
    this.count++;
    return t;
  }

  /**
   * A cancelled timer stays in its slot until the slot comes due, so its callback is dropped here: the callback
   * holds the transaction or dialog it was for, which would otherwise live on until then (64 s for some).
   */
  cancel(t: WheelTimer | undefined): void {
    if (t && !t.cancelled) {
      t.cancelled = true;
      t.fn = noop;
      this.count--;
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
