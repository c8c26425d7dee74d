import dns from 'node:dns';
import net from 'node:net';
import type { SipMessage } from './parser/message.ts';
import { formatNameAddr, parseNameAddr, parseUri, splitList } from './parser/tokens.ts';
import type { Dest } from './transaction/types.ts';
import { hostPort, type ListenPoint, type Proto } from './transport/types.ts';

/** Host names resolved without DNS (tests map names to loopback addresses); the rest goes to the resolver. */
export type HostMap = Record<string, string>;

/**
 * Where to send a request for `uri` (RFC 3263 reduced to A/AAAA lookups: no NAPTR/SRV). The transport comes from
 * the URI's transport parameter, else UDP; sips means TLS.
 */
export async function resolveDest(uri: string, hosts: HostMap): Promise<Dest | undefined> {
  const bare = uri.includes('<') ? (parseNameAddr(uri)?.uri ?? uri) : uri;
  const u = parseUri(bare.includes(':') ? bare : `sip:${bare}`);
  if (!u || (u.scheme !== 'sip' && u.scheme !== 'sips')) return undefined;
  const t = (u.params.get('transport') ?? '').toLowerCase();
  const proto: Proto = t === 'tls' || u.scheme === 'sips' ? 'tls' : t === 'tcp' ? 'tcp' : 'udp';
  const port = u.port || (proto === 'tls' ? 5061 : 5060);
  let address = hosts[u.host.toLowerCase()] ?? u.host;
  if (!net.isIP(address)) {
    try {
      address = (await dns.promises.lookup(address)).address;
    } catch {
      return undefined;
    }
  }
  return { proto, address, port };
}

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
