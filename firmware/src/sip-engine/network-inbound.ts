import type { AppRoutes } from './app-routes.ts';
import type { CoreContext } from './core-context.ts';
import { bump, statusClass } from './counters.ts';
import { buildResponse, randomToken } from './parser/build.ts';
import type { SipMessage } from './parser/message.ts';
import { parseMessage, SipParseError } from './parser/parse.ts';
import { parseNameAddr } from './parser/tokens.ts';
import type { InDialogRequests } from './dialog/in-dialog-requests.ts';
import type { SessionTimers } from './dialog/session-timer.ts';
import type { Proxy } from './proxy.ts';
import type { OutboundApps } from './request-handlers.ts';
import type { ServerTxn } from './transaction/server-txn.ts';
import type { Dest } from './transaction/types.ts';
import { isMessageProto, type Source } from './transport/types.ts';
import { endsSubscription } from './uac-responses.ts';
import { stampVia } from './via-stamp.ts';
import type { WireConn } from './wire/connection.ts';
import { wireTime } from './wire/framing.ts';

/** Methods drachtio offers to apps outside a dialog; others need an explicit route. */
const KNOWN = new Set(['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'PRACK', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH', 'INFO', 'REFER', 'MESSAGE', 'UPDATE']);

/** Messages from the network: parsed, matched to transactions and dialogs, and handed to the owning app. */
export class NetworkInbound {
  private ctx: CoreContext;
  private routes: AppRoutes;
  private proxy: Proxy;
  private inDialog: InDialogRequests;
  private sessions: SessionTimers;
  private outbound: OutboundApps | undefined;

  constructor(ctx: CoreContext, routes: AppRoutes, proxy: Proxy, inDialog: InDialogRequests, sessions: SessionTimers, outbound: OutboundApps | undefined) {
    this.ctx = ctx;
    this.routes = routes;
    this.proxy = proxy;
    this.inDialog = inDialog;
    this.sessions = sessions;
    this.outbound = outbound;
  }

  /** Hands a new request to the app chosen for it, with the local address it arrived on. */
  deliverNew(app: WireConn, req: SipMessage, src: Source, txn: ServerTxn): void {
    this.deliver(app, req, src, txn.id, '', [src.localAddress, String(src.localPort)]);
  }

  /** RFC 4028 section 8.1: an INVITE or UPDATE asking for less than our Min-SE is refused by the engine. */
  private refuseShortSession(req: SipMessage, dest: Dest): boolean {
    const minSe = this.sessions.tooSmall(req);
    if (minSe === undefined) return false;
    const txn = this.ctx.txl.createServer(req, dest);
    const res = buildResponse(req, 422, 'Session Interval Too Small', req.toTag || randomToken());
    res.add('Min-SE', String(minSe));
    this.ctx.respond(txn, res);
    return true;
  }

  onNetwork(data: Buffer, src: Source): void {
    if (isOnlyCrlf(data)) return; // keep-alive
    const { counters } = this.ctx;
    let msg: SipMessage;
    try {
      msg = parseMessage(data.toString('utf8'), { bodyMode: isMessageProto(src.proto) ? 'datagram' : 'exact' });
    } catch (err) {
      counters.parseErrors++;
      if (err instanceof SipParseError) this.answerMalformed(err, src);
      return;
    }
    try {
      if (msg.isRequest) this.onRequest(msg, src);
      else this.onResponse(msg, src);
    } catch (err) {
      counters.dropped++;
      this.ctx.log.error({ err }, 'error handling a SIP message');
    }
  }

  /** A request we could not accept gets 400/505/416 with the reason when a response can be addressed. */
  private answerMalformed(err: SipParseError, src: Source): void {
    const p = err.partial;
    if (!p || !p.isRequest || p.method === 'ACK' || err.status === 0 || !p.via || !p.callId || !p.has('from') || !p.has('to') || !p.has('cseq')) {
      this.ctx.counters.dropped++;
      return;
    }
    const res = buildResponse(p, err.status, err.status === 400 ? `Bad Request - ${err.message}` : err.message, randomToken());
    bump(this.ctx.counters.responsesOut, statusClass(err.status));
    this.ctx.send({ proto: src.proto, address: src.address, port: src.port, conn: src.conn }, res.toString());
  }

