/**
 * Cuts a SIP byte stream into messages by Content-Length (RFC 3261 section 18.3). CRLFs between messages are
 * keep-alives (RFC 5626 section 3.5.1): a double CRLF "ping" is reported so the caller can answer with a CRLF "pong".
 */
export type FrameResult = { kind: 'message'; data: Buffer } | { kind: 'ping' } | { kind: 'error'; reason: string };

const CRLFCRLF = Buffer.from('\r\n\r\n');

export class StreamFramer {
  private buf: Buffer = Buffer.alloc(0);
  private maxHeader: number;
  private maxBody: number;

  constructor(maxHeader = 65536, maxBody = 1 << 20) {
    this.maxHeader = maxHeader;
    this.maxBody = maxBody;
  }

  push(chunk: Buffer): FrameResult[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: FrameResult[] = [];
    for (;;) {
      let i = 0;
      while (i < this.buf.length && (this.buf[i] === 13 || this.buf[i] === 10)) i++;
      if (i > 0) {
        if (i >= 4 && this.buf[0] === 13 && this.buf[1] === 10 && this.buf[2] === 13 && this.buf[3] === 10) out.push({ kind: 'ping' });
        this.buf = this.buf.subarray(i);
      }
      if (this.buf.length === 0) break;
      const end = this.buf.indexOf(CRLFCRLF);
      if (end < 0) {
        if (this.buf.length > this.maxHeader) {
          out.push({ kind: 'error', reason: 'headers too long' });
          this.buf = Buffer.alloc(0);
        }
        break;
      }
      const len = contentLength(this.buf.toString('latin1', 0, end));
      if (len === undefined || len > this.maxBody) {
        out.push({ kind: 'error', reason: len === undefined ? 'bad Content-Length' : 'body too long' });
        this.buf = Buffer.alloc(0);
        break;
      }
      const total = end + 4 + len;
      if (this.buf.length < total) break;
      out.push({ kind: 'message', data: this.buf.subarray(0, total) });
      this.buf = this.buf.subarray(total);
    }
    return out;
  }
}

/** Content-Length from a header block (0 when absent), undefined when malformed. */
function contentLength(head: string): number | undefined {
  let pos = 0;
  while (pos < head.length) {
    let nl = head.indexOf('\n', pos);
    if (nl < 0) nl = head.length;
    const line = head.slice(pos, nl);
    pos = nl + 1;
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (name === 'content-length' || name === 'l') {
      const v = line.slice(colon + 1).trim();
      return /^\d{1,9}$/.test(v) ? Number(v) : undefined;
    }
  }
  return 0;
}
