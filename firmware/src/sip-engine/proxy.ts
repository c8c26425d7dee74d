import type { EngineCounters } from './counters.ts';
import { bump } from './counters.ts';
import { resolveDest, type DestResolver } from './dns-resolve.ts';
import { contactFor, isSelf } from './outgoing.ts';
import { buildCancel, buildResponse, copyMessage, newBranch, withoutTopVia } from './parser/build.ts';
import type { SipMessage } from './parser/message.ts';
import { parseNameAddr, parseUri } from './parser/tokens.ts';
import type { ClientTxn } from './transaction/client-txn.ts';
import type { TransactionLayer } from './transaction/layer.ts';
import type { ServerTxn } from './transaction/server-txn.ts';
import type { TimerWheel } from './transaction/timer-wheel.ts';
import type { Dest } from './transaction/types.ts';
import { hostPort, type ListenPoint, type Source } from './transport/types.ts';
import type { WireConn } from './wire/connection.ts';
import { wireTime } from './wire/framing.ts';

export interface ProxyHost {
  txl: TransactionLayer;
  wheel: TimerWheel;
  counters: EngineCounters;
  resolver: DestResolver;
  listen: ListenPoint[];
  send(dest: Dest, wire: string): boolean;
  respond(txn: ServerTxn, res: SipMessage): string;
  pick(dest: Dest): ListenPoint | undefined;
}

interface ProxyJob {
  conn: WireConn;
  msgId: string;
  txn: ServerTxn;
  targets: string[];
  next: number;
  recordRoute: boolean;
  followRedirects: boolean;
  simultaneous: boolean;
  provisionalMs: number;
  extra: SipMessage;
  branches: Set<ClientTxn>;
  best: SipMessage | undefined;
  done: boolean;
}

/** "2s", "1500ms" or "" (none). */
function parseTimeout(v: string): number {
  const m = /^(\d+)(ms|s)?$/.exec(v.trim());
  if (!m) return 0;
  return m[2] === 'ms' ? Number(m[1]) : Number(m[1]) * 1000;
}

/** RFC 3261 section 16.7 step 6, reduced: a 6xx wins, else the lowest status. */
function better(a: SipMessage | undefined, b: SipMessage): SipMessage {
  if (!a) return b;
  if (a.status >= 600) return a;
  if (b.status >= 600) return b;
  return b.status < a.status ? b : a;
}

const OWNED = new Set(['via', 'route', 'record-route', 'content-length', 'max-forwards', 'from', 'to', 'call-id', 'cseq']);

/** Stateful proxying for `srf.proxyRequest` (serial or simultaneous forking, Record-Route, redirects). */
export class Proxy {
  private h: ProxyHost;
  /** Proxied INVITE server transactions by id, so a caller's CANCEL reaches the branches. */
  private jobs = new Map<string, ProxyJob>();

  constructor(h: ProxyHost) {
    this.h = h;
  }

  start(conn: WireConn, msgId: string, tokens: string[], extra: SipMessage): void {
    const [, , txnId = '', remain = '', , follow = '', mode = '', prov = '', , ...targets] = tokens;
    const txn = this.h.txl.serversById.get(txnId);
    if (!txn || txn.finalStatus !== 0 || txn.canceled) return conn.reply(msgId, ['NOK', `Unknown transaction id: ${txnId}`]);
    const mf = Number(txn.req.get('max-forwards') ?? '70');
    txn.appAnswered = true;
    if (mf <= 0) {
      this.h.respond(txn, buildResponse(txn.req, 483, 'Too Many Hops', 'mf0'));
      return conn.reply(msgId, ['NOK', 'Too Many Hops']);
    }
    const job: ProxyJob = {
      conn,
      msgId,
      txn,
      targets: targets.filter(Boolean),
      next: 0,
      recordRoute: remain === 'remainInDialog',
      followRedirects: follow === 'followRedirects',
      simultaneous: mode === 'simultaneous',
      provisionalMs: parseTimeout(prov),
      extra,
      branches: new Set(),
      best: undefined,
      done: false,
    };
    this.jobs.set(txn.id, job);
    void this.advance(job);
  }

  /** True while the engine proxies this server transaction (the app no longer answers it). */
  proxying(txnId: string): boolean {
    return this.jobs.has(txnId);
  }

  /** The caller cancelled: cancel every live branch. */
  cancel(txn: ServerTxn): void {
    const job = this.jobs.get(txn.id);
    if (!job) return;
    job.done = true;
    for (const b of job.branches) this.cancelBranch(b);
    this.finish(job);
  }

  private async advance(job: ProxyJob): Promise<void> {
    if (job.done) return;
    while (job.next < job.targets.length) {
      const target = job.targets[job.next++]!;
      const started = await this.fork(job, target);
      if (started && !job.simultaneous) return;
    }
    if (job.branches.size === 0) {
      const final = job.best ?? buildResponse(job.txn.req, 408, 'Request Timeout', 'p408');
      if (job.txn.finalStatus === 0) this.h.respond(job.txn, job.best ? withoutTopVia(final) : final);
      this.finish(job);
    }
  }

  private finish(job: ProxyJob): void {
    if (this.jobs.get(job.txn.id) !== job) return;
    this.jobs.delete(job.txn.id);
    job.done = true;
    if (job.conn.open) job.conn.reply(job.msgId, ['OK', 'done']);
  }

