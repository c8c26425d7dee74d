import type { SrfRequest, SrfResponse } from './sip-types.ts';

/** A call ringing at an extension that another phone may take with the pickup code. */
export interface RingingCall {
  /** Extensions being rung right now. */
  ringing: Set<string>;
  /** Takes the call to the picker's phone; false when it was answered or ended meanwhile. */
  pickUp(picker: { req: SrfRequest; res: SrfResponse; extension: string }): boolean;
}

/** Calls that are ringing, so the pickup feature code can find one. */
export class PickupBoard {
  readonly #calls = new Set<RingingCall>();

  add(c: RingingCall): () => void {
    this.#calls.add(c);
    return () => this.#calls.delete(c);
  }

  /** The oldest call ringing at one of `extensions`. */
  find(extensions: ReadonlySet<string>): RingingCall | undefined {
    return [...this.#calls].find((c) => [...c.ringing].some((e) => extensions.has(e)));
  }
}
