/**
 * Transactions past their final answer, kept only to absorb retransmissions (RFC 3261 Timers D, J, K and RFC 6026's
 * Timers L, M): a key and what to do with a retransmission, nothing else. At 800 calls/s about 80,000 transactions
 * linger 32 s; as full objects with a wheel timer each they were most of the engine's heap and of its GC work.
 * Everything in one table lingers equally long, so entries expire in insertion order and a FIFO replaces the timers.
 */
export class Lingering<V> {
  readonly ms: number;
  private map = new Map<string, V>();
  // Parallel arrays (keys, values, due times), oldest first: no object per entry.
  private keys: string[] = [];
  private values: V[] = [];
  private dues: number[] = [];

  constructor(ms: number) {
    this.ms = ms;
  }

  get size(): number {
    return this.map.size;
  }

  get(key: string): V | undefined {
    return this.map.get(key);
  }

  add(key: string, value: V, now: number): void {
    this.map.set(key, value);
    this.keys.push(key);
    this.values.push(value);
    this.dues.push(now + this.ms);
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  /** Drops what is due by `now`; an entry replaced under the same key since is left to its own due time. */
  sweep(now: number): void {
    const { keys, values, dues } = this;
    let h = 0;
    while (h < keys.length && (dues[h] as number) <= now) {
      const k = keys[h] as string;
      if (this.map.get(k) === values[h]) this.map.delete(k);
      h++;
    }
    // Swept entries leave the arrays at once: left before the head until a later compaction, up to half of
    // everything held was already expired. A sweep runs about once a second, so the copy is cheap.
    if (h > 0) {
      this.keys = keys.slice(h);
      this.values = values.slice(h);
      this.dues = dues.slice(h);
    }
  }

  /** The next due time, or undefined when empty. */
  get nextDue(): number | undefined {
    return this.dues[0];
  }
}
