import type { Logger } from 'pino';
import { AppRoutes } from './app-routes.ts';
import { CoreContext, type CoreOptions } from './core-context.ts';
import type { EngineCounters } from './counters.ts';
import { InDialogRequests } from './dialog/in-dialog-requests.ts';
import { SessionTimers } from './dialog/session-timer.ts';
import { NetworkInbound } from './network-inbound.ts';
import { bracketAddresses, splitAuthHeaders } from './outgoing.ts';
import { canonicalName } from './parser/header-names.ts';
import type { SipMessage } from './parser/message.ts';
import { buildResponse, randomToken, reasonPhrase } from './parser/build.ts';
import { parseMessage } from './parser/parse.ts';
import { Proxy } from './proxy.ts';
import { OutboundApps } from './request-handlers.ts';
import type { TimerWheel } from './transaction/timer-wheel.ts';
import type { Transports } from './transport/transports.ts';
import type { Source } from './transport/types.ts';
import { UacRequests } from './uac-requests.ts';
import { UacResponses } from './uac-responses.ts';
import { UasAnswers } from './uas-answers.ts';
import type { WireConn } from './wire/connection.ts';

export type { CoreOptions } from './core-context.ts';

/** The SIP core: network requests and responses on one side, drachtio apps on the other. */
export class SipCore {
  readonly ctx: CoreContext;
  private routes = new AppRoutes();
  private proxy: Proxy;
  private network: NetworkInbound;
  private uasAnswers: UasAnswers;
  private inDialog: InDialogRequests;
  private uacRequests: UacRequests;

  constructor(opts: CoreOptions, log: Logger, transports: Transports, wheel: TimerWheel) {
    const ctx = (this.ctx = new CoreContext(opts, log, transports, wheel));
    this.proxy = new Proxy({
      txl: ctx.txl,
      wheel,
      counters: ctx.counters,
      resolver: opts.resolver,
      listen: transports.bound,
      send: (dest, wire) => ctx.send(dest, wire),
      respond: (txn, res) => ctx.respond(txn, res),
      pick: (dest) => transports.pick(dest.proto, dest.address),
    });
    // session timers act through in-dialog requests, whose responses feed the timers: tie the knot lazily
    const sessions = new SessionTimers(ctx, {
      hangUpUnsolicited: (d, text) => this.inDialog.hangUpUnsolicited(d, text),
      engineReInvite: (d, headers, onFinal) => this.inDialog.engineReInvite(d, headers, onFinal),
    });
    const uacResponses = new UacResponses(ctx, this.routes, sessions);
    this.inDialog = new InDialogRequests(ctx, this.routes, uacResponses);
    const outbound = Object.keys(opts.requestHandlers).length
      ? new OutboundApps({ ctx, handlers: opts.requestHandlers, dialApp: opts.dialApp, deliver: (app, req, src, txn) => this.network.deliverNew(app, req, src, txn) })
      : undefined;
    this.network = new NetworkInbound(ctx, this.routes, this.proxy, this.inDialog, sessions, outbound);
    this.uasAnswers = new UasAnswers(ctx, this.routes, this.inDialog, sessions);
    this.uacRequests = new UacRequests(ctx, this.routes, uacResponses);
  }

  get counters(): EngineCounters {
    return this.ctx.counters;
  }

  snapshot(): EngineCounters {
    return { ...this.ctx.counters, liveTransactions: this.ctx.txl.size, liveDialogs: this.ctx.dialogs.size };
  }

  addRoute(conn: WireConn, verb: string): void {
    this.routes.add(conn, verb);
  }

  removeRoutes(conn: WireConn): void {
    this.routes.removeAll(conn);
  }

  onNetwork(data: Buffer, src: Source): void {
    this.network.onNetwork(data, src);
  }

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
    splitAuthHeaders(msg);
    if (!msg.isRequest) {
      if (!txnId) {
        conn.reply(msgId, ['NO', 'transaction id missing']);
        conn.socket.end();
        return;
      }
      return this.uasAnswers.fromApp(conn, msgId, txnId, msg);
    }
    if (dialogId) return this.inDialog.fromApp(conn, msgId, dialogId, msg);
    if (txnId && msg.method === 'CANCEL') return this.uacRequests.cancel(conn, msgId, txnId, msg);
    return this.uacRequests.send(conn, msgId, msg, proxy);
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

  /**
   * An app connection closed. Its routes go. Requests it was offered and never answered are answered now (480 for new
   * requests, 500 inside a dialog) instead of leaving callers ringing; its early dialogs end with them. Its
   * established dialogs stay, as in drachtio (an app may still act on them by dialog id), but the network gets 481
   * in them and a BYE ends them.
   */
  dropApp(conn: WireConn): void {
    this.routes.removeAll(conn);
    const { txl, dialogs } = this.ctx;
    for (const txn of [...txl.serversById.values()]) {
      if (txn.app !== conn || txn.finalStatus !== 0 || txn.canceled || this.proxy.proxying(txn.id)) continue;
      txn.appAnswered = true;
      const status = txn.req.toTag ? 500 : 480;
      if (!txn.toTag && !txn.req.toTag) txn.toTag = randomToken();
      this.ctx.respond(txn, buildResponse(txn.req, status, reasonPhrase(status), txn.toTag || txn.req.toTag));
      const d = txn.dialogId ? dialogs.byId.get(txn.dialogId) : undefined;
      if (d && d.state === 'early' && d.inviteTxnId === txn.id) this.ctx.dropDialog(d);
    }
  }
}
