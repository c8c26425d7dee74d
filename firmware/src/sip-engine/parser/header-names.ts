/** RFC 3261 section 7.3.3 and later RFCs' compact forms, mapped to the lower-case long name. */
const COMPACT: Record<string, string> = {
  i: 'call-id', m: 'contact', e: 'content-encoding', l: 'content-length', c: 'content-type', f: 'from',
  s: 'subject', k: 'supported', t: 'to', v: 'via', r: 'refer-to', b: 'referred-by', o: 'event',
  u: 'allow-events', x: 'session-expires', a: 'accept-contact', j: 'reject-contact', d: 'request-disposition',
  y: 'identity', n: 'identity-info',
};

/** How well-known headers are spelled on the wire; others get a capital after each '-'. */
const CANONICAL: Record<string, string> = {
  'call-id': 'Call-ID', cseq: 'CSeq', via: 'Via', from: 'From', to: 'To', contact: 'Contact',
  'content-type': 'Content-Type', 'content-length': 'Content-Length', 'max-forwards': 'Max-Forwards',
  'record-route': 'Record-Route', route: 'Route', 'www-authenticate': 'WWW-Authenticate',
  'proxy-authenticate': 'Proxy-Authenticate', rseq: 'RSeq', rack: 'RAck', 'mime-version': 'MIME-Version',
  'p-asserted-identity': 'P-Asserted-Identity', 'p-preferred-identity': 'P-Preferred-Identity',
  'min-se': 'Min-SE', 'sip-etag': 'SIP-ETag', 'sip-if-match': 'SIP-If-Match', 'user-agent': 'User-Agent',
};

/** Lower-case long name of a header as found on the wire (compact forms expanded). */
export function normalizeName(raw: string): string {
  const lc = raw.toLowerCase();
  if (lc.length === 1) return COMPACT[lc] ?? lc;
  return lc;
}

/** Wire spelling for a lower-case header name. */
export function canonicalName(lc: string): string {
  const known = CANONICAL[lc];
  if (known !== undefined) return known;
  let out = '';
  let up = true;
  for (const ch of lc) {
    out += up ? ch.toUpperCase() : ch;
    up = ch === '-';
  }
  return out;
}

/** Headers whose values may be comma-joined lists (RFC 3261 section 7.3.1). */
export const LIST_HEADERS = new Set(['via', 'route', 'record-route', 'contact', 'allow', 'supported', 'require', 'proxy-require', 'unsupported', 'path']);
