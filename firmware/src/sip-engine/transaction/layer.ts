import { buildResponse } from '../parser/build.ts';
import { detach, type SipMessage } from '../parser/message.ts';
import type { Source } from '../transport/types.ts';
import { ClientTxn, type ResponseHandler } from './client-txn.ts';
import { ServerTxn, serverKey } from './server-txn.ts';
import type { TimerWheel } from './timer-wheel.ts';
import type { Dest, SipTimers } from './types.ts';

export interface LayerHooks {
  /** Puts text on the wire; false when no transport can carry it. */
  send(dest: Dest, wire: string): boolean;
  retransmitted(): void;
  /** A server transaction's final answer was never acknowledged or the transaction ended. */
  serverGone(txn: ServerTxn): void;
}

/** The four state machines of RFC 3261 section 17, driven by one timer wheel. */
export class TransactionLayer {
  readonly servers = new Map<string, ServerTxn>();
  readonly serversById = new Map<string, ServerTxn>();
  readonly merged = new Map<string, ServerTxn>();
  readonly clients = new Map<string, ClientTxn>();
  readonly clientsById = new Map<string, ClientTxn>();
  private wheel: TimerWheel;
  private timers: SipTimers;
  private hooks: LayerHooks;

  constructor(wheel: TimerWheel, timers: SipTimers, hooks: LayerHooks) {
    this.wheel = wheel;
    this.timers = timers;
    this.hooks = hooks;
  }

  get size(): number {
    return this.servers.size + this.clients.size;
  }

  // ---- server side (17.2) ----

  matchServer(req: SipMessage, method = req.method): ServerTxn | undefined {
    return this.servers.get(serverKey(req, method));
  }

  createServer(req: SipMessage, dest: Dest): ServerTxn {
    const txn = new ServerTxn(req, dest);
    this.servers.set(txn.key, txn);
    this.serversById.set(txn.id, txn);
    if (!req.toTag) {
      txn.mergeKey = detach(`${req.callId}|${req.fromTag}|${req.cseq}|${req.method}`);
      this.merged.set(txn.mergeKey, txn);
    }
    return txn;
  }

  /** RFC 3261 section 8.2.2.2: same From tag, Call-ID and CSeq as a pending request but another branch. */
  isMerged(req: SipMessage): boolean {
    if (req.toTag) return false;
    const other = this.merged.get(`${req.callId}|${req.fromTag}|${req.cseq}|${req.method}`);
    return other !== undefined && other.key !== serverKey(req);
  }

  /** A retransmitted request: re-send the last response (absorbing it when there is none yet). */
  absorb(txn: ServerTxn): void {
    this.hooks.retransmitted();
    if (txn.lastResponse && txn.state !== 'confirmed') this.hooks.send(txn.dest, txn.lastResponse);
  }

  /** Sends a response within the transaction and moves the state machine. */
  respond(txn: ServerTxn, res: SipMessage): string {
    const wire = res.toString();
    txn.lastResponse = wire;
    this.hooks.send(txn.dest, wire);
    if (res.status < 200) {
      txn.state = 'proceeding';
      return wire;
    }
    txn.finalStatus = res.status;
    // Only the key and the last response matter from here on; the request would linger 32 s for nothing.
    txn.req = txn.req.identity();
    txn.dialogId = detach(txn.dialogId);
    this.clearServerTimers(txn);
    const reliable = txn.dest.proto !== 'udp';
    const t64 = 64 * this.timers.t1;
    if (txn.method === 'INVITE' && res.status >= 300) {
      txn.state = 'completed';
      if (!reliable) this.retransmitFinal(txn, this.timers.t1);
      txn.timers.push(this.wheel.schedule(t64, () => this.terminateServer(txn))); // Timer H
    } else if (txn.method === 'INVITE') {
      // 2xx: the dialog layer retransmits until the ACK (section 13.3.1.4); RFC 6026's Accepted state absorbs
      // retransmitted INVITEs meanwhile (Timer L) without answering them, so the 2xx need not be kept here
      txn.state = 'accepted';
      txn.lastResponse = undefined;
      // A one-element array, not a push onto an empty one (which reserves 17 slots): it lingers 32 s.
      txn.timers = [this.wheel.schedule(t64, () => this.terminateServer(txn))];
    } else {
      txn.state = 'completed';
      txn.timers = [this.wheel.schedule(reliable ? 0 : t64, () => this.terminateServer(txn))]; // Timer J
    }
    return wire;
  }

