import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { bump, newCounters, statusClass, type EngineCounters } from './counters.ts';
import { DialogStore, type Dialog } from './dialog/dialog.ts';
import { bracketAddresses, contactFor, isSelf, resolveDest, rewriteLocalhost, type HostMap } from './outgoing.ts';
import { Proxy } from './proxy.ts';
import { buildCancel, buildResponse, newBranch, randomToken, reasonPhrase } from './parser/build.ts';
import { canonicalName } from './parser/header-names.ts';
import { SipMessage } from './parser/message.ts';
import { parseMessage, SipParseError } from './parser/parse.ts';
import { parseNameAddr } from './parser/tokens.ts';
import type { ClientTxn } from './transaction/client-txn.ts';
import { TransactionLayer } from './transaction/layer.ts';
import type { ServerTxn } from './transaction/server-txn.ts';
import type { TimerWheel } from './transaction/timer-wheel.ts';
import type { Dest, SipTimers } from './transaction/types.ts';
import type { Transports } from './transport/transports.ts';
import { hostPort, type ListenPoint, type Source } from './transport/types.ts';
import type { WireConn } from './wire/connection.ts';
import { wireTime } from './wire/framing.ts';

/** Methods drachtio offers to apps outside a dialog; others need an explicit route. */
const KNOWN = new Set(['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'PRACK', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH', 'INFO', 'REFER', 'MESSAGE', 'UPDATE']);
/** Headers the engine owns: an app's copies are dropped. */
const ENGINE_OWNED = new Set(['via', 'route', 'record-route', 'rseq', 'content-length']);
const RESPONSE_OWNED = new Set([...ENGINE_OWNED, 'from', 'to', 'call-id', 'cseq']);
const IN_DIALOG_OWNED = new Set([...RESPONSE_OWNED, 'max-forwards']);
const CANCEL_SAFE_DROP = new Set([...IN_DIALOG_OWNED, 'contact', 'p-asserted-identity']);

export interface CoreOptions {
  timers: SipTimers;
  hosts: HostMap;
  /** Drop a request the app never answers after this long (drachtio: 64 s). */
  appAnswerTimeoutMs: number;
}

/** The SIP core: network requests and responses on one side, drachtio apps on the other. */
export class SipCore {
  readonly counters: EngineCounters = newCounters();
  readonly txl: TransactionLayer;
  readonly dialogs = new DialogStore();
  private routes = new Map<string, WireConn[]>();
  private rr = new Map<string, number>();
  private opts: CoreOptions;
  private log: Logger;
  private transports: Transports;
  private wheel: TimerWheel;
  private proxy: Proxy;

  constructor(opts: CoreOptions, log: Logger, transports: Transports, wheel: TimerWheel) {
    this.opts = opts;
    this.log = log;
    this.transports = transports;
    this.wheel = wheel;
    this.txl = new TransactionLayer(wheel, opts.timers, {
      send: (dest, wire) => this.send(dest, wire),
      retransmitted: () => this.counters.retransmissions++,
      serverGone: () => undefined,
    });
    this.proxy = new Proxy({
      txl: this.txl,
      wheel,
      counters: this.counters,
      hosts: opts.hosts,
      listen: transports.bound,
      send: (dest, wire) => this.send(dest, wire),
      respond: (txn, res) => this.respond(txn, res),
      pick: (dest) => transports.pick(dest.proto, dest.address),
    });
  }

  get listen(): ListenPoint[] {
    return this.transports.bound;
  }

  snapshot(): EngineCounters {
    return { ...this.counters, liveTransactions: this.txl.size, liveDialogs: this.dialogs.size };
  }

  private send(dest: Dest, wire: string): boolean {
    return this.transports.send(dest.proto, dest.address, dest.port, wire, dest.conn);
  }

  // ---------------------------------------------------------------- routes

  addRoute(conn: WireConn, verb: string): void {
    if (conn.routes.has(verb)) return;
    conn.routes.add(verb);
    const list = this.routes.get(verb) ?? [];
    list.push(conn);
    this.routes.set(verb, list);
  }

  /** drachtio removes every verb of the connection, whichever one was named. */
  removeRoutes(conn: WireConn): void {
    for (const verb of conn.routes) {
      const list = (this.routes.get(verb) ?? []).filter((c) => c !== conn);
      if (list.length) this.routes.set(verb, list);
      else this.routes.delete(verb);
    }
    conn.routes.clear();
  }

