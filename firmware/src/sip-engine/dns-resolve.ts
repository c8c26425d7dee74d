import dns from 'node:dns';
import net from 'node:net';
import { parseNameAddr, parseUri } from './parser/tokens.ts';
import type { Dest } from './transaction/types.ts';
import type { Proto } from './transport/types.ts';

/** Host names resolved without DNS (tests map names to loopback addresses); the rest goes to the resolver. */
export type HostMap = Record<string, string>;

/** How the engine finds the next hop: fixed names, a DNS resolver, and the transports it can send on. */
export interface DestResolver {
  hosts: HostMap;
  dns: dns.promises.Resolver;
  /** True when the resolver has its own servers (`--dns-server`): A/AAAA then go to them, not to getaddrinfo. */
  ownServers: boolean;
  protos: readonly Proto[];
}

export function newDestResolver(hosts: HostMap, protos: readonly Proto[], servers: string[]): DestResolver {
  const r = new dns.promises.Resolver({ timeout: 2000, tries: 2 });
  if (servers.length) r.setServers(servers);
  return { hosts, dns: r, ownServers: servers.length > 0, protos };
}

const NAPTR_SERVICES: Record<string, Proto> = { 'SIP+D2U': 'udp', 'SIP+D2T': 'tcp', 'SIPS+D2T': 'tls' };
const SRV_PREFIX: Partial<Record<Proto, string>> = { udp: '_sip._udp.', tcp: '_sip._tcp.', tls: '_sips._tcp.' };
const defaultPort = (p: Proto) => (p === 'tls' ? 5061 : p === 'ws' ? 80 : p === 'wss' ? 443 : 5060);

/**
 * Where to send a request for `uri` (RFC 3263 section 4): an IP address or an explicit port needs only A/AAAA;
 * a domain without a transport is looked up by NAPTR (services we can send on, by order and preference), then SRV
 * for each transport we have; SRV targets are picked by priority and weight (RFC 2782). Only the first target is
 * used (no failover to the next SRV record).
 */
export async function resolveDest(uri: string, r: DestResolver): Promise<Dest | undefined> {
  const bare = uri.includes('<') ? (parseNameAddr(uri)?.uri ?? uri) : uri;
  const u = parseUri(bare.includes(':') ? bare : `sip:${bare}`);
  if (!u || (u.scheme !== 'sip' && u.scheme !== 'sips')) return undefined;
  const sips = u.scheme === 'sips';
  const t = (u.params.get('transport') ?? '').toLowerCase();
  let proto: Proto | undefined = t === 'ws' || t === 'wss' ? t : t === 'tls' || sips ? 'tls' : t === 'tcp' ? 'tcp' : t === 'udp' ? 'udp' : undefined;
  const host = u.host.toLowerCase();
  const fixed = r.hosts[host] ?? (net.isIP(host) ? host : undefined);
  if (fixed !== undefined || u.port) {
    const p = proto ?? 'udp';
    const address = fixed ?? (await addressOf(host, r));
    return address === undefined ? undefined : { proto: p, address, port: u.port || defaultPort(p) };
  }
  let srvName: string | undefined;
  if (!proto) {
    const naptr = await naptrFor(host, sips, r);
    if (naptr) [proto, srvName] = naptr;
  } else if (SRV_PREFIX[proto]) srvName = SRV_PREFIX[proto] + host;
  let srv = srvName ? await srvFor(srvName, r) : undefined;
  if (!proto) {
    for (const p of (sips ? ['tls'] : ['udp', 'tcp', 'tls']) as Proto[]) {
      if (!r.protos.includes(p)) continue;
      srv = await srvFor(SRV_PREFIX[p]! + host, r);
      if (srv) {
        proto = p;
        break;
      }
    }
  }
  const p = proto ?? 'udp';
  const address = await addressOf(srv?.name ?? host, r);
  return address === undefined ? undefined : { proto: p, address, port: srv?.port ?? defaultPort(p) };
}

async function naptrFor(host: string, sips: boolean, r: DestResolver): Promise<[Proto, string] | undefined> {
  const records = await quiet(r.dns.resolveNaptr(host));
  const usable = (records ?? [])
    .filter((n) => n.flags.toLowerCase() === 's' && NAPTR_SERVICES[n.service.toUpperCase()] && r.protos.includes(NAPTR_SERVICES[n.service.toUpperCase()]!))
    .filter((n) => !sips || NAPTR_SERVICES[n.service.toUpperCase()] === 'tls')
    .sort((a, b) => a.order - b.order || a.preference - b.preference);
  const best = usable[0];
  return best ? [NAPTR_SERVICES[best.service.toUpperCase()]!, best.replacement] : undefined;
}

async function srvFor(name: string, r: DestResolver): Promise<dns.SrvRecord | undefined> {
  const records = await quiet(r.dns.resolveSrv(name));
  if (!records?.length) return undefined;
  const top = Math.min(...records.map((s) => s.priority));
  const candidates = records.filter((s) => s.priority === top);
  const total = candidates.reduce((n, s) => n + s.weight, 0);
  let pick = Math.random() * total;
  for (const s of candidates) {
    pick -= s.weight;
    if (pick < 0) return s;
  }
  return candidates[0];
}

async function addressOf(host: string, r: DestResolver): Promise<string | undefined> {
  if (r.hosts[host]) return r.hosts[host];
  if (net.isIP(host)) return host;
  if (!r.ownServers) return (await quiet(dns.promises.lookup(host)))?.address;
  return (await quiet(r.dns.resolve4(host)))?.[0] ?? (await quiet(r.dns.resolve6(host)))?.[0];
}

/** A lookup that finds nothing is not an error here: the next step of RFC 3263 takes over. */
async function quiet<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch {
    return undefined;
  }
}
