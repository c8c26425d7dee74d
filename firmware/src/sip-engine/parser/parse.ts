import { canonicalName, normalizeName } from './header-names.ts';
import { SipMessage } from './message.ts';
import { parseUri, parseVia, splitList, tagOf } from './tokens.ts';

/**
 * A message the engine refuses. `status` is the response a request deserves (400, 505, 416); `partial` holds what
 * was read, so the caller can answer when the headers a response needs are there.
 */
export class SipParseError extends Error {
  status: number;
  partial: SipMessage | undefined;
  constructor(reason: string, status = 400, partial?: SipMessage) {
    super(reason);
    this.status = status;
    this.partial = partial;
  }
}

export interface ParseOptions {
  /**
   * 'datagram': a body shorter than Content-Length is an error and a longer one is cut (RFC 3261 section 18.3);
   * 'exact': the caller already framed the message by Content-Length (TCP);
   * 'ignore': the body is everything after the blank line (drachtio apps count UTF-16 units, not bytes).
   */
  bodyMode: 'datagram' | 'exact' | 'ignore';
  /** App-written messages: the engine completes Via, From, To, Call-ID and CSeq, so none is required. */
  relaxed?: boolean;
}

const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

/** Index of the blank line ending the headers and the length of its terminator, or -1. */
export function findHeaderEnd(text: string): { index: number; sep: number } {
  const crlf = text.indexOf('\r\n\r\n');
  const lf = text.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { index: crlf, sep: 4 };
  if (lf >= 0) return { index: lf, sep: 2 };
  return { index: -1, sep: 0 };
}

/** Parses one SIP message. Throws SipParseError; never anything else. */
export function parseMessage(text: string, opts: ParseOptions): SipMessage {
  try {
    return parseInner(text, opts);
  } catch (err) {
    if (err instanceof SipParseError) throw err;
    throw new SipParseError(`unparseable message: ${(err as Error).message}`);
  }
}

function parseInner(text: string, opts: ParseOptions): SipMessage {
  let start = 0;
  // RFC 3261 section 7.5: CRLFs before the start line are ignored
  while (text.charCodeAt(start) === 13 || text.charCodeAt(start) === 10) start++;
  const { index: hdrEnd, sep } = findHeaderEnd(text.slice(start));
  if (hdrEnd < 0) throw new SipParseError('no blank line after the headers');
  const head = text.slice(start, start + hdrEnd);
  const body = text.slice(start + hdrEnd + sep);
  const lines = head.split(/\r?\n/);
  const msg = new SipMessage();
  parseStartLine(lines[0] ?? '', msg);

  // Unfold continuation lines (RFC 3261 section 7.3.1) while collecting headers.
  let current: { raw: string; value: string } | undefined;
  const flush = () => {
    if (!current) return;
    const lc = normalizeName(current.raw);
    msg.headers.push({ name: lc, raw: current.raw.length === 1 ? canonicalName(lc) : current.raw, value: current.value.trim() });
    current = undefined;
  };
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const c0 = line.charCodeAt(0);
    if (c0 === 32 || c0 === 9) {
      if (!current) throw new SipParseError('continuation line without a header', 400, msg);
      current.value += ' ' + line.trim();
      continue;
    }
    flush();
    const colon = line.indexOf(':');
    if (colon <= 0) throw new SipParseError(`malformed header line "${line.slice(0, 40)}"`, 400, msg);
    const raw = line.slice(0, colon).trim();
    if (!TOKEN.test(raw)) throw new SipParseError(`malformed header name "${raw.slice(0, 40)}"`, 400, msg);
    current = { raw, value: line.slice(colon + 1) };
  }
  flush();

  fillEager(msg, opts.relaxed === true);
  msg.body = checkBody(msg, body, opts);
  return msg;
}

