import { randomUUID } from 'node:crypto';
import { detach, type SipMessage } from '../parser/message.ts';
import type { WireConn } from '../wire/connection.ts';
import type { WheelTimer } from './timer-wheel.ts';
import type { Dest } from './types.ts';

/** The key RFC 3261 section 17.2.3 matches requests to server transactions with. */
export function serverKey(req: SipMessage, method = req.method): string {
  const v = req.via!;
  const m = method === 'ACK' ? 'INVITE' : method;
  // Flat copies: the key lives as long as the transaction, and a tree of concatenated pieces costs more.
  if (v.branch.startsWith('z9hG4bK')) return detach(`${v.branch}|${v.host}:${v.port}|${m}`);
  // RFC 2543 peers: no usable branch, fall back on the dialog and CSeq identifiers
  return detach(`${req.callId}|${req.fromTag}|${req.cseq}|${v.host}:${v.port}|${v.branch}|${m}`);
}

/** A request we received, answered through the app (or by the engine itself). */
export class ServerTxn {
  readonly id = randomUUID();
  readonly key: string;
  readonly method: string;
  /** The request; reduced to its identifiers once the final response is sent (see SipMessage.identity). */
  req: SipMessage;
  readonly dest: Dest;
  state: 'trying' | 'proceeding' | 'completed' | 'accepted' | 'confirmed' | 'terminated' = 'trying';
  /** The app the request was offered to (none for requests the engine answers itself). */
  app: WireConn | undefined;
  appAnswered = false;
  /** Wire text of the last response, re-sent when the request is retransmitted. */
  lastResponse: string | undefined;
  finalStatus = 0;
  toTag = '';
  canceled = false;
  dialogId = '';
  /** Reliable 1xx awaiting PRACK: RSeq and its retransmission timer. */
  rseq = 0;
  relTimer: WheelTimer | undefined;
  timers: WheelTimer[] = [];
  /** Extra key under which a merged-request check finds this transaction. */
  mergeKey = '';

  constructor(req: SipMessage, dest: Dest) {
    this.req = req;
    this.method = req.method;
    this.key = serverKey(req);
    this.dest = dest;
  }
}