  private pickApp(verb: string): WireConn | undefined {
    const list = this.routes.get(verb)?.filter((c) => c.open);
    if (!list?.length) return undefined;
    const i = (this.rr.get(verb) ?? 0) % list.length;
    this.rr.set(verb, i + 1);
    return list[i];
  }

  /** CDR events go to one app (round robin) among those that routed the `cdr:*` verb. */
  private cdr(kind: 'attempt' | 'start' | 'stop', source: 'network' | 'application', extra: string | undefined, msg: SipMessage | string): void {
    const verb = `cdr:${kind}`;
    const app = this.pickApp(verb);
    if (!app) return;
    app.send(extra === undefined ? [verb, source, wireTime()] : [verb, source, wireTime(), extra], typeof msg === 'string' ? msg : msg.toString());
  }

  // ---------------------------------------------------------------- network side

  onNetwork(data: Buffer, src: Source): void {
    if (isOnlyCrlf(data)) return; // keep-alive
    let msg: SipMessage;
    try {
      msg = parseMessage(data.toString('utf8'), { bodyMode: src.proto === 'udp' ? 'datagram' : 'exact' });
    } catch (err) {
      this.counters.parseErrors++;
      if (err instanceof SipParseError) this.answerMalformed(err, src);
      return;
    }
    try {
      if (msg.isRequest) this.onRequest(msg, src);
      else this.onResponse(msg, src);
    } catch (err) {
      this.counters.dropped++;
      this.log.error({ err }, 'error handling a SIP message');
    }
  }

  /** A request we could not accept gets 400/505/416 with the reason when a response can be addressed. */
  private answerMalformed(err: SipParseError, src: Source): void {
    const p = err.partial;
    if (!p || !p.isRequest || p.method === 'ACK' || err.status === 0 || !p.via || !p.callId || !p.has('from') || !p.has('to') || !p.has('cseq')) {
      this.counters.dropped++;
      return;
    }
    const res = buildResponse(p, err.status, err.status === 400 ? `Bad Request - ${err.message}` : err.message, randomToken());
    bump(this.counters.responsesOut, statusClass(err.status));
    this.send({ proto: src.proto, address: src.address, port: src.port, conn: src.conn }, res.toString());
  }

  private destFor(req: SipMessage, src: Source): Dest {
    if (src.proto !== 'udp') return { proto: src.proto, address: src.address, port: src.port, conn: src.conn };
    const v = req.via!;
    return { proto: 'udp', address: src.address, port: v.params.has('rport') ? src.port : v.port || 5060 };
  }

  private onRequest(req: SipMessage, src: Source): void {
    bump(this.counters.requestsIn, req.method);
    stampVia(req, src);
    const existing = this.txl.matchServer(req);
    if (existing) {
      if (req.method !== 'ACK') this.txl.absorb(existing);
      else if (existing.state === 'completed') this.txl.ackServer(existing);
      else this.onAck(req, src);
      return;
    }
    if (req.method === 'ACK') return this.onAck(req, src);
    if (req.method === 'CANCEL') return this.onCancel(req, src);
    if (req.toTag) return this.onInDialog(req, src);
    this.onNewRequest(req, src);
  }

  private respondStateless(req: SipMessage, dest: Dest, status: number): void {
    bump(this.counters.responsesOut, statusClass(status));
    this.send(dest, buildResponse(req, status, reasonPhrase(status), randomToken()).toString());
  }

  private respond(txn: ServerTxn, res: SipMessage): string {
    bump(this.counters.responsesOut, statusClass(res.status));
    return this.txl.respond(txn, res);
  }

  private deliver(app: WireConn, msg: SipMessage, src: Source, txnId: string, dialogId: string, extra: string[] = []): void {
    const wire = msg.toString();
    app.send(['sip', 'network', String(Buffer.byteLength(wire)), src.proto, src.address, String(src.port), wireTime(), txnId, dialogId, ...extra, ''], wire);
  }

  private onAck(req: SipMessage, src: Source): void {
    const d = this.dialogs.find(req.callId, req.toTag, req.fromTag);
    const p = d?.pending2xx;
    if (!d && req.has('route')) {
      void this.proxy.relayInDialog(req, this.destFor(req, src));
      return;
    }
    if (!d || !p) return; // a retransmitted ACK, or one for a dialog we no longer hold
    this.wheel.cancel(p.timer);
    this.wheel.cancel(p.giveUp);
    d.pending2xx = undefined;
    if (d.app.open) {
      const wire = req.toString();
      d.app.send(['sip', 'network', String(Buffer.byteLength(wire)), 'udp', req.via?.params.get('received') ?? req.via?.host ?? '', String(req.via?.port ?? 5060), wireTime(), p.txnId, d.id, ''], wire);
    }
  }

