import type { Socket } from 'node:net';

export type Proto = 'udp' | 'tcp' | 'tls' | 'ws' | 'wss';

/** Transports that carry one SIP message per network message (no Content-Length framing). */
export const isMessageProto = (p: Proto): boolean => p === 'udp' || p === 'ws' || p === 'wss';

/** Where a message came from, and which of our sockets got it. */
export interface Source {
  proto: Proto;
  address: string;
  port: number;
  localAddress: string;
  localPort: number;
  /** The stream it arrived on (TCP), so responses and in-dialog requests can reuse it. */
  conn?: Socket;
}

export interface ListenPoint {
  proto: Proto;
  host: string;
  port: number;
  /** Public address to advertise instead of host (NAT). */
  external?: string;
}

export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
