import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import type { ListenPoint, Source } from './types.ts';

export interface WsOptions {
  lp: ListenPoint;
  /** Key and certificate for WSS. */
  tls?: { key: Buffer; cert: Buffer };
  maxConnsPerAddress: number;
  onMessage: (data: Buffer, src: Source) => void;
  onError: (err: Error) => void;
}

const key = (address: string, port: number) => `${address}|${port}`;

/**
 * SIP over WebSocket (RFC 7118) for browser phones: one SIP message per WebSocket message, subprotocol `sip`
 * required. Browsers only ever dial in, so the engine sends on the connection a peer opened (found by the TCP
 * socket under it, or by its address and port); it never dials out.
 */
export class WsListener {
  private o: WsOptions;
  private server: http.Server | https.Server | undefined;
  private wss: WebSocketServer | undefined;
  private byKey = new Map<string, WebSocket>();
  private bySocket = new Map<net.Socket, WebSocket>();
  private perAddress = new Map<string, number>();

  constructor(o: WsOptions) {
    this.o = o;
  }

  async listen(): Promise<number> {
    const server = this.o.lp.proto === 'wss' ? https.createServer({ ...this.o.tls! }) : http.createServer();
    // a plain HTTP request to the SIP port gets 426, as a WebSocket-only endpoint should answer
    server.on('request', (_req, res) => res.writeHead(426, { Upgrade: 'websocket', Connection: 'close' }).end());
    const wss = new WebSocketServer({
      server,
      maxPayload: 256 * 1024,
      handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false),
      verifyClient: ({ req }, done) => {
        const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim().toLowerCase());
        if (!offered.includes('sip')) return done(false, 400, 'the sip WebSocket subprotocol is required (RFC 7118)');
        const address = req.socket.remoteAddress ?? '';
        if ((this.perAddress.get(address) ?? 0) >= this.o.maxConnsPerAddress) return done(false, 503, 'too many connections');
        done(true);
      },
    });
    wss.on('connection', (ws, req) => this.adopt(ws, req.socket));
    wss.on('error', (err) => this.o.onError(err));
    server.on('error', (err) => this.o.onError(err));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.o.lp.port, this.o.lp.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.wss = wss;
    return (server.address() as net.AddressInfo).port;
  }

  private adopt(ws: WebSocket, sock: net.Socket): void {
    const address = sock.remoteAddress ?? '';
    const port = sock.remotePort ?? 0;
    const k = key(address, port);
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    this.byKey.set(k, ws);
    this.bySocket.set(sock, ws);
    const src: Source = { proto: this.o.lp.proto, address, port, localAddress: this.o.lp.host, localPort: this.o.lp.port, conn: sock };
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      this.o.onMessage(buf, src);
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      if (this.byKey.get(k) === ws) this.byKey.delete(k);
      this.bySocket.delete(sock);
      const n = (this.perAddress.get(address) ?? 1) - 1;
      if (n <= 0) this.perAddress.delete(address);
      else this.perAddress.set(address, n);
    });
  }

  /** False when the peer has no open connection to us. */
  send(address: string, port: number, data: string, conn?: net.Socket): boolean {
    const ws = (conn && this.bySocket.get(conn)) ?? this.byKey.get(key(address, port));
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(data);
    return true;
  }

  async close(): Promise<void> {
    for (const ws of this.byKey.values()) ws.terminate();
    await new Promise<void>((r) => (this.wss ? this.wss.close(() => r()) : r()));
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