  /** Timer G: re-send a non-2xx final response to an INVITE until the ACK. */
  private retransmitFinal(txn: ServerTxn, interval: number): void {
    txn.timers.push(
      this.wheel.schedule(interval, () => {
        if (txn.state !== 'completed' || !txn.lastResponse) return;
        this.hooks.send(txn.dest, txn.lastResponse);
        this.hooks.retransmitted();
        this.retransmitFinal(txn, Math.min(interval * 2, this.timers.t2));
      }),
    );
  }

  /** ACK for a non-2xx final: stop retransmitting, absorb further ACKs for T4 (Timer I). */
  ackServer(txn: ServerTxn): void {
    if (txn.state !== 'completed') return;
    txn.state = 'confirmed';
    txn.lastResponse = undefined;
    this.clearServerTimers(txn);
    txn.timers = [this.wheel.schedule(txn.dest.proto === 'udp' ? this.timers.t4 : 0, () => this.terminateServer(txn))];
  }

  /** Drops an unanswered transaction after `ms` (the app never answered). */
  expireServer(txn: ServerTxn, ms: number): void {
    txn.timers.push(
      this.wheel.schedule(ms, () => {
        if (txn.finalStatus === 0) this.terminateServer(txn);
      }),
    );
  }

  terminateServer(txn: ServerTxn): void {
    if (txn.state === 'terminated') return;
    txn.state = 'terminated';
    this.clearServerTimers(txn);
    this.wheel.cancel(txn.relTimer);
    this.servers.delete(txn.key);
    this.serversById.delete(txn.id);
    if (txn.mergeKey && this.merged.get(txn.mergeKey) === txn) this.merged.delete(txn.mergeKey);
    this.hooks.serverGone(txn);
  }

  private clearServerTimers(txn: ServerTxn): void {
    for (const t of txn.timers) this.wheel.cancel(t);
    txn.timers = [];
  }

  // ---- client side (17.1) ----

  /** Sends a request in a new client transaction; an ACK has none and is just sent. */
  sendRequest(req: SipMessage, dest: Dest, onResponse: ResponseHandler): ClientTxn {
    const wire = req.toString();
    const txn = new ClientTxn(req, wire, dest, onResponse);
    this.clients.set(txn.key, txn);
    this.clientsById.set(txn.id, txn);
    const t64 = 64 * this.timers.t1;
    if (!this.hooks.send(dest, wire)) {
      queueMicrotask(() => this.failClient(txn, 503, 'Service Unavailable'));
      return txn;
    }
    if (dest.proto === 'udp') {
      txn.interval = this.timers.t1;
      this.scheduleRetransmit(txn);
    }
    txn.timers.push(this.wheel.schedule(t64, () => this.failClient(txn, 408, 'Request Timeout'))); // Timer B / F
    return txn;
  }

  /** Timers A (INVITE, doubling) and E (non-INVITE, capped at T2). */
  private scheduleRetransmit(txn: ClientTxn): void {
    txn.timers.push(
      this.wheel.schedule(txn.interval, () => {
        if (txn.state === 'terminated' || txn.state === 'completed' || txn.state === 'accepted') return;
        if (txn.method === 'INVITE' && txn.state === 'proceeding') return;
        this.hooks.send(txn.dest, txn.wire);
        this.hooks.retransmitted();
        txn.interval = txn.method === 'INVITE' ? txn.interval * 2 : Math.min(txn.interval * 2, txn.state === 'proceeding' ? this.timers.t2 : this.timers.t2);
        this.scheduleRetransmit(txn);
      }),
    );
  }

