import { buildResponse } from '../parser/build.ts';
import { detach, type SipMessage } from '../parser/message.ts';
import type { Source } from '../transport/types.ts';
import { ClientTxn, type ResponseHandler } from './client-txn.ts';
import { Lingering } from './lingering.ts';
import { ServerTxn, serverKey } from './server-txn.ts';
import type { TimerWheel, WheelTimer } from './timer-wheel.ts';
import type { Dest, SipTimers } from './types.ts';

export interface LayerHooks {
  /** Puts text on the wire; false when no transport can carry it. */
  send(dest: Dest, wire: string): boolean;
  retransmitted(): void;
}

/** What a lingering client transaction does with a retransmitted final response. */
type ClientEcho = '' | { ack: string; dest: Dest } | ((res: SipMessage, src: Source) => void);

/** The four state machines of RFC 3261 section 17, driven by one timer wheel. */
export class TransactionLayer {
  readonly servers = new Map<string, ServerTxn>();
  readonly serversById = new Map<string, ServerTxn>();
  readonly merged = new Map<string, ServerTxn>();
  readonly clients = new Map<string, ClientTxn>();
  readonly clientsById = new Map<string, ClientTxn>();
  /** Answered non-INVITE requests (Timer J): the response to re-send for a retransmission ('' over streams). */
  private answered: Lingering<string>;
  /** INVITEs answered 2xx (RFC 6026 Accepted, Timer L): key to dialog id; retransmissions are absorbed unanswered. */
  private accepted: Lingering<string>;
  /** Merge keys of answered INVITEs (RFC 3261 section 8.2.2.2 still applies to them): merge key to server key. */
  private answeredMerge: Lingering<string>;
  /** Our requests with a final answer: Timers D and M (64*T1), and Timer K (T4). */
  private clientsLong: Lingering<ClientEcho>;
  private clientsShort: Lingering<ClientEcho>;
  private sweeper: WheelTimer | undefined;
  private wheel: TimerWheel;
  private timers: SipTimers;
  private hooks: LayerHooks;

  constructor(wheel: TimerWheel, timers: SipTimers, hooks: LayerHooks) {
    this.wheel = wheel;
    this.timers = timers;
    this.hooks = hooks;
    const t64 = 64 * timers.t1;
    this.answered = new Lingering(t64);
    this.accepted = new Lingering(t64);
    this.answeredMerge = new Lingering(t64);
    this.clientsLong = new Lingering(t64);
    this.clientsShort = new Lingering(timers.t4);
  }

  get size(): number {
    return this.servers.size + this.clients.size + this.answered.size + this.accepted.size + this.clientsLong.size + this.clientsShort.size;
  }

  private get tables(): Array<Lingering<unknown>> {
    return [this.answered, this.accepted, this.answeredMerge, this.clientsLong, this.clientsShort];
  }

  /** Expiry runs a few times per shortest lingering period (at most once a second) while anything lingers. */
  private armSweeper(): void {
    if (this.sweeper) return;
    const every = Math.max(10, Math.min(1000, Math.floor(Math.min(64 * this.timers.t1, this.timers.t4) / 4)));
    this.sweeper = this.wheel.schedule(every, () => {
      this.sweeper = undefined;
      const now = Date.now();
      let left = false;
      for (const t of this.tables) {
        t.sweep(now);
        left ||= t.nextDue !== undefined;
      }
      if (left) this.armSweeper();
    });
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
    const mk = `${req.callId}|${req.fromTag}|${req.cseq}|${req.method}`;
    const other = this.merged.get(mk)?.key ?? this.answeredMerge.get(mk);
    return other !== undefined && other !== serverKey(req);
  }

  /**
   * A retransmission of a request we answered and no longer hold whole: re-sends a non-INVITE's answer to `dest`,
   * absorbs an INVITE answered 2xx. False when the request is not one of those.
   */
  absorbAnswered(req: SipMessage, dest: Dest): boolean {
    const key = serverKey(req);
    const wire = this.answered.get(key);
    if (wire === undefined && this.accepted.get(key) === undefined) return false;
    this.hooks.retransmitted();
    if (wire) this.hooks.send(dest, wire);
    return true;
  }

