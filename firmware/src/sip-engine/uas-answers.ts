import type { AppRoutes } from './app-routes.ts';
import { RESPONSE_OWNED, type CoreContext } from './core-context.ts';
import type { Dialog } from './dialog/dialog.ts';
import type { InDialogRequests } from './dialog/in-dialog-requests.ts';
import type { SessionTimers } from './dialog/session-timer.ts';
import { contactFor, rewriteLocalhost } from './outgoing.ts';
import { buildResponse, randomToken, reasonPhrase } from './parser/build.ts';
import type { SipMessage } from './parser/message.ts';
import { parseNameAddr } from './parser/tokens.ts';
import type { ServerTxn } from './transaction/server-txn.ts';
import type { WireConn } from './wire/connection.ts';
import { wireTime } from './wire/framing.ts';

/** An app's responses to requests from the network: dialogs created, 2xx held until ACK, reliable 1xx. */
export class UasAnswers {
  private ctx: CoreContext;
  private routes: AppRoutes;
  private inDialog: InDialogRequests;
  private sessions: SessionTimers;

  constructor(ctx: CoreContext, routes: AppRoutes, inDialog: InDialogRequests, sessions: SessionTimers) {
    this.ctx = ctx;
    this.routes = routes;
    this.inDialog = inDialog;
    this.sessions = sessions;
  }

  /** `sip` from an app with a transaction id and a response. */
  fromApp(conn: WireConn, msgId: string, txnId: string, appRes: SipMessage): void {
    const txn = this.ctx.txl.serversById.get(txnId);
    if (!txn || txn.finalStatus !== 0 || txn.canceled) return conn.reply(msgId, ['NOK', 'Response not sent due to unknown transaction']);
    const req = txn.req;
    const status = appRes.status;
    const creating = (req.method === 'INVITE' || req.method === 'SUBSCRIBE') && !req.toTag;
    if (!txn.toTag && !req.toTag) txn.toTag = creating && appRes.toTag ? appRes.toTag : randomToken();
    const res = buildResponse(req, status, appRes.reason || reasonPhrase(status), txn.toTag);
    for (const h of appRes.headers) if (!RESPONSE_OWNED.has(h.name)) res.headers.push(h);
    res.body = appRes.body;
    const lp = this.ctx.transports.pick(txn.dest.proto, txn.dest.address)!;
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

    let d: Dialog | undefined = txn.dialogId ? this.ctx.dialogs.byId.get(txn.dialogId) : undefined;
    if (creating) {
      txn.dialogId = `${req.callId};from-tag=${req.fromTag}`;
      if (!d && status > 100 && status < 300) d = this.createUasDialog(conn, txn, res);
      if (d && (status === 200 || (req.method === 'SUBSCRIBE' && status === 202))) d.state = 'confirmed';
      if (d && status >= 300) this.ctx.dropDialog(d);
    }
    if (d && status >= 200 && status < 300 && (req.method === 'INVITE' || req.method === 'UPDATE')) {
      if (res.body) d.localSdp = { body: res.body, type: res.get('content-type') ?? 'application/sdp' };
      this.sessions.answering(d, req, res);
    }
    const wire = this.ctx.respond(txn, res);
    txn.appAnswered = true;
    if (creating && req.method === 'INVITE' && status === 200) this.routes.cdr('start', 'application', 'uas', wire);
    if (creating && req.method === 'INVITE' && status >= 300) this.routes.cdr('stop', 'application', 'call-rejected', wire);
    if (d && req.method === 'INVITE' && status === 200) this.await2xxAck(d, txn, wire);
    if (reliable) this.retransmitReliable(txn, wire, this.ctx.opts.timers.t1, 0);
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
      localSdp: undefined,
      session: undefined,
    };
    this.ctx.dialogs.add(d);
    return d;
  }

  /** RFC 3261 section 13.3.1.4: re-send the 2xx until the ACK; without one, hang up with BYE after 64*T1. */
  private await2xxAck(d: Dialog, txn: ServerTxn, wire: string): void {
    const t1 = this.ctx.opts.timers.t1;
    const p: NonNullable<Dialog['pending2xx']> = { wire, interval: t1, txnId: txn.id };
    d.pending2xx = p;
    const again = () => {
      if (d.pending2xx !== p) return;
      this.ctx.send(txn.dest, wire);
      this.ctx.counters.retransmissions++;
      p.interval = Math.min(p.interval * 2, this.ctx.opts.timers.t2);
      p.timer = this.ctx.wheel.schedule(p.interval, again);
    };
    if (txn.dest.proto === 'udp') p.timer = this.ctx.wheel.schedule(t1, again);
    p.giveUp = this.ctx.wheel.schedule(64 * t1, () => {
      if (d.pending2xx !== p) return;
      this.ctx.wheel.cancel(p.timer);
      d.pending2xx = undefined;
      void this.inDialog.hangUpUnsolicited(d, 'ACK timeout');
    });
  }

  private retransmitReliable(txn: ServerTxn, wire: string, interval: number, elapsed: number): void {
    if (txn.dest.proto !== 'udp') return;
    if (elapsed + interval > 64 * this.ctx.opts.timers.t1) return;
    txn.relTimer = this.ctx.wheel.schedule(interval, () => {
      if (txn.finalStatus !== 0 || txn.lastResponse !== wire) return;
      this.ctx.send(txn.dest, wire);
      this.ctx.counters.retransmissions++;
      this.retransmitReliable(txn, wire, Math.min(interval * 2, this.ctx.opts.timers.t2), elapsed + interval);
    });
  }

}