  private onCancel(req: SipMessage, src: Source): void {
    const dest = this.destFor(req, src);
    const inv = this.txl.matchServer(req, 'INVITE');
    if (!inv) return this.respondStateless(req, dest, 481);
    const txn = this.txl.createServer(req, dest);
    this.respond(txn, buildResponse(req, 200, 'OK', inv.toTag || randomToken()));
    if (inv.finalStatus !== 0 || inv.canceled) return;
    inv.canceled = true;
    if (!inv.toTag) inv.toTag = randomToken();
    this.respond(inv, buildResponse(inv.req, 487, 'Request Terminated', inv.toTag));
    this.cdr('stop', 'network', 'call-canceled', req);
    this.proxy.cancel(inv);
    const d = inv.dialogId ? this.dialogs.byId.get(inv.dialogId) : undefined;
    if (d && d.state === 'early') this.dialogs.remove(d);
    if (inv.app?.open) this.deliver(inv.app, req, src, inv.id, inv.appAnswered ? inv.dialogId : '');
  }

  private onInDialog(req: SipMessage, src: Source): void {
    const dest = this.destFor(req, src);
    const d = this.dialogs.find(req.callId, req.toTag, req.fromTag);
    if (!d && req.has('route')) {
      // maybe a dialog an app proxied with Record-Route: relay it, else it belongs to nobody
      void this.proxy.relayInDialog(req, dest).then((relayed) => relayed || this.respondStateless(req, dest, 481));
      return;
    }
    if (!d || !d.app.open) return this.respondStateless(req, dest, 481);
    const txn = this.txl.createServer(req, dest);
    txn.app = d.app;
    txn.dialogId = d.id;
    if (req.method === 'INVITE') this.respond(txn, buildResponse(req, 100, 'Trying'));
    if (req.method === 'PRACK') {
      const inv = this.txl.serversById.get(d.inviteTxnId);
      if (inv) this.wheel.cancel(inv.relTimer);
    }
    if (req.method === 'BYE') {
      if (d.method === 'INVITE') this.cdr('stop', 'network', 'normal-release', req);
      if (d.pending2xx) {
        this.wheel.cancel(d.pending2xx.timer);
        this.wheel.cancel(d.pending2xx.giveUp);
        d.pending2xx = undefined;
      }
      this.dialogs.remove(d);
    }
    if ((req.method === 'INVITE' || req.method === 'UPDATE') && req.has('contact')) {
      const c = parseNameAddr(req.getAll('contact')[0] ?? '');
      if (c) d.remoteTarget = c.uri;
    }
    if (src.proto !== 'udp') d.dest = dest;
    d.remoteSeq = req.cseq;
    this.deliver(d.app, req, src, txn.id, d.id);
  }

  private onNewRequest(req: SipMessage, src: Source): void {
    const dest = this.destFor(req, src);
    if (req.method === 'BYE' || req.method === 'UPDATE') return this.respondStateless(req, dest, 481);
    if (this.txl.isMerged(req)) return this.respondStateless(req, dest, 482);
    const app = this.pickApp(req.method.toLowerCase());
    if (!app) return this.respondStateless(req, dest, KNOWN.has(req.method) ? 503 : 501);
    const txn = this.txl.createServer(req, dest);
    txn.app = app;
    if (req.method === 'INVITE') {
      this.respond(txn, buildResponse(req, 100, 'Trying'));
      this.cdr('attempt', 'network', undefined, req);
    }
    txn.timers.push(this.wheel.schedule(this.opts.appAnswerTimeoutMs, () => !txn.appAnswered && this.txl.terminateServer(txn)));
    this.deliver(app, req, src, txn.id, '', [src.localAddress, String(src.localPort)]);
  }

  private onResponse(res: SipMessage, src: Source): void {
    bump(this.counters.responsesIn, statusClass(res.status));
    if (!this.txl.receiveResponse(res, src)) this.counters.dropped++;
  }

  // ---------------------------------------------------------------- app side

