import net from 'node:net';
import type { Logger } from 'pino';
import { WireConn } from './connection.ts';
import { WireDecoder } from './framing.ts';

export interface WireHandlers {
  secret: string;
  /** `authenticate` reply fields after OK: hostports, version, local hostports. */
  authInfo(): string[];
  addRoute(conn: WireConn, verb: string): void;
  removeRoutes(conn: WireConn): void;
  sip(conn: WireConn, msgId: string, tokens: string[], sip: string): Promise<void>;
  proxy(conn: WireConn, msgId: string, tokens: string[], sip: string): void;
  closed(conn: WireConn): void;
}

/** The admin port drachtio-srf apps connect to (`srf.connect`). */
export class WireServer {
  private server: net.Server;
  private log: Logger;
  private h: WireHandlers;
  readonly conns = new Set<WireConn>();

  constructor(h: WireHandlers, log: Logger) {
    this.h = h;
    this.log = log;
    this.server = net.createServer((s) => this.accept(s));
  }

  /**
   * Outbound mode (`srf.listen`): dials an app and resolves once it has authenticated on that connection (it sends
   * `authenticate` as on an inbound one). Rejects when the connection fails, closes first or takes over `ms`.
   */
  dial(host: string, port: number, ms = 5000): Promise<WireConn> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const conn = this.accept(socket);
      const timer = setTimeout(() => {
        reject(new Error(`app at ${host}:${port} did not authenticate in time`));
        socket.destroy();
      }, ms);
      socket.once('close', () => {
        clearTimeout(timer);
        reject(new Error(`app at ${host}:${port} closed the connection`));
      });
      conn.afterAuth = () => {
        clearTimeout(timer);
        resolve(conn);
      };
    });
  }

  listen(port: number, host: string): Promise<net.AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as net.AddressInfo);
      });
    });
  }

  private accept(socket: net.Socket): WireConn {
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30000);
    const conn = new WireConn(socket);
    this.conns.add(conn);
    const decoder = new WireDecoder();
    // Messages of one connection are handled strictly in order, even when one waits on DNS.
    let queue: Promise<void> = Promise.resolve();
    socket.on('data', (chunk: Buffer) => {
      let payloads: string[];
      try {
        payloads = decoder.push(chunk);
      } catch {
        this.log.warn({ app: conn.id }, 'bad frame from app; closing');
        socket.destroy();
        return;
      }
      for (const p of payloads) queue = queue.then(() => this.dispatch(conn, p)).catch((err: unknown) => this.log.error({ err }, 'app message failed'));
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.conns.delete(conn);
      this.h.closed(conn);
    });
    return conn;
  }

  private async dispatch(conn: WireConn, payload: string): Promise<void> {
    if (!conn.open) return;
    const crlf = payload.indexOf('\r\n');
    const leader = crlf < 0 ? payload : payload.slice(0, crlf);
    const body = crlf < 0 ? '' : payload.slice(crlf + 2);
    const tokens = leader.split('|');
    const id = tokens[0] ?? '';
    const type = tokens[1];
    if (type === undefined) return this.refuse(conn, id, 'malformed message');
    if (type === 'authenticate') {
      if (tokens[2] !== this.h.secret) return this.refuse(conn, id, 'incorrect secret');
      conn.authenticated = true;
      conn.tags = (tokens[3] ?? '').split(',').filter(Boolean);
      conn.reply(id, ['OK', ...this.h.authInfo()]);
      conn.afterAuth?.();
      conn.afterAuth = undefined;
      return;
    }
    if (!conn.authenticated) return this.refuse(conn, id, 'not authenticated');
    switch (type) {
      case 'route':
        this.h.addRoute(conn, (tokens[2] ?? '').toLowerCase());
        return conn.reply(id, ['OK']);
      case 'remove_route':
        this.h.removeRoutes(conn);
        return conn.reply(id, ['OK']);
      case 'ping':
        return conn.reply(id, ['OK', 'pong']);
      case 'sip':
        return this.h.sip(conn, id, tokens, body);
      case 'proxy':
        if (tokens.length < 4) return this.refuse(conn, id, 'malformed proxy message');
        return this.h.proxy(conn, id, tokens, body);
      default:
        return this.refuse(conn, id, 'Unknown message type');
    }
  }

  /** drachtio answers NO and drops the connection on protocol errors and a wrong secret. */
  private refuse(conn: WireConn, id: string, reason: string): void {
    conn.reply(id, ['NO', reason]);
    conn.socket.end();
  }

  async close(): Promise<void> {
    for (const c of this.conns) c.socket.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
