import { randomBytes } from 'node:crypto';
import { SipMessage } from './message.ts';

const REASONS: Record<number, string> = {
  100: 'Trying', 180: 'Ringing', 183: 'Session Progress', 200: 'OK', 202: 'Accepted', 400: 'Bad Request',
  401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 408: 'Request Timeout',
  416: 'Unsupported URI Scheme', 420: 'Bad Extension', 422: 'Session Interval Too Small', 480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist', 482: 'Loop Detected', 483: 'Too Many Hops', 486: 'Busy Here',
  487: 'Request Terminated', 488: 'Not Acceptable Here', 491: 'Request Pending', 500: 'Server Internal Error',
  501: 'Not Implemented', 503: 'Service Unavailable', 505: 'Version Not Supported',
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? (status < 200 ? 'Progress' : status < 300 ? 'OK' : 'Error');
}

/**
 * Tags and branches draw from one pool of random bytes refilled 4 KB at a time: a `randomBytes` call per token
 * was a visible share of the engine's CPU at high call rates.
 */
const POOL_SIZE = 4096;
let pool = randomBytes(POOL_SIZE);
let poolPos = 0;

function randomHex(bytes: number): string {
  if (poolPos + bytes > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    poolPos = 0;
  }
  const s = pool.toString('hex', poolPos, poolPos + bytes);
  poolPos += bytes;
  return s;
}

export function randomToken(bytes = 6): string {
  return randomHex(bytes);
}

export function newBranch(): string {
  return 'z9hG4bK' + randomHex(8);
}

/**
 * A response to `req` as RFC 3261 section 8.2.6 builds it: Via, From, To, Call-ID and CSeq copied; a To-tag
 * added when given and the request had none.
 */
export function buildResponse(req: SipMessage, status: number, reason = reasonPhrase(status), toTag?: string): SipMessage {
  const res = new SipMessage();
  res.isRequest = false;
  res.status = status;
  res.reason = reason;
  for (const h of req.headers) {
    if (h.name === 'via' || h.name === 'from' || h.name === 'call-id' || h.name === 'cseq') res.headers.push({ ...h });
    else if (h.name === 'to') {
      const value = toTag && !req.toTag ? `${h.value};tag=${toTag}` : h.value;
      res.headers.push({ name: 'to', raw: h.raw, value });
    }
  }
  res.callId = req.callId;
  res.cseq = req.cseq;
  res.cseqMethod = req.cseqMethod;
  res.fromTag = req.fromTag;
  res.toTag = req.toTag || toTag || '';
  res.via = req.via;
  return res;
}

/** RFC 3261 section 9.1: a CANCEL for `invite`, in the INVITE's branch. */
export function buildCancel(invite: SipMessage): SipMessage {
  const m = new SipMessage();
  m.method = 'CANCEL';
  m.uri = invite.uri;
  m.add('Via', invite.getAll('via')[0]!);
  m.add('Max-Forwards', '70');
  for (const h of invite.headers) if (h.name === 'from' || h.name === 'to' || h.name === 'call-id' || h.name === 'route') m.headers.push({ ...h });
  m.add('CSeq', `${invite.cseq} CANCEL`);
  m.refresh();
  return m;
}

/** A copy of `msg` whose first Via value is gone (a proxy forwarding a response upstream). */
export function withoutTopVia(msg: SipMessage): SipMessage {
  const out = copyMessage(msg);
  const i = out.headers.findIndex((h) => h.name === 'via');
  if (i >= 0) {
    const h = out.headers[i]!;
    const comma = topLevelComma(h.value);
    if (comma < 0) out.headers.splice(i, 1);
    else out.headers[i] = { ...h, value: h.value.slice(comma + 1).trim() };
  }
  out.refresh();
  return out;
}

export function copyMessage(msg: SipMessage): SipMessage {
  const out = new SipMessage();
  out.isRequest = msg.isRequest;
  out.method = msg.method;
  out.uri = msg.uri;
  out.status = msg.status;
  out.reason = msg.reason;
  out.headers = msg.headers.map((h) => ({ ...h }));
  out.body = msg.body;
  out.refresh();
  return out;
}

function topLevelComma(value: string): number {
  let inQuote = false;
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '"') inQuote = !inQuote;
    else if (value[i] === ',' && !inQuote) return i;
  }
  return -1;
}