  /** `sip` from an app: a response, an in-dialog request, a CANCEL or a new request (protocol doc section 2). */
  async handleAppSip(conn: WireConn, msgId: string, tokens: string[], text: string): Promise<void> {
    const txnId = tokens[2] ?? '';
    const dialogId = tokens[3] ?? '';
    const proxy = tokens[4] ?? '';
    let msg: SipMessage;
    try {
      msg = parseMessage(text, { bodyMode: 'ignore', relaxed: true });
    } catch (err) {
      return conn.reply(msgId, ['NOK', `invalid SIP message: ${(err as Error).message}`]);
    }
    for (const h of msg.headers) h.raw = canonicalName(h.name);
    bracketAddresses(msg);
    if (!msg.isRequest) {
      if (!txnId) {
        conn.reply(msgId, ['NO', 'transaction id missing']);
        conn.socket.end();
        return;
      }
      return this.appResponse(conn, msgId, txnId, msg);
    }
    if (dialogId) return this.appInDialog(conn, msgId, dialogId, msg);
    if (txnId && msg.method === 'CANCEL') return this.appCancel(conn, msgId, txnId, msg);
    return this.appNewRequest(conn, msgId, msg, proxy);
  }

  private appResponse(conn: WireConn, msgId: string, txnId: string, appRes: SipMessage): void {
    const txn = this.txl.serversById.get(txnId);
    if (!txn || txn.finalStatus !== 0 || txn.canceled) return conn.reply(msgId, ['NOK', 'Response not sent due to unknown transaction']);
    const req = txn.req;
    const status = appRes.status;
    const creating = (req.method === 'INVITE' || req.method === 'SUBSCRIBE') && !req.toTag;
    if (!txn.toTag && !req.toTag) txn.toTag = creating && appRes.toTag ? appRes.toTag : randomToken();
    const res = buildResponse(req, status, appRes.reason || reasonPhrase(status), txn.toTag);
    for (const h of appRes.headers) if (!RESPONSE_OWNED.has(h.name)) res.headers.push(h);
    res.body = appRes.body;
    const lp = this.transports.pick(txn.dest.proto, txn.dest.address)!;
    rewriteLocalhost(res, lp);
    if (creating && status > 100 && status < 300) for (const h of req.headers) if (h.name === 'record-route') res.headers.push({ ...h });
    const reliable = status > 100 && status < 200 && /\b100rel\b/i.test(appRes.get('require') ?? '');
    if (reliable) {
      const peer = `${req.get('supported') ?? ''},${req.get('require') ?? ''}`;
      if (!/\b100rel\b/i.test(peer)) return conn.reply(msgId, ['NOK', 'Remote endpoint does not support 100rel']);
      txn.rseq = txn.rseq ? txn.rseq + 1 : 1 + Math.floor(Math.random() * 1000);
      res.add('RSeq', String(txn.rseq));
    }
    const reInvite = req.method === 'INVITE' && !!req.toTag;
    if (!res.has('contact') && ((creating && (reliable || (status >= 200 && status < 300))) || reInvite)) res.add('Contact', contactFor(lp));
    if (res.body && !res.has('content-type') && res.body.startsWith('v=0')) res.add('Content-Type', 'application/sdp');

    let d: Dialog | undefined = txn.dialogId ? this.dialogs.byId.get(txn.dialogId) : undefined;
    if (creating) {
      txn.dialogId = `${req.callId};from-tag=${req.fromTag}`;
      if (!d && status > 100 && status < 300) d = this.createUasDialog(conn, txn, res);
      if (d && (status === 200 || (req.method === 'SUBSCRIBE' && status === 202))) d.state = 'confirmed';
      if (d && status >= 300) this.dialogs.remove(d);
    }
    const wire = this.respond(txn, res);
    txn.appAnswered = true;
    if (creating && req.method === 'INVITE' && status === 200) this.cdr('start', 'application', 'uas', wire);
    if (creating && req.method === 'INVITE' && status >= 300) this.cdr('stop', 'application', 'call-rejected', wire);
    if (d && req.method === 'INVITE' && status === 200) this.await2xxAck(d, txn, wire);
    if (reliable) this.retransmitReliable(txn, wire, this.opts.timers.t1, 0);
    conn.reply(msgId, ['OK', 'application', String(Buffer.byteLength(wire)), txn.dest.proto, lp.host, String(lp.port), wireTime(), txn.id, txn.dialogId, '', 'Msg sent:', ''], wire);
  }