  /** The dialog id of an INVITE answered 2xx that `cancel` (or a retransmission) names, if it still lingers. */
  acceptedDialog(req: SipMessage): string | undefined {
    return this.accepted.get(serverKey(req, 'INVITE'));
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
    this.clearServerTimers(txn);
    const reliable = txn.dest.proto !== 'udp';
    if (txn.method === 'INVITE' && res.status >= 300) {
      // Rare (a refused call) and busy until the ACK: kept whole, reduced to its identifiers
      txn.req = txn.req.identity();
      txn.dialogId = detach(txn.dialogId);
      txn.state = 'completed';
      if (!reliable) this.retransmitFinal(txn, this.timers.t1);
      txn.timers.push(this.wheel.schedule(64 * this.timers.t1, () => this.terminateServer(txn))); // Timer H
      return wire;
    }
    this.retireServer(txn);
    const now = Date.now();
    if (txn.method === 'INVITE') {
      // 2xx: the dialog layer retransmits it until the ACK (section 13.3.1.4); RFC 6026's Accepted state absorbs
      // retransmitted INVITEs meanwhile (Timer L) without answering them, and a CANCEL finds the dialog
      txn.state = 'accepted';
      this.accepted.add(txn.key, detach(txn.dialogId), now);
      if (txn.mergeKey) this.answeredMerge.add(txn.mergeKey, txn.key, now);
    } else {
      txn.state = reliable ? 'terminated' : 'completed';
      if (!reliable) this.answered.add(txn.key, wire, now); // Timer J
    }
    if (!reliable || txn.method === 'INVITE') this.armSweeper();
    return wire;
  }

  /** Out of the live tables: from its final answer on, a transaction lingers as a key in one of the tables above. */
  private retireServer(txn: ServerTxn): void {
    this.wheel.cancel(txn.relTimer);
    this.servers.delete(txn.key);
    this.serversById.delete(txn.id);
    if (txn.mergeKey && this.merged.get(txn.mergeKey) === txn) this.merged.delete(txn.mergeKey);
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
    // Timer B runs in Calling only (section 17.1.1.2): a phone that rings longer than 64*T1 is not a timeout
    if (txn.method === 'INVITE' && txn.state === 'proceeding') return;
    txn.finalStatus = status;
    this.terminateClient(txn);
    txn.onResponse(buildResponse(txn.req, status, reason), undefined, false);
  }

  /** A response from the network; false when it matches no client transaction. */
  receiveResponse(res: SipMessage, src: Source): boolean {
    const key = `${res.via?.branch ?? ''}|${res.cseqMethod}`;
    const txn = this.clients.get(key);
    if (!txn) return this.absorbResponse(key, res, src);
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
    txn.finalStatus = res.status;
    this.clearClientTimers(txn);
    txn.pendingCancel = undefined;
    const reliable = txn.dest.proto !== 'udp';
    let echo: ClientEcho | undefined;
    if (txn.method === 'INVITE' && res.status >= 300) {
      const ack = buildAck(txn.req, res).toString();
      this.hooks.send(txn.dest, ack);
      txn.state = 'completed';
      if (!reliable) echo = { ack, dest: txn.dest }; // Timer D: RFC 3261 asks for at least 32 s, 64*T1 by default
    } else if (txn.method === 'INVITE') {
      txn.state = 'accepted';
    } else {
      txn.state = 'completed';
      if (!reliable) echo = ''; // Timer K
    }
    txn.onResponse(res, src, false);
    if (txn.state === 'accepted') {
      // RFC 6026 Timer M: a retransmitted or forked 2xx goes to whoever sent the INVITE (the dialog layer re-sends
      // its ACK; a proxy relays it), by the handler it left, which need not hold the transaction
      const again = txn.on2xxRetransmission ?? ((r: SipMessage, s: Source) => txn.onResponse(r, s, true));
      echo = again;
    }
    this.retireClient(txn);
    if (echo !== undefined) {
      (txn.state === 'completed' && txn.method !== 'INVITE' ? this.clientsShort : this.clientsLong).add(key, echo, Date.now());
      this.armSweeper();
    }
    return true;
  }

  /** A response to a request we no longer hold whole: re-ACK, relay or absorb it, as its lingering entry says. */
  private absorbResponse(key: string, res: SipMessage, src: Source): boolean {
    const echo = this.clientsLong.get(key) ?? this.clientsShort.get(key);
    if (echo === undefined) return false;
    if (res.status < 200) return true;
    this.hooks.retransmitted();
    if (typeof echo === 'function') echo(res, src);
    else if (echo) this.hooks.send(echo.dest, echo.ack);
    return true;
  }

  private retireClient(txn: ClientTxn): void {
    if (this.clients.get(txn.key) === txn) this.clients.delete(txn.key);
    this.clientsById.delete(txn.id);
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
