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

/** Where to send a request first, and the further SRV targets to try when that fails (RFC 3263 section 4.3). */
export interface Targets {
  dest: Dest;
  /** True when SRV gave more targets than the first (their addresses are looked up only when needed). */
  more: boolean;
  /** The next target that resolves to an address, in RFC 2782 order; undefined when none is left. */
  next(): Promise<Dest | undefined>;
}

/**
 * Where to send a request for `uri` (RFC 3263 section 4): an IP address or an explicit port needs only A/AAAA;
 * a domain without a transport is looked up by NAPTR (services we can send on, by order and preference), then SRV
 * for each transport we have. SRV targets are ordered by priority and weight (RFC 2782).
 */
export async function resolveTargets(uri: string, r: DestResolver): Promise<Targets | undefined> {
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
    return address === undefined ? undefined : single({ proto: p, address, port: u.port || defaultPort(p) });
  }
  let srvName: string | undefined;
  if (!proto) {
    const naptr = await naptrFor(host, sips, r);
    if (naptr) [proto, srvName] = naptr;
  } else if (SRV_PREFIX[proto]) srvName = SRV_PREFIX[proto] + host;
  let srv = srvName ? await srvFor(srvName, r) : [];
  if (!proto) {
    for (const p of (sips ? ['tls'] : ['udp', 'tcp', 'tls']) as Proto[]) {
      if (!r.protos.includes(p)) continue;
      srv = await srvFor(SRV_PREFIX[p]! + host, r);
      if (srv.length) {
        proto = p;
        break;
      }
    }
  }
  const p = proto ?? 'udp';
  if (!srv.length) {
    const address = await addressOf(host, r);
    return address === undefined ? undefined : single({ proto: p, address, port: defaultPort(p) });
  }
  // A target whose name does not resolve is skipped like one that does not answer.
  const next = async (): Promise<Dest | undefined> => {
    for (let s = srv.shift(); s; s = srv.shift()) {
      const address = await addressOf(s.name, r);
      if (address !== undefined) return { proto: p, address, port: s.port };
    }
    return undefined;
  };
  const dest = await next();
  return dest && { dest, more: srv.length > 0, next };
}

const single = (dest: Dest): Targets => ({ dest, more: false, next: async () => undefined });

/** The first target only (in-dialog requests and proxying try no other). */
export async function resolveDest(uri: string, r: DestResolver): Promise<Dest | undefined> {
  return (await resolveTargets(uri, r))?.dest;
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

/** SRV records in the order RFC 2782 says to try them: by priority, then a weighted random draw within a priority. */
async function srvFor(name: string, r: DestResolver): Promise<dns.SrvRecord[]> {
  const records = (await quiet(r.dns.resolveSrv(name))) ?? [];
  const ordered: dns.SrvRecord[] = [];
  for (const prio of [...new Set(records.map((s) => s.priority))].sort((a, b) => a - b)) {
    const left = records.filter((s) => s.priority === prio);
    while (left.length) {
      let pick = Math.random() * left.reduce((n, s) => n + s.weight, 0);
      const i = left.findIndex((s) => (pick -= s.weight) < 0);
      ordered.push(left.splice(Math.max(i, 0), 1)[0]!);
    }
  }
  return ordered;
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
