import type { CoreContext } from './core-context.ts';
import { buildResponse, randomToken } from './parser/build.ts';
import type { SipMessage } from './parser/message.ts';
import { parseUri } from './parser/tokens.ts';
import type { ServerTxn } from './transaction/server-txn.ts';
import type { Source } from './transport/types.ts';
import type { WireConn } from './wire/connection.ts';

/** drachtio's request-handlers: a SIP method (lower case, or `*`) and where to ask which app takes the request. */
export type RequestHandlers = Record<string, string>;

export interface OutboundDeps {
  ctx: CoreContext;
  handlers: RequestHandlers;
  /** Dials an app and resolves once it has authenticated (WireServer.dial). */
  dialApp(host: string, port: number): Promise<WireConn>;
  /** Hands the request to the app as an inbound connection would get it. */
  deliver(app: WireConn, req: SipMessage, src: Source, txn: ServerTxn): void;
}

/**
 * Outbound connection mode (drachtio's request-handlers, apps using `srf.listen`): for each new request of a
 * handled method the engine asks where it goes (a `tcp://host:port` handler names the app directly; an HTTP(S)
 * handler is asked with GET and the request's fields and answers route/reject/redirect), dials that app, and
 * after it authenticates delivers the request on that connection, which then owns the dialogs it creates.
 */
export class OutboundApps {
  private d: OutboundDeps;

  constructor(d: OutboundDeps) {
    this.d = d;
  }

  handles(method: string): boolean {
    const m = method.toLowerCase();
    return this.d.handlers[m] !== undefined || this.d.handlers['*'] !== undefined;
  }

  async route(req: SipMessage, src: Source, txn: ServerTxn): Promise<void> {
    const handler = this.d.handlers[req.method.toLowerCase()] ?? this.d.handlers['*']!;
    try {
      const answer = handler.startsWith('tcp://') ? { action: 'route' as const, data: { uri: handler.slice('tcp://'.length) } } : await this.ask(handler, req, src);
      if (answer.action === 'reject') return this.respond(txn, answer.data.status, answer.data.reason ?? '');
      if (answer.action === 'redirect') {
        const res = this.response(txn, 302, 'Moved Temporarily');
        for (const c of [answer.data.contact].flat()) res.add('Contact', c.includes('<') ? c : `<${c}>`);
        this.d.ctx.respond(txn, res);
        return;
      }
      const target = parseUri(`sip:${answer.data.uri.replace(/^sips?:/, '')}`);
      if (!target?.port) throw new Error(`route uri "${answer.data.uri}" needs host:port`);
      const app = await this.d.dialApp(target.host, target.port);
      if (txn.finalStatus !== 0 || txn.canceled) return void app.socket.end();
      txn.app = app;
      this.d.deliver(app, req, src, txn);
    } catch (err) {
      this.d.ctx.log.warn({ err, method: req.method }, 'outbound request handler failed; answering 480');
      this.respond(txn, 480, 'Temporarily Unavailable');
    }
  }

  /** GET with drachtio's query fields; the JSON answer is validated. */
  private async ask(url: string, req: SipMessage, src: Source) {
    const u = new URL(url);
    const ruri = parseUri(req.uri);
    const userOf = (h: string | undefined) => /sips?:([^@;>]+)@/.exec(h ?? '')?.[1] ?? '';
    const q: Record<string, string> = {
      method: req.method,
      domain: ruri?.host ?? '',
      protocol: src.proto,
      source_address: src.address,
      fromUser: userOf(req.get('from')),
      toUser: userOf(req.get('to')),
      uriUser: ruri?.user ?? '',
      contentType: req.get('content-type') ?? '',
      uri: req.uri,
    };
    for (const [k, v] of ruri?.params ?? []) q[k] = v;
    for (const [k, v] of Object.entries(q)) u.searchParams.set(k, v);
    const res = await fetch(u, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`request handler ${url} answered HTTP ${res.status}`);
    // Loaded only in this mode: zod alone is about 15 MB of the engine's resident memory.
    const { answerSchema } = await import('./request-handler-answer.ts');
    const parsed = answerSchema.safeParse(await res.json());
    if (!parsed.success) throw new Error(`request handler ${url}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    return parsed.data;
  }

  private response(txn: ServerTxn, status: number, reason: string): SipMessage {
    if (!txn.toTag && !txn.req.toTag) txn.toTag = randomToken();
    return buildResponse(txn.req, status, reason, txn.toTag);
  }

  private respond(txn: ServerTxn, status: number, reason: string): void {
    if (txn.finalStatus !== 0 || txn.canceled) return;
    txn.appAnswered = true;
    this.d.ctx.respond(txn, this.response(txn, status, reason || (status === 480 ? 'Temporarily Unavailable' : 'Rejected')));
  }
}
