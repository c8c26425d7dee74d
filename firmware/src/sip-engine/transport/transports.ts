import dgram from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';
import { StreamFramer } from './stream-framer.ts';
import type { ListenPoint, Proto, Source } from './types.ts';
import { TlsReloader, type TlsFiles, type TlsPair } from './tls-reload.ts';
import type { WsListener } from './websocket.ts';

export interface TransportOptions {
  listen: ListenPoint[];
  /** Close a TCP connection after this long without traffic. */
  tcpIdleMs: number;
  /** Most simultaneous TCP connections from one remote address. */
  maxConnsPerAddress: number;
  onMessage: (data: Buffer, src: Source) => void;
  onStreamError: (reason: string, src: Source) => void;
  onError: (err: Error) => void;
  /** Key and certificate (PEM) for TLS and WSS listen points; with `files`, re-read when those files change. */
  tls?: { key: Buffer; cert: Buffer; files?: TlsFiles };
  /** How often the TLS files are checked for a change (default 2000 ms). */
  tlsPollMs?: number;
}

interface Bound extends ListenPoint {
  udp?: dgram.Socket;
  tcp?: net.Server;
  ws?: WsListener;
}

/** Streams are pooled per transport and remote address, so TCP and TLS to one peer never mix. */
const poolKey = (proto: Proto, address: string, port: number) => `${proto}|${address}|${port}`;

/** UDP sockets and TCP listeners for every contact, plus a pool of TCP connections reused in both directions. */
/**
 * Receive buffer of each UDP listen point. With Linux's default (208 KB) a 100 ms pause of the engine (a GC, a
 * burst) at 800 calls/s overflowed it: thousands of requests and responses dropped, each costing a retransmission
 * 500 ms later, and peers that do not expect one (SIPp's UAS) failed calls. The kernel caps it at
 * net.core.rmem_max, which the appliance image raises (yocto-layer's sysctl file).
 */
const UDP_RECV_BUFFER = 4 * 1024 * 1024;

export class Transports {
  private opts: TransportOptions;
  readonly bound: Bound[] = [];
  private conns = new Map<string, net.Socket>();
  private perAddress = new Map<string, number>();
  private tlsReload: TlsReloader | undefined;

  constructor(opts: TransportOptions) {
    this.opts = opts;
  }

  async start(): Promise<void> {
    for (const lp of this.opts.listen) {
      const b: Bound = { ...lp };
      if (lp.proto === 'udp') {
        const sock = dgram.createSocket({ type: net.isIPv6(lp.host) ? 'udp6' : 'udp4', reuseAddr: false, recvBufferSize: UDP_RECV_BUFFER });
        sock.on('message', (data, rinfo) =>
          this.opts.onMessage(data, { proto: 'udp', address: rinfo.address, port: rinfo.port, localAddress: b.host, localPort: b.port }),
        );
        sock.on('error', (err) => this.opts.onError(err));
        await new Promise<void>((resolve, reject) => {
          sock.once('error', reject);
          sock.bind(lp.port, lp.host, () => {
            sock.off('error', reject);
            resolve();
          });
        });
        b.port = sock.address().port;
        b.udp = sock;
      } else if (lp.proto === 'ws' || lp.proto === 'wss') {
        if (lp.proto === 'wss' && !this.opts.tls) throw new Error('a WSS contact needs a key and certificate');
        // Loaded only for WebSocket contacts: the ws package and node's HTTP stack are memory most engines never use.
        const { WsListener } = await import('./websocket.ts');
        const ws = new WsListener({
          lp: b,
          ...(this.opts.tls ? { tls: { key: this.opts.tls.key, cert: this.opts.tls.cert } } : {}),
          maxConnsPerAddress: this.opts.maxConnsPerAddress,
          onMessage: this.opts.onMessage,
          onError: this.opts.onError,
        });
        b.port = await ws.listen();
        b.ws = ws;
      } else {
        if (lp.proto === 'tls' && !this.opts.tls) throw new Error('a TLS contact needs a key and certificate');
        const srv = lp.proto === 'tls' ? tls.createServer({ key: this.opts.tls!.key, cert: this.opts.tls!.cert }, (s) => this.adopt(s, b)) : net.createServer((s) => this.adopt(s, b));
        srv.on('error', (err) => this.opts.onError(err));
        await new Promise<void>((resolve, reject) => {
          srv.once('error', reject);
          srv.listen(lp.port, lp.host, () => {
            srv.off('error', reject);
            resolve();
          });
        });
        b.port = (srv.address() as net.AddressInfo).port;
        b.tcp = srv;
      }
      this.bound.push(b);
    }
    const files = this.opts.tls?.files;
    if (files) this.tlsReload = new TlsReloader(files, this.opts.tlsPollMs ?? 2000, (pair) => this.setTls(pair), this.opts.onError);
  }

