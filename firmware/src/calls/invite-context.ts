import type { Target } from '../config/site-schema.ts';
import type { CallDeps, Party } from './call-deps.ts';
import type { Destination } from './route-call.ts';
import type { SrfRequest, SrfResponse } from './sip-types.ts';

/** A new INVITE on its way through the call-flow steps; each step reads and fills what it needs. */
export interface InviteContext {
  req: SrfRequest;
  res: SrfResponse;
  deps: CallDeps;
  caller?: Party;
  /** The user part of the Request-URI. */
  dialled: string;
  destination?: Destination | { kind: 'target'; target: Target };
  /**
   * Set when the caller's leg already has a CDR under this interaction (a call forwarded to a queue is handed to
   * the queue app after the B2BUA started its record): whoever takes the call continues it.
   */
  interactionId?: string;
}

/** One step: answers the request itself (returns 'done') or hands it on ('next'). */
export type InviteStep = (ctx: InviteContext) => Promise<'next' | 'done'> | 'next' | 'done';
