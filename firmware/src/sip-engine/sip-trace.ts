import fs from 'node:fs';
import type { Proto } from './transport/types.ts';

export interface SipTraceOptions {
  /** The trace file; rotated to `<file>.1` when it reaches maxBytes. */
  file: string;
  maxBytes: number;
  /** Tracing runs while this file exists (checked every second); without one it runs from the start. */
  switchFile: string | undefined;
  onError(err: unknown): void;
}

/**
 * The SIP message trace: every message in and out as a text block (time, direction, transport, peer, size, then the
 * message), for diagnosis without pcap tools. Off unless asked for; writes are synchronous, which costs throughput
 * only while it is on.
 */
export class SipTrace {
  on: boolean;
  private o: SipTraceOptions;
  private fd: number | undefined;
  private size = 0;
  private watching = false;

  constructor(o: SipTraceOptions) {
    this.o = o;
    this.on = o.switchFile === undefined;
    if (o.switchFile !== undefined) {
      this.on = fs.existsSync(o.switchFile);
      fs.watchFile(o.switchFile, { interval: 1000 }, (cur) => {
        this.on = cur.nlink > 0;
        if (!this.on) this.closeFile();
      });
      this.watching = true;
    }
  }

  received(data: Buffer | string, proto: Proto, address: string, port: number): void {
    if (this.on) this.write('recv from', data, proto, address, port);
  }

  sent(data: Buffer | string, proto: Proto, address: string, port: number): void {
    if (this.on) this.write('sent to', data, proto, address, port);
  }

  close(): void {
    if (this.watching && this.o.switchFile !== undefined) fs.unwatchFile(this.o.switchFile);
    this.watching = false;
    this.closeFile();
  }

  private write(direction: string, data: Buffer | string, proto: Proto, address: string, port: number): void {
    const text = typeof data === 'string' ? data : data.toString('utf8');
    const peer = address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
    const block = `=== ${new Date().toISOString()} ${direction} ${proto} ${peer} (${Buffer.byteLength(text)} bytes)\n${text.replace(/\r\n/g, '\n').replace(/\n*$/, '\n')}\n`;
    try {
      if (this.fd === undefined) this.openFile();
      if (this.size > 0 && this.size + Buffer.byteLength(block) > this.o.maxBytes) this.rotate();
      this.size += fs.writeSync(this.fd!, block);
    } catch (err) {
      this.on = false;
      this.closeFile();
      this.o.onError(err);
    }
  }

  private openFile(): void {
    this.fd = fs.openSync(this.o.file, 'a', 0o640);
    this.size = fs.fstatSync(this.fd).size;
  }

  private rotate(): void {
    this.closeFile();
    fs.renameSync(this.o.file, `${this.o.file}.1`);
    this.openFile();
  }

  private closeFile(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
