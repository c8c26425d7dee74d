import type { Logger } from 'pino';
import { bump, newCounters, statusClass, type EngineCounters } from './counters.ts';
import { DialogStore, type Dialog } from './dialog/dialog.ts';
import type { DestResolver } from './dns-resolve.ts';
import { buildResponse, newBranch, randomToken, reasonPhrase } from './parser/build.ts';
import type { SipMessage } from './parser/message.ts';
import type { RequestHandlers } from './request-handlers.ts';
import type { SipTrace } from './sip-trace.ts';
import { TransactionLayer } from './transaction/layer.ts';
import type { ServerTxn } from './transaction/server-txn.ts';
import type { TimerWheel } from './transaction/timer-wheel.ts';
import type { Dest, SipTimers } from './transaction/types.ts';
import type { Transports } from './transport/transports.ts';
import { hostPort, type ListenPoint } from './transport/types.ts';
import type { WireConn } from './wire/connection.ts';

export interface CoreOptions {
  timers: SipTimers;
  /** Next-hop lookups (fixed names, RFC 3263 DNS). */
  resolver: DestResolver;
  /** Drop a request the app never answers after this long (drachtio: 64 s). */
  appAnswerTimeoutMs: number;
  /** RFC 4028 Min-SE in seconds (90; tests use less). */
  minSe: number;
  /** Where sent messages are traced, when tracing was asked for. */
  trace?: SipTrace;
  /** Outbound connection mode: methods whose requests go to an app the engine dials. */
  requestHandlers: RequestHandlers;
  dialApp(host: string, port: number): Promise<WireConn>;
}

/** What every part of the core shares: counters, transactions, dialogs, transports and the timer wheel. */
export class CoreContext {
  readonly counters: EngineCounters = newCounters();
  readonly txl: TransactionLayer;
  readonly dialogs = new DialogStore();
  readonly opts: CoreOptions;
  readonly log: Logger;
  readonly transports: Transports;
  readonly wheel: TimerWheel;

  constructor(opts: CoreOptions, log: Logger, transports: Transports, wheel: TimerWheel) {
    this.opts = opts;
    this.log = log;
    this.transports = transports;
    this.wheel = wheel;
    this.txl = new TransactionLayer(wheel, opts.timers, {
      send: (dest, wire) => this.send(dest, wire),
      retransmitted: () => this.counters.retransmissions++,
    });
  }

  get listen(): ListenPoint[] {
    return this.transports.bound;
  }

  send(dest: Dest, wire: string): boolean {
    if (this.opts.trace?.on) this.opts.trace.sent(wire, dest.proto, dest.address, dest.port);
    return this.transports.send(dest.proto, dest.address, dest.port, wire, dest.conn);
  }

  respond(txn: ServerTxn, res: SipMessage): string {
    bump(this.counters.responsesOut, statusClass(res.status));
    return this.txl.respond(txn, res);
  }

  respondStateless(req: SipMessage, dest: Dest, status: number): void {
    bump(this.counters.responsesOut, statusClass(status));
    this.send(dest, buildResponse(req, status, reasonPhrase(status), randomToken()).toString());
  }

  /** Ends a dialog's life in the engine: no more 2xx retransmission, no more lookups. */
  dropDialog(d: Dialog): void {
    if (d.session) this.wheel.cancel(d.session.timer);
    d.session = undefined;
    if (d.pending2xx) {
      this.wheel.cancel(d.pending2xx.timer);
      this.wheel.cancel(d.pending2xx.giveUp);
      d.pending2xx = undefined;
    }
    this.dialogs.remove(d);
  }

  /** The listen point to send from towards `dest` and the Via naming it. */
  viaFor(dest: Dest): { lp: ListenPoint; via: string } | undefined {
    const lp = this.transports.pick(dest.proto, dest.address);
    if (!lp) return undefined;
    return { lp, via: `SIP/2.0/${dest.proto.toUpperCase()} ${hostPort(lp.external ?? lp.host, lp.port)};rport;branch=${newBranch()}` };
  }
}

/** Headers the engine owns: an app's copies are dropped. */
export const ENGINE_OWNED = new Set(['via', 'route', 'record-route', 'rseq', 'content-length']);
export const RESPONSE_OWNED = new Set([...ENGINE_OWNED, 'from', 'to', 'call-id', 'cseq']);
export const IN_DIALOG_OWNED = new Set([...RESPONSE_OWNED, 'max-forwards']);
export const CANCEL_SAFE_DROP = new Set([...IN_DIALOG_OWNED, 'contact', 'p-asserted-identity']);

/** SDP bodies arrive without Content-Type from apps; any other body must name its type. */
export function fixContentType(m: SipMessage): string | undefined {
  if (!m.body || m.has('content-type')) return undefined;
  if (m.body.startsWith('v=0')) {
    m.add('Content-Type', 'application/sdp');
    return undefined;
  }
  return m.isRequest ? 'missing content-type' : undefined;
}
