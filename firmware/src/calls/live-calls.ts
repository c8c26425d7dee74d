/** A call the app is responsible for: set-up or connected, with its media in rtpengine under mediaCallId. */
export interface LiveCall {
  mediaCallId: string;
  /** True once both parties talk through rtpengine (so its media must exist there). */
  readonly connected: boolean;
  /** Ends every leg (BYE or CANCEL or final response), deletes the media and completes the CDRs. */
  end(cause: string): Promise<void>;
}

/** Every live call, so faults (rtpengine lost) can end them all and the reconcile knows which media is owned. */
export class LiveCalls {
  readonly #calls = new Set<LiveCall>();

  add(c: LiveCall): void {
    this.#calls.add(c);
  }

  delete(c: LiveCall): void {
    this.#calls.delete(c);
  }

  get size(): number {
    return this.#calls.size;
  }

  mediaCallIds(): Set<string> {
    return new Set([...this.#calls].map((c) => c.mediaCallId));
  }

  all(): LiveCall[] {
    return [...this.#calls];
  }

  connectedCalls(): LiveCall[] {
    return [...this.#calls].filter((c) => c.connected);
  }

  async endAll(cause: string): Promise<void> {
    await Promise.allSettled([...this.#calls].map((c) => c.end(cause)));
  }
}
