import type net from 'node:net';
import { encodeFrame } from './framing.ts';

let nextConnId = 1;
let nextMsgId = 1;

/** One connected drachtio-srf app. */
export class WireConn {
  readonly id = nextConnId++;
  readonly socket: net.Socket;
  authenticated = false;
  tags: string[] = [];
  routes = new Set<string>();
  /** Outbound mode (`srf.listen`): what to do once the app we dialed has authenticated. */
  afterAuth: (() => void) | undefined;
  private corked = false;
  private uncork = (): void => {
    this.corked = false;
    this.socket.uncork();
  };

  constructor(socket: net.Socket) {
    this.socket = socket;
  }

  get open(): boolean {
    return !this.socket.destroyed;
  }

  /**
   * Sends `<id>|<fields...>` with an optional SIP message after the CRLF. Frames written during one turn of the
   * event loop leave in one write: under load a write per frame was the engine's largest single cost (a syscall
   * each) and made the app parse many small reads. `end()` uncorks first, so nothing queued is lost.
   */
  send(fields: string[], sip?: string): void {
    if (this.socket.destroyed) return;
    const leader = `s${nextMsgId++}|${fields.join('|')}`;
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      setImmediate(this.uncork);
    }
    this.socket.write(encodeFrame(sip === undefined ? leader : `${leader}\r\n${sip}`));
  }

  reply(appMsgId: string, fields: string[], sip?: string): void {
    this.send(['response', appMsgId, ...fields], sip);
  }
}
