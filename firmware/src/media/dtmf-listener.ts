import dgram from 'node:dgram';
import { EventEmitter } from 'node:events';
import { z } from 'zod';
import type { Logger } from '../log.ts';

// rtpengine's --dtmf-log-dest datagram: one per digit, sent when the digit ends.
const dtmfEvent = z.object({
  callid: z.string().min(1),
  source_tag: z.string(),
  type: z.literal('DTMF'),
  event: z.number().int().min(0).max(15),
  duration: z.number().optional(),
});

const digits = '0123456789*#ABCD';

export interface DtmfDigit {
  callId: string;
  /** The from-tag of the party that pressed the key. */
  sourceTag: string;
  digit: string;
  durationMs: number | undefined;
}

/** Receives rtpengine's DTMF events and hands them on as digits tied to the call and the leg that sent them. */
export class DtmfListener extends EventEmitter<{ digit: [DtmfDigit] }> {
  #socket: dgram.Socket;
  malformed = 0;

  private constructor(socket: dgram.Socket, log: Logger) {
    super();
    this.#socket = socket;
    socket.on('message', (msg) => {
      let json: unknown;
      try {
        json = JSON.parse(msg.toString('utf8'));
      } catch {
        json = undefined;
      }
      const parsed = dtmfEvent.safeParse(json);
      if (!parsed.success) {
        this.malformed++;
        log.warn({ bytes: msg.length }, 'ignored a DTMF datagram that is not rtpengine JSON');
        return;
      }
      const e = parsed.data;
      this.emit('digit', { callId: e.callid, sourceTag: e.source_tag, digit: digits[e.event] as string, durationMs: e.duration });
    });
  }

  static async listen(host: string, port: number, log: Logger): Promise<DtmfListener> {
    const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', (err: NodeJS.ErrnoException) =>
        reject(new Error(err.code === 'EADDRINUSE' ? `DTMF event port ${host}:${port} is already in use (it is the rtpengine ng port + 1)` : err.message)),
      );
      socket.bind(port, host, () => resolve());
    });
    return new DtmfListener(socket, log);
  }

  get port(): number {
    return this.#socket.address().port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#socket.close(() => resolve()));
  }
}