  /** New TLS connections use `pair` from now on; open ones keep theirs. WSS listen points keep the pair they started with. */
  setTls(pair: TlsPair): void {
    for (const b of this.bound) if (b.tcp instanceof tls.Server) b.tcp.setSecureContext(pair);
  }

  /** The listen point used for sending with `proto` towards an address of the given family. */
  pick(proto: Proto, address?: string): Bound | undefined {
    const v6 = address ? net.isIPv6(address) : false;
    return this.bound.find((b) => b.proto === proto && net.isIPv6(b.host) === v6) ?? this.bound.find((b) => b.proto === proto);
  }

  private adopt(sock: net.Socket, b: Bound, dialed?: { address: string; port: number }): void {
    const address = dialed?.address ?? sock.remoteAddress ?? '';
    const remotePort = dialed?.port ?? sock.remotePort ?? 0;
    const count = this.perAddress.get(address) ?? 0;
    if (count >= this.opts.maxConnsPerAddress) {
      sock.destroy();
      return;
    }
    this.perAddress.set(address, count + 1);
    const key = poolKey(b.proto, address, remotePort);
    this.conns.set(key, sock);
    const framer = new StreamFramer();
    sock.setNoDelay(true);
    sock.setTimeout(this.opts.tcpIdleMs, () => sock.destroy());
    const src = (): Source => ({ proto: b.proto, address, port: remotePort, localAddress: b.host, localPort: b.port, conn: sock });
    sock.on('data', (chunk: Buffer) => {
      for (const f of framer.push(chunk)) {
        if (f.kind === 'message') this.opts.onMessage(f.data, src());
        else if (f.kind === 'ping') sock.write('\r\n');
        else {
          this.opts.onStreamError(f.reason, src());
          sock.destroy();
          return;
        }
      }
    });
    sock.on('error', () => sock.destroy());
    sock.on('close', () => {
      if (this.conns.get(key) === sock) this.conns.delete(key);
      const n = (this.perAddress.get(address) ?? 1) - 1;
      if (n <= 0) this.perAddress.delete(address);
      else this.perAddress.set(address, n);
    });
  }

  /**
   * Sends one message. TCP reuses `conn` when it is still open, else any connection to the address, else dials.
   * Returns false when nothing can carry it (no such transport).
   */
  send(proto: Proto, address: string, port: number, data: string, conn?: net.Socket): boolean {
    if (proto === 'udp') {
      const b = this.pick('udp', address);
      if (!b?.udp) return false;
      b.udp.send(data, port, address);
      return true;
    }
    if (proto === 'ws' || proto === 'wss') return this.bound.some((b) => b.proto === proto && b.ws?.send(address, port, data, conn));
    let sock = conn && !conn.destroyed ? conn : this.conns.get(poolKey(proto, address, port));
    if (!sock || sock.destroyed) {
      const b = this.pick(proto, address);
      if (!b) return false;
      // Peers (phones, trunks) commonly present self-signed certificates; like drachtio's default
      // verify policy, the engine encrypts without authenticating the server it dials.
      sock = proto === 'tls' ? tls.connect({ host: address, port, rejectUnauthorized: false }) : net.connect({ host: address, port });
      this.adopt(sock, b, { address, port });
    }
    sock.write(data);
    return true;
  }

  async close(): Promise<void> {
    this.tlsReload?.stop();
    for (const s of this.conns.values()) s.destroy();
    for (const b of this.bound) {
      if (b.udp) await new Promise<void>((r) => b.udp!.close(() => r()));
      if (b.tcp) await new Promise<void>((r) => b.tcp!.close(() => r()));
      if (b.ws) await b.ws.close();
    }
  }
}
