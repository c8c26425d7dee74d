import type { AppRoutes } from './app-routes.ts';
import type { CoreContext } from './core-context.ts';
import type { Dialog } from './dialog/dialog.ts';
import type { SessionTimers } from './dialog/session-timer.ts';
import type { SipMessage } from './parser/message.ts';
import { parseNameAddr } from './parser/tokens.ts';
import type { ClientTxn } from './transaction/client-txn.ts';
import type { Source } from './transport/types.ts';
import type { WireConn } from './wire/connection.ts';
import { wireTime } from './wire/framing.ts';

/** Responses to the requests apps sent: dialog bookkeeping, then forwarded with the txnId and dialogId. */
export class UacResponses {
  private ctx: CoreContext;
  private routes: AppRoutes;
  private sessions: SessionTimers;

  constructor(ctx: CoreContext, routes: AppRoutes, sessions: SessionTimers) {
    this.ctx = ctx;
    this.routes = routes;
    this.sessions = sessions;
  }

  handle(conn: WireConn, txn: ClientTxn | undefined, res: SipMessage, src: Source | undefined, retrans: boolean, inDialog: Dialog | undefined): void {
    if (!txn) return;
    const req = txn.req;
    if (retrans) return this.reAck(res);
    if (res.status === 100) return;
    if (req.method === 'INVITE') txn.on2xxRetransmission = this.reAck;
    let dialogId = '';
    if (inDialog) {
      dialogId = inDialog.id;
      const final = res.status >= 200;
      if (req.method === 'INVITE' && final) inDialog.ackStatus = res.status;
      const ends =
        (req.method === 'BYE' && final && res.status !== 401 && res.status !== 407) ||
        (req.method === 'NOTIFY' && final && endsSubscription(inDialog, req));
      if (ends) this.ctx.dropDialog(inDialog);
      else if ((req.method === 'INVITE' || req.method === 'UPDATE') && final && res.status < 300) this.sessions.answered(inDialog, res);
    } else if (req.method === 'INVITE' || req.method === 'SUBSCRIBE') {
      dialogId = `${req.callId};from-tag=${req.fromTag}`;
      const d = this.uacDialog(conn, txn, res, dialogId);
      if (d && req.method === 'INVITE' && res.status >= 200 && res.status < 300) this.sessions.answered(d, res);
      if (req.method === 'INVITE' && res.status === 200) this.routes.cdr('start', 'network', 'uac', res);
      if (req.method === 'INVITE' && res.status >= 300) this.routes.cdr('stop', 'network', res.status === 487 ? 'call-canceled' : 'call-rejected', res);
    }
    if (!conn.open) return;
    const wire = res.toString();
    const from = src ?? { proto: txn.dest.proto, address: txn.dest.address, port: txn.dest.port };
    conn.send(['sip', 'network', String(Buffer.byteLength(wire)), from.proto, from.address, String(from.port), wireTime(), txn.id, dialogId, ''], wire);
  }

  /** RFC 3261 section 13.2.2.4: a retransmitted 2xx gets the dialog's ACK again (it needs no transaction). */
  private reAck = (res: SipMessage): void => {
    const d = this.ctx.dialogs.find(res.callId, res.fromTag, res.toTag);
    if (d?.lastAck) this.ctx.send(d.lastAck.dest, d.lastAck.wire);
  };

  private uacDialog(conn: WireConn, txn: ClientTxn, res: SipMessage, id: string): Dialog | undefined {
    const { dialogs } = this.ctx;
    const req = txn.req;
    const existing = dialogs.byId.get(id);
    if (res.status >= 300) {
      if (existing && existing.state === 'early') this.ctx.dropDialog(existing);
      return undefined;
    }
    const success = res.status === 200 || (req.method === 'SUBSCRIBE' && res.status === 202);
    const reliable = res.status < 200 && res.has('rseq');
    if (!res.toTag || (!success && !reliable)) return existing;
    const contact = parseNameAddr(res.getAll('contact')[0] ?? '');
    if (existing) {
      if (existing.remoteTag !== res.toTag) dialogs.rekey(existing, res.toTag);
      existing.remoteUri = res.get('to') ?? existing.remoteUri;
      if (contact) existing.remoteTarget = contact.uri;
      if (success) {
        existing.state = 'confirmed';
        existing.routeSet = res.getAll('record-route').reverse();
        existing.ackStatus = res.status;
      }
      return existing;
    }
    const d: Dialog = {
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
      localSdp: req.body && req.has('content-type') ? { body: req.body, type: req.get('content-type')! } : undefined,
      session: undefined,
    };
    dialogs.add(d);
    return d;
  }
}

/**
 * A NOTIFY with `Subscription-State: terminated` ends a SUBSCRIBE dialog only. In an INVITE dialog it ends the
 * implicit subscription of a REFER (RFC 3515), never the call.
 */
export function endsSubscription(d: Dialog, notify: SipMessage): boolean {
  return d.method === 'SUBSCRIBE' && /^\s*terminated\b/i.test(notify.get('subscription-state') ?? '');
}