  private async fork(job: ProxyJob, target: string): Promise<boolean> {
    const dest = await resolveDest(target, this.h.resolver);
    const lp = dest && this.h.pick(dest);
    if (!dest || !lp || isSelf(dest, this.h.listen)) return false;
    const req = job.txn.req;
    const fwd = copyMessage(req);
    this.popOwnRoute(fwd);
    fwd.set('Max-Forwards', String(Number(req.get('max-forwards') ?? '70') - 1));
    const ruri = parseUri(req.uri);
    const local = ruri !== undefined && this.isOurs(ruri.host, ruri.port);
    if (local) fwd.uri = target;
    if (job.recordRoute) fwd.prepend('Record-Route', contactFor(lp).replace('>', ';lr>'));
    for (const h of job.extra.headers) if (!OWNED.has(h.name)) fwd.set(h.name, h.value);
    fwd.prepend('Via', `SIP/2.0/${dest.proto.toUpperCase()} ${hostPort(lp.external ?? lp.host, lp.port)};rport;branch=${newBranch()}`);
    fwd.refresh();
    bump(this.h.counters.requestsOut, fwd.method);
    let gotProvisional = false;
    const branch: ClientTxn = this.h.txl.sendRequest(fwd, dest, (res, src, retrans) => {
      if (retrans) {
        // a retransmitted 2xx: relay it again, the caller's ACK ends it
        this.relayUp(job.txn, res);
        return;
      }
      if (res.status === 100) return;
      if (res.status < 200) {
        gotProvisional = true;
        if (!job.done && job.txn.finalStatus === 0) this.h.respond(job.txn, withoutTopVia(res));
        return;
      }
      job.branches.delete(branch);
      this.report(job, res, src, dest);
      if (res.status < 300) {
        if (job.txn.finalStatus === 0 || res.cseqMethod === 'INVITE') this.relayUp(job.txn, res);
        for (const other of job.branches) this.cancelBranch(other);
        job.done = true;
        this.finish(job);
        return;
      }
      if (res.status < 400 && job.followRedirects) {
        for (const c of res.getAll('contact')) {
          const uri = parseNameAddr(c)?.uri;
          if (uri) job.targets.push(uri);
        }
      } else job.best = better(job.best, res);
      if (!job.done && job.branches.size === 0) void this.advance(job);
    });
    job.branches.add(branch);
    if (job.provisionalMs > 0 && !job.simultaneous) {
      this.h.wheel.schedule(job.provisionalMs, () => {
        if (gotProvisional || branch.state === 'terminated' || branch.finalStatus !== 0) return;
        job.branches.delete(branch);
        this.cancelBranch(branch);
        void this.advance(job);
      });
    }
    return true;
  }

  private relayUp(txn: ServerTxn, res: SipMessage): void {
    const up = withoutTopVia(res);
    if (txn.finalStatus === 0) this.h.respond(txn, up);
    else this.h.send(txn.dest, up.toString());
  }

  private report(job: ProxyJob, res: SipMessage, src: Source | undefined, dest: Dest): void {
    if (!job.conn.open) return;
    const wire = res.toString();
    job.conn.reply(job.msgId, ['OK', 'network', String(Buffer.byteLength(wire)), dest.proto, src?.address ?? dest.address, String(src?.port ?? dest.port), wireTime(), '', '', 'continue'], wire);
  }

  private cancelBranch(b: ClientTxn): void {
    if (b.method !== 'INVITE' || b.finalStatus !== 0) return;
    const c = buildCancel(b.req);
    const go = () => this.h.txl.sendRequest(c, b.dest, () => undefined);
    if (b.gotProvisional) go();
    else b.pendingCancel = go;
  }

  isOurs(host: string, port: number): boolean {
    return this.h.listen.some((lp) => (lp.host === host || lp.external === host) && lp.port === (port || 5060));
  }

  /** Removes the top Route when it names this engine (a preloaded or record-routed route). */
  popOwnRoute(m: SipMessage): boolean {
    const first = m.getAll('route')[0];
    const u = first && parseUri(parseNameAddr(first)?.uri ?? '');
    if (!u || !this.isOurs(u.host, u.port)) return false;
    const rest = m.getAll('route').slice(1);
    m.remove('route');
    for (const r of rest.reverse()) m.prepend('Route', r);
    return true;
  }

  /**
   * A request inside a dialog we record-routed: forward it to the next Route or the Request-URI.
   * ACKs go statelessly; others in a transaction whose responses are relayed back.
   */
  async relayInDialog(req: SipMessage, upstream: Dest): Promise<boolean> {
    const fwd = copyMessage(req);
    if (!this.popOwnRoute(fwd)) return false;
    const nextRoute = fwd.getAll('route')[0];
    const dest = await resolveDest(nextRoute ? (parseNameAddr(nextRoute)?.uri ?? fwd.uri) : fwd.uri, this.h.resolver);
    const lp = dest && this.h.pick(dest);
    if (!dest || !lp) return false;
    fwd.set('Max-Forwards', String(Math.max(0, Number(req.get('max-forwards') ?? '70') - 1)));
    fwd.prepend('Via', `SIP/2.0/${dest.proto.toUpperCase()} ${hostPort(lp.external ?? lp.host, lp.port)};rport;branch=${newBranch()}`);
    fwd.refresh();
    bump(this.h.counters.requestsOut, fwd.method);
    if (req.method === 'ACK') {
      this.h.send(dest, fwd.toString());
      return true;
    }
    const txn = this.h.txl.createServer(req, upstream);
    if (req.method === 'INVITE') this.h.respond(txn, buildResponse(req, 100, 'Trying'));
    txn.appAnswered = true;
    this.h.txl.sendRequest(fwd, dest, (res, _src, retrans) => {
      if (res.status === 100) return;
      if (retrans || txn.finalStatus !== 0) this.h.send(txn.dest, withoutTopVia(res).toString());
      else this.h.respond(txn, withoutTopVia(res));
    });
    return true;
  }
}