  private createUasDialog(conn: WireConn, txn: ServerTxn, res: SipMessage): Dialog {
    const req = txn.req;
    const contact = parseNameAddr(req.getAll('contact')[0] ?? '');
    const d: Dialog = {
      id: txn.dialogId,
      role: 'uas',
      method: req.method,
      callId: req.callId,
      localTag: txn.toTag,
      remoteTag: req.fromTag,
      localUri: res.get('to') ?? '',
      remoteUri: req.get('from') ?? '',
      remoteTarget: contact?.uri ?? req.uri,
      routeSet: req.getAll('record-route'),
      localSeq: 1 + Math.floor(Math.random() * 10000),
      remoteSeq: req.cseq,
      localContact: res.get('contact') ?? '',
      state: 'early',
      app: conn,
      dest: txn.dest.proto !== 'udp' ? txn.dest : undefined,
      inviteTxnId: txn.id,
      ackCseq: 0,
      ackStatus: 0,
      pending2xx: undefined,
      lastAck: undefined,
    };
    this.dialogs.add(d);
    return d;
  }

  /** RFC 3261 section 13.3.1.4: re-send the 2xx until the ACK; without one, hang up with BYE after 64*T1. */
  private await2xxAck(d: Dialog, txn: ServerTxn, wire: string): void {
    const t1 = this.opts.timers.t1;
    const p: NonNullable<Dialog['pending2xx']> = { wire, interval: t1, txnId: txn.id };
    d.pending2xx = p;
    const again = () => {
      if (d.pending2xx !== p) return;
      this.send(txn.dest, wire);
      this.counters.retransmissions++;
      p.interval = Math.min(p.interval * 2, this.opts.timers.t2);
      p.timer = this.wheel.schedule(p.interval, again);
    };
    if (txn.dest.proto === 'udp') p.timer = this.wheel.schedule(t1, again);
    p.giveUp = this.wheel.schedule(64 * t1, () => {
      if (d.pending2xx !== p) return;
      this.wheel.cancel(p.timer);
      d.pending2xx = undefined;
      void this.hangUpUnsolicited(d, 'ACK timeout');
    });
  }

  private retransmitReliable(txn: ServerTxn, wire: string, interval: number, elapsed: number): void {
    if (txn.dest.proto !== 'udp') return;
    if (elapsed + interval > 64 * this.opts.timers.t1) return;
    txn.relTimer = this.wheel.schedule(interval, () => {
      if (txn.finalStatus !== 0 || txn.lastResponse !== wire) return;
      this.send(txn.dest, wire);
      this.counters.retransmissions++;
      this.retransmitReliable(txn, wire, Math.min(interval * 2, this.opts.timers.t2), elapsed + interval);
    });
  }

  /** The engine's own BYE (ACK timeout and the like), reported to the owning app as "unsolicited". */
  private async hangUpUnsolicited(d: Dialog, text: string): Promise<void> {
    this.dialogs.remove(d);
    const bye = this.inDialogRequest(d, 'BYE', undefined);
    bye.add('Reason', `SIP ;cause=200 ;text="${text}"`);
    const sent = await this.sendInDialog(d, bye, () => undefined);
    if (!sent || !d.app.open) return;
    d.app.send(['sip', 'application', String(Buffer.byteLength(sent.wire)), sent.dest.proto, sent.dest.address, String(sent.dest.port), wireTime(), 'unsolicited', d.id, ''], sent.wire);
  }

  /** Skeleton of a request inside `d` (RFC 3261 section 12.2.1.1); the Via is added when sent. */
  private inDialogRequest(d: Dialog, method: string, cseq: number | undefined): SipMessage {
    const m = new SipMessage();
    m.method = method;
    m.uri = d.remoteTarget;
    m.add('Max-Forwards', '70');
    for (const r of d.routeSet) m.add('Route', r);
    m.add('From', d.localUri);
    m.add('To', d.remoteUri);
    m.add('Call-ID', d.callId);
    let seq: number;
    if (method === 'ACK') seq = d.ackCseq;
    else if (cseq !== undefined) seq = d.localSeq = Math.max(d.localSeq, cseq);
    else seq = ++d.localSeq;
    m.add('CSeq', `${seq} ${method}`);
    return m;
  }

