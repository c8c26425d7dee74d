import { canonicalName, LIST_HEADERS, normalizeName } from './header-names.ts';
import { parseVia, splitList, tagOf, type Via } from './tokens.ts';

export interface SipHeader {
  /** Lower-case long form, for lookups. */
  name: string;
  /** Spelling used when the message is written. */
  raw: string;
  value: string;
}

/**
 * A parsed SIP message. The start line and the fields every layer needs (top Via, Call-ID, CSeq, tags) are
 * filled eagerly by the parser; everything else stays as header text until asked for.
 */
export class SipMessage {
  isRequest = true;
  method = '';
  uri = '';
  status = 0;
  reason = '';
  headers: SipHeader[] = [];
  body = '';
  callId = '';
  cseq = 0;
  cseqMethod = '';
  fromTag = '';
  toTag = '';
  /** Top Via (undefined for messages the engine builds before it adds one). */
  via: Via | undefined;

  get(name: string): string | undefined {
    for (const h of this.headers) if (h.name === name) return h.value;
    return undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Every value of a header, comma lists split (for list headers only, so Date and the like stay whole). */
  getAll(name: string): string[] {
    const out: string[] = [];
    for (const h of this.headers) {
      if (h.name !== name) continue;
      if (LIST_HEADERS.has(name)) out.push(...splitList(h.value));
      else out.push(h.value);
    }
    return out;
  }

  set(name: string, value: string): void {
    const lc = normalizeName(name);
    const i = this.headers.findIndex((h) => h.name === lc);
    if (i >= 0) {
      this.headers[i] = { name: lc, raw: this.headers[i]!.raw, value };
      this.headers = this.headers.filter((h, j) => j <= i || h.name !== lc);
    } else this.headers.push({ name: lc, raw: canonicalName(lc), value });
  }

  add(name: string, value: string): void {
    const lc = normalizeName(name);
    this.headers.push({ name: lc, raw: canonicalName(lc), value });
  }

  prepend(name: string, value: string): void {
    const lc = normalizeName(name);
    this.headers.unshift({ name: lc, raw: canonicalName(lc), value });
  }

  remove(name: string): void {
    this.headers = this.headers.filter((h) => h.name !== name);
  }

  startLine(): string {
    return this.isRequest ? `${this.method} ${this.uri} SIP/2.0` : `SIP/2.0 ${this.status} ${this.reason}`;
  }

  /** Wire form; Content-Length is always recomputed from the body's bytes. */
  toString(): string {
    let s = this.startLine() + '\r\n';
    for (const h of this.headers) {
      if (h.name === 'content-length') continue;
      s += `${h.raw}: ${h.value}\r\n`;
    }
    return `${s}Content-Length: ${Buffer.byteLength(this.body)}\r\n\r\n${this.body}`;
  }

  /**
   * The identifiers alone (method or status, Call-ID, CSeq, tags): what a transaction keeps of its request after
   * the final response, for the 32 s it lingers. The parser already copied them out of the message text, so
   * the text, headers and body can go.
   */
  identity(): SipMessage {
    const m = new SipMessage();
    m.isRequest = this.isRequest;
    m.method = this.method;
    m.status = this.status;
    m.callId = this.callId;
    m.cseq = this.cseq;
    m.cseqMethod = this.cseqMethod;
    m.fromTag = this.fromTag;
    m.toTag = this.toTag;
    return m;
  }

  /** Re-reads the eager fields after headers were changed by hand. */
  refresh(): void {
    this.callId = detach(this.get('call-id')?.trim() ?? '');
    const cseq = this.get('cseq');
    if (cseq !== undefined) {
      const m = /^\s*(\d+)\s+(\S+)\s*$/.exec(cseq);
      if (m) {
        this.cseq = Number(m[1]);
        this.cseqMethod = m[2]!;
      }
    }
    const from = this.get('from');
    this.fromTag = from === undefined ? '' : detach(tagOf(from));
    const to = this.get('to');
    this.toTag = to === undefined ? '' : detach(tagOf(to));
    const v = this.get('via');
    this.via = v === undefined ? undefined : parseVia(splitList(v)[0] ?? '');
  }
}

/**
 * A copy of `s` that shares no storage with the string it was cut from. V8 makes substrings of 13 characters
 * or more views into their parent, so keeping one short value (a Call-ID) would keep a whole message alive.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}
