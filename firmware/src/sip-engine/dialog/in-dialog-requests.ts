import type { AppRoutes } from '../app-routes.ts';
import { fixContentType, IN_DIALOG_OWNED, type CoreContext } from '../core-context.ts';
import { bump } from '../counters.ts';
import { resolveDest } from '../dns-resolve.ts';
import { contactFor } from '../outgoing.ts';
import { buildResponse } from '../parser/build.ts';
import { SipMessage } from '../parser/message.ts';
import { parseNameAddr } from '../parser/tokens.ts';
import type { ClientTxn } from '../transaction/client-txn.ts';
import type { TransactionLayer } from '../transaction/layer.ts';
import type { Dest } from '../transaction/types.ts';
import type { ListenPoint } from '../transport/types.ts';
import type { UacResponses } from '../uac-responses.ts';
import type { WireConn } from '../wire/connection.ts';
import { wireTime } from '../wire/framing.ts';
import type { Dialog } from './dialog.ts';

/** Requests we send inside a dialog: for apps (`sip` with a dialog id) and the engine's own BYE. */
export class InDialogRequests {
  private ctx: CoreContext;
  private routes: AppRoutes;
  private uac: UacResponses;

  constructor(ctx: CoreContext, routes: AppRoutes, uac: UacResponses) {
    this.ctx = ctx;
    this.routes = routes;
    this.uac = uac;
  }

  /** The engine's own BYE (ACK timeout and the like), reported to the owning app as "unsolicited". */
  async hangUpUnsolicited(d: Dialog, text: string): Promise<void> {
    this.ctx.dropDialog(d);
    const bye = this.inDialogRequest(d, 'BYE', undefined);
    bye.add('Reason', `SIP ;cause=200 ;text="${text}"`);
    const sent = await this.sendInDialog(d, bye, () => undefined);
    if (!sent || !d.app.open) return;
    d.app.send(['sip', 'application', String(Buffer.byteLength(sent.wire)), sent.dest.proto, sent.dest.address, String(sent.dest.port), wireTime(), 'unsolicited', d.id, ''], sent.wire);
  }

  /** The engine's own re-INVITE (a session refresh) offering our last SDP again; its 2xx is ACKed here, unseen by the app. */
  async engineReInvite(d: Dialog, headers: [string, string][], onFinal: (res: SipMessage) => void): Promise<void> {
    const m = this.inDialogRequest(d, 'INVITE', undefined);
    m.add('Contact', d.localContact || contactFor(this.ctx.listen[0]!));
    for (const [name, value] of headers) m.add(name, value);
    if (d.localSdp) {
      m.add('Content-Type', d.localSdp.type);
      m.body = d.localSdp.body;
    }
    d.ackCseq = d.localSeq;
    const sent = await this.sendInDialog(d, m, (res, _src, retrans) => {
      if (retrans) {
        if (d.lastAck) this.ctx.send(d.lastAck.dest, d.lastAck.wire);
        return;
      }
      if (res.status < 200) return;
      if (res.status < 300) {
        void this.sendInDialog(d, this.inDialogRequest(d, 'ACK', undefined), () => undefined).then((ack) => {
          if (ack) d.lastAck = { wire: ack.wire, dest: ack.dest };
        });
      }
      onFinal(res);
    });
    if (!sent) onFinal(Object.assign(new SipMessage(), { isRequest: false, status: 503 }));
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
    return resolveDest(target, this.ctx.opts.resolver);
  }

  private async sendInDialog(
    d: Dialog,
    m: SipMessage,
    onResponse: Parameters<TransactionLayer['sendRequest']>[2],
  ): Promise<{ wire: string; dest: Dest; lp: ListenPoint; txn?: ClientTxn } | undefined> {
    const dest = await this.dialogDest(d);
    const via = dest && this.ctx.viaFor(dest);
    if (!dest || !via) return undefined;
    m.prepend('Via', via.via);
    m.refresh();
    bump(this.ctx.counters.requestsOut, m.method);
    if (m.method === 'ACK') {
      const wire = m.toString();
      this.ctx.send(dest, wire);
      return { wire, dest, lp: via.lp };
    }
    const txn = this.ctx.txl.sendRequest(m, dest, onResponse);
    return { wire: txn.wire, dest, lp: via.lp, txn };
  }

  /**
   * An app's request still pending when its dialog ends (the peer's BYE crossed it, a session timer expired) gets
   * 481 from the engine at once, the answer its peer would give now, instead of a 408 after Timer F (32 s); the
   * transaction is dropped and a late answer ignored. The dialog store announces no removal, so the dialog is looked
   * up every T1 while the request is pending (a handful of wheel entries: in-dialog requests are few and short).
   */
  private answerWhenDialogEnds(d: Dialog, txn: ClientTxn): void {
    const check = (): void => {
      if (txn.finalStatus !== 0 || txn.state === 'terminated') return;
      if (this.ctx.dialogs.byId.get(d.id) === d) {
        this.ctx.wheel.schedule(this.ctx.opts.timers.t1, check);
        return;
      }
      txn.finalStatus = 481;
      this.ctx.txl.terminateClient(txn);
      txn.onResponse(buildResponse(txn.req, 481, 'Call/Transaction Does Not Exist'), undefined, false);
    };
    this.ctx.wheel.schedule(this.ctx.opts.timers.t1, check);
  }

  /** `sip` from an app with a dialog id. */
  async fromApp(conn: WireConn, msgId: string, dialogId: string, appReq: SipMessage): Promise<void> {
    const d = this.ctx.dialogs.byId.get(dialogId);
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
    if ((method === 'INVITE' || method === 'SUBSCRIBE' || method === 'REFER') && !m.has('contact')) m.add('Contact', d.localContact || contactFor(this.ctx.listen[0]!));
    const ctErr = fixContentType(m);
    if (ctErr) return conn.reply(msgId, ['NOK', ctErr]);
    if (method === 'INVITE') {
      d.ackCseq = Number(m.get('cseq')!.split(' ')[0]);
      d.ackStatus = 0;
    }
    if ((method === 'INVITE' || method === 'UPDATE' || method === 'ACK') && m.body) d.localSdp = { body: m.body, type: m.get('content-type') ?? 'application/sdp' };
    const sent = await this.sendInDialog(d, m, (res, src, retrans) => this.uac.handle(conn, sent?.txn, res, src, retrans, d));
    if (!sent) return conn.reply(msgId, ['NOK', `unable to resolve ${d.remoteTarget}`]);
    if (method === 'ACK') d.lastAck = { wire: sent.wire, dest: sent.dest };
    if (sent.txn && method !== 'BYE') this.answerWhenDialogEnds(d, sent.txn);
    if (method === 'BYE' && d.method === 'INVITE') this.routes.cdr('stop', 'application', 'normal-release', sent.wire);
    conn.reply(msgId, ['OK', 'application', String(Buffer.byteLength(sent.wire)), sent.dest.proto, sent.lp.host, String(sent.lp.port), wireTime(), sent.txn?.id ?? '', 'Msg sent:', ''], sent.wire);
  }
}