  private async dialogDest(d: Dialog): Promise<Dest | undefined> {
    if (d.dest?.conn && !d.dest.conn.destroyed) return d.dest;
    const first = d.routeSet[0];
    const target = first ? (parseNameAddr(first)?.uri ?? d.remoteTarget) : d.remoteTarget;
    return resolveDest(target, this.opts.hosts);
  }

  private viaFor(dest: Dest): { lp: ListenPoint; via: string } | undefined {
    const lp = this.transports.pick(dest.proto, dest.address);
    if (!lp) return undefined;
    return { lp, via: `SIP/2.0/${dest.proto.toUpperCase()} ${hostPort(lp.external ?? lp.host, lp.port)};rport;branch=${newBranch()}` };
  }

  private async sendInDialog(
    d: Dialog,
    m: SipMessage,
    onResponse: Parameters<TransactionLayer['sendRequest']>[2],
  ): Promise<{ wire: string; dest: Dest; lp: ListenPoint; txn?: ClientTxn } | undefined> {
    const dest = await this.dialogDest(d);
    const via = dest && this.viaFor(dest);
    if (!dest || !via) return undefined;
    m.prepend('Via', via.via);
    m.refresh();
    bump(this.counters.requestsOut, m.method);
    if (m.method === 'ACK') {
      const wire = m.toString();
      this.send(dest, wire);
      return { wire, dest, lp: via.lp };
    }
    const txn = this.txl.sendRequest(m, dest, onResponse);
    return { wire: txn.wire, dest, lp: via.lp, txn };
  }

  private async appInDialog(conn: WireConn, msgId: string, dialogId: string, appReq: SipMessage): Promise<void> {
    const d = this.dialogs.byId.get(dialogId);
    if (appReq.method === 'ACK') {
      if (!d) return conn.reply(msgId, ['NOK', 'Server error: ACK for non-success final response is automatically generated by server']);
      if (d.ackStatus > 200) return conn.reply(msgId, ['NOK', 'ACK for non-success responses is automatically generated by the stack']);
    }
    if (!d) return conn.reply(msgId, ['NOK', 'Server error: unable to find dialog for dialog id provided']);
    const method = appReq.method;
    const m = this.inDialogRequest(d, method, appReq.has('cseq') && method !== 'ACK' ? appReq.cseq : undefined);
    if (method !== 'ACK' && method !== 'PRACK' && !appReq.uri.includes('placeholder')) m.uri = appReq.uri;
    for (const h of appReq.headers) if (!IN_DIALOG_OWNED.has(h.name)) m.headers.push(h);
    m.body = appReq.body;
    if ((method === 'INVITE' || method === 'SUBSCRIBE' || method === 'REFER') && !m.has('contact')) m.add('Contact', d.localContact || contactFor(this.listen[0]!));
    const ctErr = fixContentType(m);
    if (ctErr) return conn.reply(msgId, ['NOK', ctErr]);
    if (method === 'INVITE') {
      d.ackCseq = Number(m.get('cseq')!.split(' ')[0]);
      d.ackStatus = 0;
    }
    const sent = await this.sendInDialog(d, m, (res, src, retrans) => this.uacResponse(conn, sent?.txn, res, src, retrans, d));
    if (!sent) return conn.reply(msgId, ['NOK', `unable to resolve ${d.remoteTarget}`]);
    if (method === 'ACK') d.lastAck = { wire: sent.wire, dest: sent.dest };
    if (method === 'BYE' && d.method === 'INVITE') this.cdr('stop', 'application', 'normal-release', sent.wire);
    conn.reply(msgId, ['OK', 'application', String(Buffer.byteLength(sent.wire)), sent.dest.proto, sent.lp.host, String(sent.lp.port), wireTime(), sent.txn?.id ?? '', 'Msg sent:', ''], sent.wire);
  }

  private appCancel(conn: WireConn, msgId: string, txnId: string, appReq: SipMessage): void {
    const inv = this.txl.clientsById.get(txnId);
    if (!inv || inv.method !== 'INVITE' || inv.finalStatus !== 0) return conn.reply(msgId, ['NOK', `unable to cancel unknown transaction id: ${txnId}`]);
    const m = buildCancel(inv.req);
    for (const h of appReq.headers) if (!CANCEL_SAFE_DROP.has(h.name)) m.headers.push(h);
    m.body = '';
    m.refresh();
    const go = () => {
      bump(this.counters.requestsOut, 'CANCEL');
      this.txl.sendRequest(m, inv.dest, () => undefined);
    };
    if (inv.gotProvisional) go();
    else inv.pendingCancel = go;
    const wire = m.toString();
    const lp = this.transports.pick(inv.dest.proto, inv.dest.address)!;
    conn.reply(msgId, ['OK', 'application', String(Buffer.byteLength(wire)), inv.dest.proto, lp.host, String(lp.port), wireTime(), randomUUID(), 'Msg sent:', ''], wire);
  }

