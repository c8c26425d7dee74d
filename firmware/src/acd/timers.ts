/**
 * The core has no timers of its own: it keeps its deadlines in this heap, the adapter asks for the next one
 * and calls `tick(now)` when it is reached. Deadlines are never removed when they become moot; each one
 * re-checks its own state when it fires, which keeps cancellation free.
 */
export interface Deadline {
  at: number;
  fire: () => void;
}

export class DeadlineHeap {
  #items: Deadline[] = [];
  #seq: number[] = [];
  #counter = 0;

  get size(): number {
    return this.#items.length;
  }

  push(at: number, fire: () => void): void {
    const items = this.#items;
    const seq = this.#seq;
    items.push({ at, fire });
    seq.push(this.#counter++);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(i, parent)) break;
      this.#swap(i, parent);
      i = parent;
    }
  }

  peek(): number | null {
    return this.#items[0]?.at ?? null;
  }

  /** Removes and returns the earliest deadline due at or before `now`; equal times keep insertion order. */
  popDue(now: number): Deadline | undefined {
    const items = this.#items;
    const top = items[0];
    if (top === undefined || top.at > now) return undefined;
    const lastItem = items.pop() as Deadline;
    const lastSeq = this.#seq.pop() as number;
    if (items.length > 0) {
      items[0] = lastItem;
      this.#seq[0] = lastSeq;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.#less(l, m)) m = l;
        if (r < items.length && this.#less(r, m)) m = r;
        if (m === i) break;
        this.#swap(i, m);
        i = m;
      }
    }
    return top;
  }

  #less(a: number, b: number): boolean {
    const x = this.#items[a] as Deadline;
    const y = this.#items[b] as Deadline;
    return x.at < y.at || (x.at === y.at && (this.#seq[a] as number) < (this.#seq[b] as number));
  }

  #swap(a: number, b: number): void {
    const items = this.#items;
    const seq = this.#seq;
    [items[a], items[b]] = [items[b] as Deadline, items[a] as Deadline];
    [seq[a], seq[b]] = [seq[b] as number, seq[a] as number];
  }
}