function parseStartLine(line: string, msg: SipMessage): void {
  if (line.startsWith('SIP/')) {
    const m = /^SIP\/(\d+\.\d+) (\d{3}) ?(.*)$/.exec(line);
    if (!m) throw new SipParseError('malformed status line', 0);
    if (m[1] !== '2.0') throw new SipParseError(`unsupported SIP version ${m[1]}`, 0);
    msg.isRequest = false;
    msg.status = Number(m[2]);
    msg.reason = m[3] ?? '';
    if (msg.status < 100 || msg.status > 699) throw new SipParseError('status code out of range', 0);
    return;
  }
  const parts = line.split(' ');
  if (parts.length !== 3) throw new SipParseError('malformed request line', 0);
  const [method, uri, version] = parts as [string, string, string];
  if (!TOKEN.test(method)) throw new SipParseError('malformed method', 0);
  msg.method = method;
  msg.uri = uri;
  if (!/^SIP\/\d+\.\d+$/i.test(version)) throw new SipParseError('malformed SIP version', 400, msg);
  if (version.toUpperCase() !== 'SIP/2.0') throw new SipParseError('Version Not Supported', 505, msg);
}

function fillEager(msg: SipMessage, relaxed: boolean): void {
  let callId: string | undefined;
  let cseq: string | undefined;
  let from: string | undefined;
  let to: string | undefined;
  let topVia: string | undefined;
  for (const h of msg.headers) {
    switch (h.name) {
      case 'call-id':
        if (callId !== undefined && callId !== h.value) throw new SipParseError('multiple Call-ID headers', 400, msg);
        callId = h.value;
        break;
      case 'cseq':
        if (cseq !== undefined && cseq !== h.value) throw new SipParseError('multiple CSeq headers', 400, msg);
        cseq = h.value;
        break;
      case 'from':
        if (from !== undefined) throw new SipParseError('multiple From headers', 400, msg);
        from = h.value;
        break;
      case 'to':
        if (to !== undefined) throw new SipParseError('multiple To headers', 400, msg);
        to = h.value;
        break;
      case 'via':
        if (topVia === undefined) topVia = h.value;
        break;
    }
  }
  if (topVia !== undefined) {
    const first = splitList(topVia)[0] ?? '';
    msg.via = parseVia(first);
    if (!msg.via) throw new SipParseError('malformed Via header', 400, msg);
  }
  if (callId !== undefined) msg.callId = callId;
  if (from !== undefined) msg.fromTag = tagOf(from);
  if (to !== undefined) msg.toTag = tagOf(to);
  if (cseq !== undefined) {
    const m = /^(\d{1,10})\s+([A-Za-z0-9\-.!%*_+`'~]+)$/.exec(cseq);
    if (!m || Number(m[1]) > 0xffffffff) throw new SipParseError('malformed CSeq header', 400, msg);
    msg.cseq = Number(m[1]);
    msg.cseqMethod = m[2]!;
  }
  if (relaxed) return;
  if (topVia === undefined) throw new SipParseError('missing Via header', 400, msg);
  if (!callId) throw new SipParseError('missing Call-ID header', 400, msg);
  if (cseq === undefined) throw new SipParseError('missing CSeq header', 400, msg);
  if (from === undefined) throw new SipParseError('missing From header', 400, msg);
  if (to === undefined) throw new SipParseError('missing To header', 400, msg);
  if (msg.isRequest) {
    if (msg.cseqMethod !== msg.method) throw new SipParseError('CSeq method does not match the request method', 400, msg);
    const uri = parseUri(msg.uri);
    if (!uri) throw new SipParseError('malformed Request-URI', 400, msg);
    if (uri.scheme !== 'sip' && uri.scheme !== 'sips' && uri.scheme !== 'tel') throw new SipParseError('Unsupported URI Scheme', 416, msg);
    const mf = msg.get('max-forwards');
    if (mf !== undefined && !/^\d{1,3}$/.test(mf)) throw new SipParseError('malformed Max-Forwards header', 400, msg);
  }
}

function checkBody(msg: SipMessage, body: string, opts: ParseOptions): string {
  const cl = msg.get('content-length');
  if (opts.bodyMode === 'ignore') return body;
  if (cl === undefined) return body;
  if (!/^\d{1,9}$/.test(cl)) throw new SipParseError('malformed Content-Length header', 400, msg);
  const want = Number(cl);
  const have = Buffer.byteLength(body);
  if (have === want) return body;
  if (have < want) throw new SipParseError('body shorter than Content-Length', 400, msg);
  // Longer: the extra bytes are not part of this message (RFC 3261 section 18.3).
  return Buffer.from(body).subarray(0, want).toString();
}