  private failClient(txn: ClientTxn, status: number, reason: string): void {
    if (txn.state === 'terminated' || txn.state === 'completed' || txn.state === 'accepted') return;
    txn.finalStatus = status;
    this.terminateClient(txn);
    txn.onResponse(buildResponse(txn.req, status, reason), undefined, false);
  }

  /** A response from the network; false when it matches no client transaction. */
  receiveResponse(res: SipMessage, src: Source): boolean {
    const branch = res.via?.branch ?? '';
    const txn = this.clients.get(`${branch}|${res.cseqMethod}`);
    if (!txn) return false;
    if (res.status < 200) {
      if (txn.state === 'calling' || txn.state === 'proceeding') {
        txn.state = 'proceeding';
        txn.gotProvisional = true;
        if (txn.pendingCancel) {
          const c = txn.pendingCancel;
          txn.pendingCancel = undefined;
          c();
        }
        txn.onResponse(res, src, false);
      }
      return true;
    }
    const t64 = 64 * this.timers.t1;
    if (txn.state === 'completed' || txn.state === 'terminated') {
      this.hooks.retransmitted();
      if (txn.ack) this.hooks.send(txn.dest, txn.ack);
      return true;
    }
    if (txn.state === 'accepted') {
      // RFC 6026: a retransmitted or forked 2xx is passed up so the dialog layer re-sends its ACK
      this.hooks.retransmitted();
      txn.onResponse(res, src, true);
      return true;
    }
    txn.finalStatus = res.status;
    this.clearClientTimers(txn);
    txn.pendingCancel = undefined;
    const reliable = txn.dest.proto !== 'udp';
    if (txn.method === 'INVITE' && res.status >= 300) {
      txn.ack = buildAck(txn.req, res).toString();
      this.hooks.send(txn.dest, txn.ack);
      txn.state = 'completed';
      // Timer D: RFC 3261 asks for at least 32 s, which is 64*T1 with the default T1
      txn.timers = [this.wheel.schedule(reliable ? 0 : t64, () => this.terminateClient(txn))];
    } else if (txn.method === 'INVITE') {
      txn.state = 'accepted';
      txn.timers = [this.wheel.schedule(t64, () => this.terminateClient(txn))]; // Timer M
    } else {
      txn.state = 'completed';
      txn.timers = [this.wheel.schedule(reliable ? 0 : this.timers.t4, () => this.terminateClient(txn))]; // Timer K
    }
    txn.onResponse(res, src, false);
    // The handler has read what it needs; the transaction lingers (Timers D, K, M) with its identifiers only,
    // and only an accepted INVITE hears from the network again (retransmitted 2xx).
    txn.req = txn.req.identity();
    txn.wire = '';
    if (txn.state !== 'accepted') txn.onResponse = ignoreResponse;
    return true;
  }

  terminateClient(txn: ClientTxn): void {
    txn.state = 'terminated';
    this.clearClientTimers(txn);
    if (this.clients.get(txn.key) === txn) this.clients.delete(txn.key);
    this.clientsById.delete(txn.id);
  }

  private clearClientTimers(txn: ClientTxn): void {
    for (const t of txn.timers) this.wheel.cancel(t);
    txn.timers = [];
  }
}

const ignoreResponse: ResponseHandler = () => undefined;

/** RFC 3261 section 17.1.1.3: the ACK for a non-2xx final response, in the INVITE's transaction. */
function buildAck(invite: SipMessage, res: SipMessage): SipMessage {
  const ack = buildResponse(invite, 0);
  ack.isRequest = true;
  ack.method = 'ACK';
  ack.uri = invite.uri;
  ack.headers = [];
  const topVia = invite.getAll('via')[0]!;
  ack.add('Via', topVia);
  ack.add('Max-Forwards', '70');
  for (const h of invite.headers) if (h.name === 'from' || h.name === 'call-id' || h.name === 'route') ack.headers.push({ ...h });
  ack.add('To', res.get('to') ?? invite.get('to') ?? '');
  ack.add('CSeq', `${invite.cseq} ACK`);
  ack.body = '';
  return ack;
}
