/**
 * drachtio frames: `<byte length>#<payload>`, no separator. Frames may be split or merged across reads, so
 * bytes are buffered and counted, never characters.
 */
export class WireDecoder {
  private buf: Buffer = Buffer.alloc(0);

  /** Complete payloads so far; throws on a prefix that is not a length, so the caller can drop the connection. */
  push(chunk: Buffer): string[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: string[] = [];
    for (;;) {
      const hash = this.buf.indexOf(35); // '#'
      if (hash < 0) {
        if (this.buf.length > 9 || !/^\d*$/.test(this.buf.toString('latin1'))) throw new Error('bad frame length prefix');
        break;
      }
      const prefix = this.buf.toString('latin1', 0, hash);
      if (!/^\d{1,9}$/.test(prefix)) throw new Error('bad frame length prefix');
      const len = Number(prefix);
      if (this.buf.length < hash + 1 + len) break;
      out.push(this.buf.toString('utf8', hash + 1, hash + 1 + len));
      this.buf = this.buf.subarray(hash + 1 + len);
    }
    return out;
  }
}

export function encodeFrame(payload: string): string {
  return `${Buffer.byteLength(payload)}#${payload}`;
}

/** `HH:MM:SS.uuuuuu` UTC, as drachtio stamps messages. */
export function wireTime(d = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds() * 1000, 6)}`;
}