  private destFor(req: SipMessage, src: Source): Dest {
    if (src.proto !== 'udp') return { proto: src.proto, address: src.address, port: src.port, conn: src.conn };
    const v = req.via!;
    return { proto: 'udp', address: src.address, port: v.params.has('rport') ? src.port : v.port || 5060 };
  }

  private onRequest(req: SipMessage, src: Source): void {
    const { txl } = this.ctx;
    bump(this.ctx.counters.requestsIn, req.method);
    stampVia(req, src);
    const existing = txl.matchServer(req);
    if (existing) {
      if (req.method !== 'ACK') txl.absorb(existing);
      else if (existing.state === 'completed') txl.ackServer(existing);
      else this.onAck(req, src);
      return;
    }
    if (req.method === 'ACK') return this.onAck(req, src);
    if (txl.absorbAnswered(req, this.destFor(req, src))) return;
    if (req.method === 'CANCEL') return this.onCancel(req, src);
    if (req.toTag) return this.onInDialog(req, src);
    this.onNewRequest(req, src);
  }

  private deliver(app: WireConn, msg: SipMessage, src: Source, txnId: string, dialogId: string, extra: string[] = []): void {
    const wire = msg.toString();
    app.send(['sip', 'network', String(Buffer.byteLength(wire)), src.proto, src.address, String(src.port), wireTime(), txnId, dialogId, ...extra, ''], wire);
  }

  private onAck(req: SipMessage, src: Source): void {
    const d = this.ctx.dialogs.find(req.callId, req.toTag, req.fromTag);
    const p = d?.pending2xx;
    if (!d && req.has('route')) {
      void this.proxy.relayInDialog(req, this.destFor(req, src));
      return;
    }
    if (!d || !p) return; // a retransmitted ACK, or one for a dialog we no longer hold
    this.ctx.wheel.cancel(p.timer);
    this.ctx.wheel.cancel(p.giveUp);
    d.pending2xx = undefined;
    if (d.app.open) {
      const wire = req.toString();
      d.app.send(['sip', 'network', String(Buffer.byteLength(wire)), 'udp', req.via?.params.get('received') ?? req.via?.host ?? '', String(req.via?.port ?? 5060), wireTime(), p.txnId, d.id, ''], wire);
    }
  }

  private onCancel(req: SipMessage, src: Source): void {
    const { txl, dialogs } = this.ctx;
    const dest = this.destFor(req, src);
    const inv = txl.matchServer(req, 'INVITE');
    if (!inv) {
      const dialogId = txl.acceptedDialog(req);
      if (dialogId === undefined) return this.ctx.respondStateless(req, dest, 481);
      // RFC 3261 ends the INVITE transaction with its 2xx, so the CANCEL matches nothing: 481. A CANCEL that crossed
      // our 200 (no ACK yet) means the caller gave up: like drachtio, hang up and tell the app with an unsolicited BYE.
      this.ctx.respond(txl.createServer(req, dest), buildResponse(req, 481, 'Call/Transaction Does Not Exist', randomToken()));
      const d = dialogs.byId.get(dialogId);
      if (d?.pending2xx && d.pending2xx.txnId === d.inviteTxnId) void this.inDialog.hangUpUnsolicited(d, 'CANCEL after 200 OK');
      return;
    }
    const txn = txl.createServer(req, dest);
    this.ctx.respond(txn, buildResponse(req, 200, 'OK', inv.toTag || randomToken()));
    if (inv.finalStatus !== 0 || inv.canceled) return;
    inv.canceled = true;
    if (!inv.toTag) inv.toTag = randomToken();
    this.ctx.respond(inv, buildResponse(inv.req, 487, 'Request Terminated', inv.toTag));
    this.routes.cdr('stop', 'network', 'call-canceled', req);
    this.proxy.cancel(inv);
    const d = inv.dialogId ? dialogs.byId.get(inv.dialogId) : undefined;
    if (d && d.state === 'early') dialogs.remove(d);
    if (inv.app?.open) this.deliver(inv.app, req, src, inv.id, inv.appAnswered ? inv.dialogId : '');
  }

