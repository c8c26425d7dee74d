import { canonicalName, normalizeName } from './header-names.ts';
import { detach, SipMessage } from './message.ts';
import { parseNameAddr, parseUri, parseVia, splitList, tagOf } from './tokens.ts';

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

/** The first problem found; parsing goes on so the partial message can still be answered. */
interface Problems {
  first: SipParseError | undefined;
}

function note(p: Problems, reason: string, status: number, msg: SipMessage): void {
  if (!p.first) p.first = new SipParseError(reason, status, msg);
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
  const problems: Problems = { first: undefined };
  parseStartLine(lines[0] ?? '', msg, problems);

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
      if (current) current.value += ' ' + line.trim();
      else note(problems, 'continuation line without a header', 400, msg);
      continue;
    }
    flush();
    const colon = line.indexOf(':');
    const raw = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!raw || !TOKEN.test(raw)) {
      note(problems, `malformed header line "${line.slice(0, 40)}"`, 400, msg);
      continue;
    }
    current = { raw, value: line.slice(colon + 1) };
  }
  flush();

  fillEager(msg, opts.relaxed === true, problems);
  if (problems.first) throw problems.first;
  msg.body = checkBody(msg, body, opts);
  return msg;
}

function parseStartLine(line: string, msg: SipMessage, problems: Problems): void {
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
  if (!/^SIP\/\d+\.\d+$/i.test(version)) note(problems, 'malformed SIP version', 400, msg);
  else if (version.toUpperCase() !== 'SIP/2.0') note(problems, 'Version Not Supported', 505, msg);
}

function fillEager(msg: SipMessage, relaxed: boolean, problems: Problems): void {
  let callId: string | undefined;
  let cseq: string | undefined;
  let from: string | undefined;
  let to: string | undefined;
  let topVia: string | undefined;
  const dup = (name: string) => note(problems, `multiple ${name} headers`, 400, msg);
  for (const h of msg.headers) {
    switch (h.name) {
      case 'call-id':
        if (callId !== undefined && callId !== h.value) dup('Call-ID');
        else callId = h.value;
        break;
      case 'cseq':
        if (cseq !== undefined && cseq !== h.value) dup('CSeq');
        else cseq = h.value;
        break;
      case 'from':
        if (from !== undefined) dup('From');
        else from = h.value;
        break;
      case 'to':
        if (to !== undefined) dup('To');
        else to = h.value;
        break;
      case 'via':
        if (topVia === undefined) topVia = h.value;
        break;
    }
  }
  // The fields a response needs come first, so that later problems can still be answered.
  // The identifiers are copied out of the message text: transactions and dialogs keep them (and keys made
  // of them) long after the message is gone, and a substring would keep the whole text alive.
  if (topVia !== undefined) {
    msg.via = parseVia(splitList(topVia)[0] ?? '');
    if (!msg.via) throw new SipParseError('malformed Via header', 400, msg);
    msg.via.branch = detach(msg.via.branch);
    msg.via.host = detach(msg.via.host);
  }
  if (callId !== undefined) msg.callId = detach(callId);
  if (from !== undefined) msg.fromTag = detach(tagOf(from));
  if (to !== undefined) msg.toTag = detach(tagOf(to));
  if (cseq !== undefined) {
    const m = /^(\d{1,10})\s+([A-Za-z0-9\-.!%*_+`'~]+)$/.exec(cseq);
    if (!m || Number(m[1]) > 0xffffffff) note(problems, 'malformed CSeq header', 400, msg);
    else {
      msg.cseq = Number(m[1]);
      msg.cseqMethod = m[2]!;
    }
  }
  if (relaxed) return;
  if (topVia === undefined) throw new SipParseError('missing Via header', 400, msg);
  if (!callId) throw new SipParseError('missing Call-ID header', 400, msg);
  if (cseq === undefined) throw new SipParseError('missing CSeq header', 400, msg);
  if (from === undefined) throw new SipParseError('missing From header', 400, msg);
  if (to === undefined) throw new SipParseError('missing To header', 400, msg);
  if (!parseNameAddr(from)) note(problems, 'malformed From header', 400, msg);
  if (!parseNameAddr(to)) note(problems, 'malformed To header', 400, msg);
  if (msg.isRequest) {
    if (msg.cseqMethod && msg.cseqMethod !== msg.method) note(problems, 'CSeq method does not match the request method', 400, msg);
    const uri = parseUri(msg.uri);
    if (!uri) note(problems, 'malformed Request-URI', 400, msg);
    else if (uri.scheme !== 'sip' && uri.scheme !== 'sips' && uri.scheme !== 'tel') note(problems, 'Unsupported URI Scheme', 416, msg);
    const mf = msg.get('max-forwards');
    if (mf !== undefined && !/^\d{1,10}$/.test(mf)) note(problems, 'malformed Max-Forwards header', 400, msg);
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
