import { BlockList, isIP } from 'node:net';
import type { Database } from 'better-sqlite3';
import { listTrunks } from '../config/repositories/trunks.ts';
import type { Trunk } from '../config/site-schema.ts';

/**
 * The configured trunks, and which one a request came from. A trunk is recognised by its host's address or by
 * one of its inbound_addresses; registration-based carriers send calls from the host they register to.
 * Re-read from the store on every lookup so an applied site file takes effect without a restart.
 */
export class TrunkRegistry {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  list(): Trunk[] {
    return listTrunks(this.#db);
  }

  get(name: string): Trunk | undefined {
    return this.list().find((t) => t.name === name);
  }

  /**
   * The trunk a request from address:port belongs to: the host and port of a trunk first (several carriers
   * may share an address), then any trunk listing the address in host or inbound_addresses.
   */
  matchSource(address: string, port: number): Trunk | undefined {
    const trunks = this.list();
    const bare = (h: string) => h.replace(/^\[|\]$/g, '');
    const exact = trunks.find((t) => bare(t.host) === address && t.port === port);
    if (exact) return exact;
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    return trunks.find((t) => {
      const list = new BlockList();
      for (const a of [t.host, ...t.inbound_addresses]) {
        const [net, bits] = bare(a).split('/') as [string, string | undefined];
        const fam = isIP(net);
        if (fam === 0) continue;
        if (bits === undefined) list.addAddress(net, fam === 6 ? 'ipv6' : 'ipv4');
        else list.addSubnet(net, Number(bits), fam === 6 ? 'ipv6' : 'ipv4');
      }
      return list.check(address, family);
    });
  }

  /** Credentials for a carrier that challenges our requests. */
  credentials(t: Trunk): { username: string; password: string } | undefined {
    if (t.auth) return { username: t.auth.user, password: t.auth.password };
    if (t.register) return { username: t.register.auth_user ?? t.register.user, password: t.register.password };
    return undefined;
  }
}

/** `sip:user@host:port;transport=x` for a trunk. */
export function trunkUri(t: Trunk, user: string): string {
  const host = isIP(t.host) === 6 ? `[${t.host}]` : t.host;
  return `sip:${user}@${host}:${t.port}${t.transport === 'udp' ? '' : `;transport=${t.transport}`}`;
}

/** `sip:host:port;transport=x`: the carrier itself, for requests outside a call (OPTIONS). */
export function trunkHostUri(t: Trunk): string {
  const host = isIP(t.host) === 6 ? `[${t.host}]` : t.host;
  return `sip:${host}:${t.port}${t.transport === 'udp' ? '' : `;transport=${t.transport}`}`;
}
