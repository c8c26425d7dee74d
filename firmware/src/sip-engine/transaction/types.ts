import type net from 'node:net';
import type { Proto } from '../transport/types.ts';

/** Where a message goes: resolved address, port and transport, and the stream to reuse if any. */
export interface Dest {
  proto: Proto;
  address: string;
  port: number;
  conn?: net.Socket;
}

export interface SipTimers {
  t1: number;
  t2: number;
  t4: number;
}