  private onInDialog(req: SipMessage, src: Source): void {
    const { txl, dialogs, wheel } = this.ctx;
    const dest = this.destFor(req, src);
    const d = dialogs.find(req.callId, req.toTag, req.fromTag);
    if (!d && req.has('route')) {
      // maybe a dialog an app proxied with Record-Route: relay it, else it belongs to nobody
      void this.proxy.relayInDialog(req, dest).then((relayed) => relayed || this.ctx.respondStateless(req, dest, 481));
      return;
    }
    if (!d) return this.ctx.respondStateless(req, dest, 481);
    const ends = req.method === 'BYE' || (req.method === 'NOTIFY' && endsSubscription(d, req));
    if (!d.app.open) {
      // the owning app is gone (drachtio keeps such dialogs for in-dialog requests apps send by dialog id): refuse,
      // and let a BYE or a final NOTIFY end the dialog so it does not outlive its call
      if (ends) this.ctx.dropDialog(d);
      return this.ctx.respondStateless(req, dest, 481);
    }
    if (this.refuseShortSession(req, dest)) return;
    if (req.method === 'INVITE' || req.method === 'UPDATE') this.sessions.refreshed(d, req);
    const txn = txl.createServer(req, dest);
    txn.app = d.app;
    txn.dialogId = d.id;
    if (req.method === 'INVITE') this.ctx.respond(txn, buildResponse(req, 100, 'Trying'));
    if (req.method === 'PRACK') {
      const inv = txl.serversById.get(d.inviteTxnId);
      if (inv) wheel.cancel(inv.relTimer);
    }
    if (req.method === 'BYE' && d.method === 'INVITE') this.routes.cdr('stop', 'network', 'normal-release', req);
    if (ends) this.ctx.dropDialog(d);
    if ((req.method === 'INVITE' || req.method === 'UPDATE') && req.has('contact')) {
      const c = parseNameAddr(req.getAll('contact')[0] ?? '');
      if (c) d.remoteTarget = c.uri;
    }
    if (src.proto !== 'udp') d.dest = dest;
    d.remoteSeq = req.cseq;
    this.deliver(d.app, req, src, txn.id, d.id);
  }

  private onNewRequest(req: SipMessage, src: Source): void {
    const { txl } = this.ctx;
    const dest = this.destFor(req, src);
    if (req.method === 'BYE' || req.method === 'UPDATE') return this.ctx.respondStateless(req, dest, 481);
    if (txl.isMerged(req)) return this.ctx.respondStateless(req, dest, 482);
    const outbound = this.outbound?.handles(req.method) ? this.outbound : undefined;
    const app = outbound ? undefined : this.routes.pick(req.method.toLowerCase());
    if (!app && !outbound) return this.ctx.respondStateless(req, dest, KNOWN.has(req.method) ? 503 : 501);
    if (this.refuseShortSession(req, dest)) return;
    const txn = txl.createServer(req, dest);
    txn.app = app;
    if (req.method === 'INVITE') {
      this.ctx.respond(txn, buildResponse(req, 100, 'Trying'));
      this.routes.cdr('attempt', 'network', undefined, req);
    }
    txn.timers.push(this.ctx.wheel.schedule(this.ctx.opts.appAnswerTimeoutMs, () => !txn.appAnswered && txl.terminateServer(txn)));
    if (app) this.deliverNew(app, req, src, txn);
    else void outbound!.route(req, src, txn);
  }

  private onResponse(res: SipMessage, src: Source): void {
    bump(this.ctx.counters.responsesIn, statusClass(res.status));
    if (!this.ctx.txl.receiveResponse(res, src)) this.ctx.counters.dropped++;
  }
}

function isOnlyCrlf(data: Buffer): boolean {
  for (const b of data) if (b !== 13 && b !== 10) return false;
  return true;
}
