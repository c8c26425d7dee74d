/**
 * Small scanners for the pieces of RFC 3261 grammar the engine reads: comma lists that respect quotes and
 * angle brackets, parameters, name-addr, URIs (IPv6 included) and Via values. They never throw: callers
 * check for undefined.
 */

/** Splits a header value at top-level commas (not inside "..." or <...>). */
export function splitList(value: string): string[] {
  const out: string[] = [];
  let start = 0;
  let inQuote = false;
  let inAngle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (inQuote) {
      if (c === 92) i++; // backslash escape
      else if (c === 34) inQuote = false;
    } else if (c === 34) inQuote = true;
    else if (c === 60) inAngle = true;
    else if (c === 62) inAngle = false;
    else if (c === 44 && !inAngle) {
      const part = value.slice(start, i).trim();
      if (part) out.push(part);
      start = i + 1;
    }
  }
  const last = value.slice(start).trim();
  if (last) out.push(last);
  return out;
}

/** Parses ";a=b;c" into a map (names lower-cased, quotes kept off). */
export function parseParams(s: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of s.split(';')) {
    const p = part.trim();
    if (!p) continue;
    const eq = p.indexOf('=');
    if (eq < 0) m.set(p.toLowerCase(), '');
    else {
      let v = p.slice(eq + 1).trim();
      if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
      m.set(p.slice(0, eq).trim().toLowerCase(), v);
    }
  }
  return m;
}

export interface NameAddr {
  display: string;
  uri: string;
  /** Header parameters (after the URI), e.g. tag. */
  params: Map<string, string>;
  /** Raw text of the header parameters including the leading ';' (empty if none). */
  paramText: string;
}

/** name-addr / addr-spec with header params (From, To, Contact, Route, Record-Route, Refer-To). */
export function parseNameAddr(value: string): NameAddr | undefined {
  const v = value.trim();
  if (!v) return undefined;
  let i = 0;
  let display = '';
  if (v[0] === '"') {
    i = 1;
    while (i < v.length && v[i] !== '"') i += v[i] === '\\' ? 2 : 1;
    if (i >= v.length) return undefined;
    display = v.slice(0, i + 1);
    i++;
  }
  const lt = v.indexOf('<', i);
  if (lt >= 0) {
    if (!display) display = v.slice(i, lt).trim();
    const gt = v.indexOf('>', lt);
    if (gt < 0) return undefined;
    const uri = v.slice(lt + 1, gt).trim();
    const paramText = v.slice(gt + 1).trim();
    if (paramText && paramText[0] !== ';') return undefined;
    return { display, uri, params: parseParams(paramText), paramText };
  }
  if (display) return undefined;
  // addr-spec without brackets: parameters after the URI belong to the header (RFC 3261 section 20.10)
  const semi = v.indexOf(';');
  const uri = (semi < 0 ? v : v.slice(0, semi)).trim();
  const paramText = semi < 0 ? '' : v.slice(semi);
  if (/\s/.test(uri)) return undefined;
  return { display: '', uri, params: parseParams(paramText), paramText };
}

export function formatNameAddr(na: NameAddr): string {
  return `${na.display ? na.display + ' ' : ''}<${na.uri}>${na.paramText}`;
}

/** The tag parameter of a From/To value, or '' (cheap: no full parse). */
export function tagOf(value: string): string {
  const gt = value.lastIndexOf('>');
  const from = gt >= 0 ? gt : 0;
  const lc = value.toLowerCase();
  const i = lc.indexOf(';tag=', from);
  if (i < 0) {
    // Rare spellings with whitespace around ';' or '=': take the slow, exact path.
    return lc.includes('tag', from) ? (parseNameAddr(value)?.params.get('tag') ?? '') : '';
  }
  const start = i + 5;
  let end = start;
  while (end < value.length && value[end] !== ';' && value[end] !== ' ' && value[end] !== ',' && value[end] !== '\t') end++;
  return value.slice(start, end);
}

export interface SipUri {
  scheme: string;
  user: string;
  host: string;
  port: number;
  params: Map<string, string>;
}

/** sip:/sips: URI; host keeps IPv6 brackets off. Other schemes: only `scheme` is meaningful. */
export function parseUri(uri: string): SipUri | undefined {
  const colon = uri.indexOf(':');
  if (colon <= 0) return undefined;
  const scheme = uri.slice(0, colon).toLowerCase();
  if (!/^[a-z][a-z0-9+.-]*$/.test(scheme)) return undefined;
  if (scheme !== 'sip' && scheme !== 'sips') return { scheme, user: '', host: '', port: 0, params: new Map() };
  let rest = uri.slice(colon + 1);
  const q = rest.indexOf('?');
  if (q >= 0) rest = rest.slice(0, q);
  const at = rest.lastIndexOf('@');
  const user = at >= 0 ? rest.slice(0, at) : '';
  rest = at >= 0 ? rest.slice(at + 1) : rest;
  let host: string;
  let after: string;
  if (rest.startsWith('[')) {
    const rb = rest.indexOf(']');
    if (rb < 0) return undefined;
    host = rest.slice(1, rb);
    after = rest.slice(rb + 1);
  } else {
    const end = rest.search(/[:;]/);
    host = end < 0 ? rest : rest.slice(0, end);
    after = end < 0 ? '' : rest.slice(end);
  }
  if (!host || !/^[A-Za-z0-9.\-_:]+$/.test(host)) return undefined;
  let port = 0;
  if (after.startsWith(':')) {
    const semi = after.indexOf(';');
    const p = semi < 0 ? after.slice(1) : after.slice(1, semi);
    if (!/^\d{1,5}$/.test(p) || Number(p) > 65535) return undefined;
    port = Number(p);
    after = semi < 0 ? '' : after.slice(semi);
  }
  if (after && after[0] !== ';') return undefined;
  return { scheme, user, host, port, params: parseParams(after) };
}

export interface Via {
  transport: string;
  host: string;
  port: number;
  params: Map<string, string>;
  branch: string;
}

/** One Via value: "SIP/2.0/UDP host:port;params". */
export function parseVia(value: string): Via | undefined {
  const m = /^\s*SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z0-9-]+)\s+(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.\-_]+)(?:\s*:\s*(\d{1,5}))?\s*((?:;.*)?)$/.exec(value);
  if (!m) return undefined;
  const host = m[2]!.startsWith('[') ? m[2]!.slice(1, -1) : m[2]!;
  const port = m[3] ? Number(m[3]) : 0;
  if (port > 65535) return undefined;
  const params = parseParams(m[4] ?? '');
  return { transport: m[1]!.toUpperCase(), host, port, params, branch: params.get('branch') ?? '' };
}
