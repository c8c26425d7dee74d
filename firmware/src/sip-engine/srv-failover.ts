import type { CoreContext } from './core-context.ts';
import { bump } from './counters.ts';
import type { Targets } from './dns-resolve.ts';
import { SipMessage } from './parser/message.ts';
import type { ClientTxn } from './transaction/client-txn.ts';
import type { Dest } from './transaction/types.ts';
import type { Source } from './transport/types.ts';

/** Hands a response to the app; `txn` carries the id the app was given. */
export type Deliver = (txn: ClientTxn, res: SipMessage, src: Source | undefined, retrans: boolean) => void;

interface Chain {
  /** The try in progress (set once the first is sent). */
  current: ClientTxn | undefined;
  /** The app cancelled: no further target is tried. */
  cancelled: boolean;
}

/**
 * RFC 3263 section 4.3: a request an app sends to a domain with several SRV targets goes to the next target when
 * one does not answer (Timer B/F), cannot be reached, or answers 503. Each try is a new transaction (new branch),
 * but the app sees one: every response reaches it under the first transaction's id, and the failures of the
 * targets left behind are never shown to it, only the last one when no target is left.
 */
export class SrvFailover {
  private ctx: CoreContext;
  /** App transaction id -> its request's tries, while the request has targets left and no final answer. */
  private chains = new Map<string, Chain>();

  constructor(ctx: CoreContext) {
    this.ctx = ctx;
  }

  /** The transaction carrying the app's request `appTxnId` now (for its CANCEL). */
  current(appTxnId: string): ClientTxn | undefined {
    return this.chains.get(appTxnId)?.current ?? this.ctx.txl.clientsById.get(appTxnId);
  }

  /** A cancelled request is not tried elsewhere, even if its CANCEL crosses a 503. */
  cancelled(appTxnId: string): void {
    const chain = this.chains.get(appTxnId);
    if (chain) chain.cancelled = true;
  }

  /** Sends `req` (with its Via) to the first target; returns the transaction whose id the app gets. */
  send(req: SipMessage, targets: Targets, deliver: Deliver): ClientTxn {
    if (!targets.more) {
      const txn: ClientTxn = this.ctx.txl.sendRequest(req, targets.dest, (res, src, retrans) => deliver(txn, res, src, retrans));
      return txn;
    }
    let appId = '';
    const chain: Chain = { current: undefined, cancelled: false };
    const attempt = (m: SipMessage, dest: Dest): ClientTxn => {
      const txn: ClientTxn = this.ctx.txl.sendRequest(m, dest, (res, src, retrans) => onResponse(txn, m, res, src, retrans));
      return txn;
    };
    const onResponse = (txn: ClientTxn, m: SipMessage, res: SipMessage, src: Source | undefined, retrans: boolean): void => {
      const asApp = underId(txn, appId);
      // Decided and delivered synchronously: the transaction layer trims its request once this returns.
      if (retrans || res.status < 200 || chain.cancelled || !retryable(txn, res, src)) {
        if (res.status >= 200 && !retrans) this.chains.delete(appId);
        return deliver(asApp, res, src, retrans);
      }
      void this.nextTry(m, targets).then((next) => {
        if (!next || chain.cancelled) {
          this.chains.delete(appId);
          return deliver(asApp, res, src, false);
        }
        bump(this.ctx.counters.requestsOut, m.method);
        chain.current = attempt(next.req, next.dest);
      }).catch((err: unknown) => this.ctx.log.error({ err }, 'SRV failover: retry failed'));
    };
    const first = (chain.current = attempt(req, targets.dest));
    appId = first.id;
    this.chains.set(appId, chain);
    return first;
  }

  /** The same request for the next target that resolves and that a transport of ours reaches, with a new branch. */
  private async nextTry(m: SipMessage, targets: Targets): Promise<{ req: SipMessage; dest: Dest } | undefined> {
    for (let dest = await targets.next(); dest; dest = await targets.next()) {
      const via = this.ctx.viaFor(dest);
      if (via) return { req: withVia(m, via.via), dest };
    }
    return undefined;
  }
}

/** 503 from the target, or from the engine when no transport could carry the request; 408 when it never answered. */
function retryable(txn: ClientTxn, res: SipMessage, src: Source | undefined): boolean {
  if (res.status === 503) return true;
  return res.status === 408 && src === undefined && !txn.gotProvisional;
}

/**
 * `txn` seen under the app's transaction id. The layer's transaction keeps its own id (its maps use it); the app
 * keeps the one it was given. Everything else is read from and written to the real transaction.
 */
function underId(txn: ClientTxn, id: string): ClientTxn {
  return txn.id === id ? txn : new Proxy(txn, { get: (target, key) => (key === 'id' ? id : Reflect.get(target, key)) });
}

function withVia(m: SipMessage, via: string): SipMessage {
  const copy = Object.assign(new SipMessage(), m);
  copy.headers = m.headers.map((h) => (h.name === 'via' ? { ...h, value: via } : h));
  copy.refresh();
  return copy;
}
