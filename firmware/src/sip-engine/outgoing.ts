import type { SipMessage } from './parser/message.ts';
import { formatNameAddr, parseNameAddr, splitList } from './parser/tokens.ts';
import type { Dest } from './transaction/types.ts';
import { hostPort, type ListenPoint } from './transport/types.ts';

/** `<sip:host:port[;transport=tcp]>` for a listen point. */
export function contactFor(lp: ListenPoint, user = ''): string {
  const host = hostPort(lp.external ?? lp.host, lp.port);
  return `<sip:${user ? user + '@' : ''}${host}${lp.proto === 'udp' ? '' : `;transport=${lp.proto}`}>`;
}

/** Apps write `…@localhost` when they mean "this server": put the transport's host:port there. */
export function rewriteLocalhost(msg: SipMessage, lp: ListenPoint): void {
  const hp = hostPort(lp.external ?? lp.host, lp.port);
  for (const h of msg.headers) {
    if (h.name !== 'from' && h.name !== 'to' && h.name !== 'contact' && h.name !== 'p-asserted-identity') continue;
    if (h.value.includes('@localhost')) h.value = h.value.replace(/@localhost(:\d+)?/g, '@' + hp);
  }
}

/**
 * Apps often write `From: sip:a@b` or `Contact: sip:a@b`; drachtio's stack re-encodes these as name-addr, and peers
 * such as SIPp expect `<...>` around the URI (`<sip:(.*)>` in scenarios). Do the same.
 */
export function bracketAddresses(msg: SipMessage): void {
  for (const h of msg.headers) {
    if (h.name !== 'from' && h.name !== 'to' && h.name !== 'contact' && h.name !== 'p-asserted-identity') continue;
    if (h.value.includes('<') || h.value.trim() === '*') continue;
    const parts = h.name === 'contact' ? splitList(h.value) : [h.value];
    const out = parts.map((v) => {
      const na = parseNameAddr(v);
      return na ? formatNameAddr(na) : v;
    });
    h.value = out.join(', ');
  }
}

/** True when a URI points at one of our own listen points. */
export function isSelf(dest: Dest, listen: ListenPoint[]): boolean {
  return listen.some((lp) => lp.port === dest.port && (lp.host === dest.address || (lp.host === '0.0.0.0' && dest.address.startsWith('127.'))));
}

const AUTH_HEADERS = new Set(['www-authenticate', 'proxy-authenticate', 'authorization', 'proxy-authorization']);
/** `Scheme param=` opens a new challenge or credentials; a bare `param=` continues the current one. */
const AUTH_START = /^\s*[A-Za-z0-9!%'*+._`~-]+\s+[A-Za-z0-9!%'*+._`~-]+\s*=/;

/**
 * drachtio-srf writes an array header value comma-joined on one line, so several digest challenges (one per
 * algorithm) arrive as one WWW-Authenticate. A challenge's own parameters are comma-separated too, and RFC 3261's
 * grammar (section 25.1) has one challenge or credentials per header, so each gets its own header again.
 */
export function splitAuthHeaders(msg: SipMessage): void {
  if (!msg.headers.some((h) => AUTH_HEADERS.has(h.name))) return;
  msg.headers = msg.headers.flatMap((h) => {
    if (!AUTH_HEADERS.has(h.name)) return [h];
    const groups: string[] = [];
    for (const item of splitList(h.value)) {
      if (groups.length === 0 || AUTH_START.test(item)) groups.push(item);
      else groups[groups.length - 1] += `, ${item}`;
    }
    return groups.map((value) => ({ ...h, value }));
  });
}