  private async appNewRequest(conn: WireConn, msgId: string, m: SipMessage, proxy: string): Promise<void> {
    const method = m.method;
    if (method === 'ACK') return conn.reply(msgId, ['NOK', 'Server error: ACK for non-success final response is automatically generated by server']);
    m.headers = m.headers.filter((h) => !ENGINE_OWNED.has(h.name));
    const target = proxy || m.uri;
    const dest = await resolveDest(target, this.opts.hosts);
    if (!dest) return conn.reply(msgId, ['NOK', `unable to resolve ${target}`]);
    if (isSelf(dest, this.listen)) return conn.reply(msgId, ['NOK', 'can not send request to myself']);
    const via = this.viaFor(dest);
    if (!via) return conn.reply(msgId, ['NOK', `no ${dest.proto} transport to reach ${target}`]);
    const lp = via.lp;
    rewriteLocalhost(m, lp);
    if (!m.has('from')) m.add('From', contactFor(lp));
    const from = m.get('from')!;
    m.refresh();
    if (!m.fromTag) m.set('From', `${from};tag=${randomToken()}`);
    if (!m.has('to')) m.add('To', `<${m.uri}>`);
    if (!m.has('call-id')) m.add('Call-ID', randomUUID());
    const seq = m.has('cseq') && m.cseq > 0 ? m.cseq : 1 + Math.floor(Math.random() * 100000);
    m.set('CSeq', `${seq} ${method}`);
    if (!m.has('max-forwards')) m.add('Max-Forwards', '70');
    if ((method === 'INVITE' || method === 'SUBSCRIBE') && !m.has('contact')) m.add('Contact', contactFor(lp));
    const ctErr = fixContentType(m);
    if (ctErr) return conn.reply(msgId, ['NOK', ctErr]);
    m.prepend('Via', via.via);
    m.refresh();
    bump(this.counters.requestsOut, method);
    const txn: ClientTxn = this.txl.sendRequest(m, dest, (res, src, retrans) => this.uacResponse(conn, txn, res, src, retrans, undefined));
    if (method === 'INVITE') this.cdr('attempt', 'application', undefined, txn.wire);
    conn.reply(msgId, ['OK', 'application', String(Buffer.byteLength(txn.wire)), dest.proto, lp.host, String(lp.port), wireTime(), txn.id, 'Msg sent:', ''], txn.wire);
  }

  /** A response to an app's request: dialog bookkeeping, then forwarded with the txnId and dialogId. */
  private uacResponse(conn: WireConn, txn: ClientTxn | undefined, res: SipMessage, src: Source | undefined, retrans: boolean, inDialog: Dialog | undefined): void {
    if (!txn) return;
    const req = txn.req;
    if (retrans) {
      const d = this.dialogs.find(res.callId, res.fromTag, res.toTag);
      if (d?.lastAck) this.send(d.lastAck.dest, d.lastAck.wire);
      return;
    }
    if (res.status === 100) return;
    let dialogId = '';
    if (inDialog) {
      dialogId = inDialog.id;
      const final = res.status >= 200;
      if (req.method === 'INVITE' && final) inDialog.ackStatus = res.status;
      const ends =
        (req.method === 'BYE' && final && res.status !== 401 && res.status !== 407) ||
        (req.method === 'NOTIFY' && final && /terminated/i.test(req.get('subscription-state') ?? ''));
      if (ends) this.dialogs.remove(inDialog);
    } else if (req.method === 'INVITE' || req.method === 'SUBSCRIBE') {
      dialogId = `${req.callId};from-tag=${req.fromTag}`;
      this.uacDialog(conn, txn, res, dialogId);
      if (req.method === 'INVITE' && res.status === 200) this.cdr('start', 'network', 'uac', res);
      if (req.method === 'INVITE' && res.status >= 300) this.cdr('stop', 'network', res.status === 487 ? 'call-canceled' : 'call-rejected', res);
    }
    if (!conn.open) return;
    const wire = res.toString();
    const from = src ?? { proto: txn.dest.proto, address: txn.dest.address, port: txn.dest.port };
    conn.send(['sip', 'network', String(Buffer.byteLength(wire)), from.proto, from.address, String(from.port), wireTime(), txn.id, dialogId, ''], wire);
  }

