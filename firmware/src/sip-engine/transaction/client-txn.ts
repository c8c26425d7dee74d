import { randomUUID } from 'node:crypto';
import type { SipMessage } from '../parser/message.ts';
import type { Source } from '../transport/types.ts';
import type { WheelTimer } from './timer-wheel.ts';
import type { Dest } from './types.ts';

export type ResponseHandler = (res: SipMessage, src: Source | undefined, retransmission: boolean) => void;

/** A request we sent (for an app, or on our own such as an ACK-timeout BYE). */
export class ClientTxn {
  readonly id = randomUUID();
  /** The request and its wire text (re-sent by Timers A and E). */
  req: SipMessage;
  wire: string;
  readonly dest: Dest;
  readonly branch: string;
  readonly method: string;
  state: 'calling' | 'proceeding' | 'completed' | 'accepted' | 'terminated' = 'calling';
  finalStatus = 0;
  gotProvisional = false;
  /** A CANCEL the app asked for before any provisional response: RFC 3261 section 9.1 says wait for one. */
  pendingCancel: (() => void) | undefined;
  ack: string | undefined;
  timers: WheelTimer[] = [];
  interval = 0;
  onResponse: ResponseHandler;
  /**
   * What a retransmitted 2xx to this INVITE does once the transaction lingers (RFC 6026 Timer M). A handler that
   * does not hold the transaction lets it be collected; without one, `onResponse` is called with the flag set.
   */
  on2xxRetransmission: ((res: SipMessage, src: Source) => void) | undefined;

  constructor(req: SipMessage, wire: string, dest: Dest, onResponse: ResponseHandler) {
    this.req = req;
    this.wire = wire;
    this.dest = dest;
    this.branch = req.via!.branch;
    this.method = req.method;
    this.onResponse = onResponse;
    this.on2xxRetransmission = undefined;
  }

  get key(): string {
    return `${this.branch}|${this.method}`;
  }
}