  private uacDialog(conn: WireConn, txn: ClientTxn, res: SipMessage, id: string): void {
    const req = txn.req;
    const existing = this.dialogs.byId.get(id);
    if (res.status >= 300) {
      if (existing && existing.state === 'early') this.dialogs.remove(existing);
      return;
    }
    const success = res.status === 200 || (req.method === 'SUBSCRIBE' && res.status === 202);
    const reliable = res.status < 200 && res.has('rseq');
    if (!res.toTag || (!success && !reliable)) return;
    const contact = parseNameAddr(res.getAll('contact')[0] ?? '');
    if (existing) {
      if (existing.remoteTag !== res.toTag) this.dialogs.rekey(existing, res.toTag);
      existing.remoteUri = res.get('to') ?? existing.remoteUri;
      if (contact) existing.remoteTarget = contact.uri;
      if (success) {
        existing.state = 'confirmed';
        existing.routeSet = res.getAll('record-route').reverse();
        existing.ackStatus = res.status;
      }
      return;
    }
    this.dialogs.add({
      id,
      role: 'uac',
      method: req.method,
      callId: req.callId,
      localTag: req.fromTag,
      remoteTag: res.toTag,
      localUri: req.get('from') ?? '',
      remoteUri: res.get('to') ?? '',
      remoteTarget: contact?.uri ?? req.uri,
      routeSet: res.getAll('record-route').reverse(),
      localSeq: req.cseq,
      remoteSeq: 0,
      localContact: req.get('contact') ?? '',
      state: success ? 'confirmed' : 'early',
      app: conn,
      dest: txn.dest.proto !== 'udp' ? txn.dest : undefined,
      inviteTxnId: txn.id,
      ackCseq: req.cseq,
      ackStatus: success ? res.status : 0,
      pending2xx: undefined,
      lastAck: undefined,
    });
  }

  /** `proxy` from an app (srf.proxyRequest): only the headers of the attached request are used. */
  handleAppProxy(conn: WireConn, msgId: string, tokens: string[], text: string): void {
    let extra: SipMessage;
    try {
      extra = parseMessage(text, { bodyMode: 'ignore', relaxed: true });
    } catch (err) {
      return conn.reply(msgId, ['NOK', `invalid proxy request: ${(err as Error).message}`]);
    }
    this.proxy.start(conn, msgId, tokens, extra);
  }

  /** An app connection closed: its routes go; its dialogs answer 481 from now on. */
  dropApp(conn: WireConn): void {
    this.removeRoutes(conn);
  }
}

function isOnlyCrlf(data: Buffer): boolean {
  for (const b of data) if (b !== 13 && b !== 10) return false;
  return true;
}

/** SDP bodies arrive without Content-Type from apps; any other body must name its type. */
function fixContentType(m: SipMessage): string | undefined {
  if (!m.body || m.has('content-type')) return undefined;
  if (m.body.startsWith('v=0')) {
    m.add('Content-Type', 'application/sdp');
    return undefined;
  }
  return m.isRequest ? 'missing content-type' : undefined;
}

/** RFC 3581 and RFC 3261 section 18.2.1: note where the request really came from in its top Via. */
function stampVia(req: SipMessage, src: Source): void {
  const v = req.via;
  if (!v) return;
  const wantsRport = v.params.has('rport');
  if (!wantsRport && v.host === src.address) return;
  const i = req.headers.findIndex((h) => h.name === 'via');
  const h = req.headers[i]!;
  const values = splitTop(h.value);
  let first = values[0];
  first = first.replace(/;\s*received=[^;,]*/i, '');
  if (wantsRport) {
    first = first.replace(/;\s*rport(=[^;,]*)?/i, `;rport=${src.port}`);
    v.params.set('rport', String(src.port));
  }
  first += `;received=${src.address}`;
  v.params.set('received', src.address);
  h.value = values[1] === undefined ? first : `${first},${values[1]}`;
}

/** Splits a Via header value into its first value and the rest (untouched). */
function splitTop(value: string): [string, string | undefined] {
  let inQuote = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"') inQuote = !inQuote;
    else if (c === ',' && !inQuote) return [value.slice(0, i), value.slice(i + 1)];
  }
  return [value, undefined];
}
