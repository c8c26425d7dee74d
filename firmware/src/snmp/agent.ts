import type { Socket as UdpSocket, RemoteInfo } from 'node:dgram';
import { once } from 'node:events';
import snmp, { type Agent } from 'net-snmp';
import type { Logger } from '../log.ts';
import type { SnmpConfig } from '../config/snmp-schema.ts';
import type { SnmpDataSource } from './data-source.ts';
import { normaliseEngineId } from './engine-id.ts';
import { inNetwork, peekMessage } from './message-peek.ts';
import { MibView, installFastGetNext, mibProviders } from './mib-view.ts';
import { Notifier, type Notification, type RateLimit } from './notifier.ts';
import { systemGroup } from './system-group.ts';
import type { NotificationName } from './oids.ts';
import { usmUser } from './usm.ts';

export interface SnmpAgentCounters {
  /** Datagrams received on the agent's socket. */
  requests: number;
  /**
   * Requests rejected for their credentials: unknown community or user, wrong digest or key, a community used
   * from outside its networks, SNMPv1. net-snmp answers none of these except unknown v3 users (with a usm report),
   * so the manager sees a timeout; this counter and the warning log are where they show.
   */
  authFailures: number;
  notificationsSent: number;
  notificationsSuppressed: number;
}

export interface SnmpAgent {
  readonly engineId: string;
  readonly port: number;
  readonly counters: SnmpAgentCounters;
  /** Rate-limited (see RateLimit); `family` groups notifications about one condition, e.g. `trunk:3`. */
  sendNotification<N extends NotificationName>(name: N, n: Omit<Notification<N>, 'name'>, family?: string): void;
  close(): Promise<void>;
}

export interface SnmpAgentOptions {
  bind: string;
  port: number;
  config: SnmpConfig;
  /** Persisted by the caller (generateEngineId() on first boot) so v3 users and trap receivers keep working. */
  engineId: string;
  source: SnmpDataSource;
  log: Logger;
  /** How old the copied data may be when a request arrives (default 1 s: one walk sees one consistent copy). */
  refreshMs?: number;
  rateLimit?: Partial<RateLimit>;
}

/** Counts and logs authentication failures; the log is throttled so a password-guessing NMS cannot flood it. */
export class AuthFailureLog {
  count = 0;
  #log: Logger;
  #windowStart = 0;
  #inWindow = 0;
  constructor(log: Logger) {
    this.#log = log;
  }
  record(from: string, reason: string): void {
    this.count++;
    const now = performance.now();
    if (now - this.#windowStart > 60_000) {
      if (this.#inWindow > 10) this.#log.warn({ suppressed: this.#inWindow - 10 }, 'SNMP authentication failures not logged individually');
      this.#windowStart = now;
      this.#inWindow = 0;
    }
    if (++this.#inWindow <= 10) this.#log.warn({ from, reason, total: this.count }, 'SNMP authentication failure');
  }
}

/** Standalone mode: our own UDP agent serving CALLBOX-MIB and SNMPv2-MIB's system group (read-only). */
export async function startSnmpAgent(opts: SnmpAgentOptions): Promise<SnmpAgent> {
  const { config, log } = opts;
  const engineId = normaliseEngineId(opts.engineId);
  const auth = new AuthFailureLog(log);
  let requests = 0;

  const agent: Agent = snmp.createAgent(
    {
      port: opts.port,
      address: opts.bind,
      transport: opts.bind.includes(':') ? 'udp6' : 'udp4',
      engineID: engineId,
      accessControlModelType: snmp.AccessControlModelType.Simple,
    },
    (err) => {
      if (!err) return;
      const from = err.rinfo ? `${err.rinfo.address}:${err.rinfo.port}` : 'unknown';
      // Unknown v3 user names are counted when the datagram arrives (net-snmp answers them with a report and
      // only calls back for the unreportable ones); everything else about credentials arrives here.
      if (/^Local user not found/.test(err.message)) return;
      if (/Authentication digest|decrypt|requires (authentication|privacy)|Local community/i.test(err.message)) auth.record(from, err.message);
      else log.debug({ err, from }, 'SNMP request not processed');
    },
  );

  const authorizer = agent.getAuthorizer();
  const acm = authorizer.getAccessControlModel();
  for (const u of config.users) {
    authorizer.addUser(usmUser(u));
    acm.setUserAccess(u.name, snmp.AccessLevel.ReadOnly);
  }
  for (const c of config.communities) {
    authorizer.addCommunity(c.name);
    acm.setCommunityAccess(c.name, snmp.AccessLevel.ReadOnly);
  }
  const users = new Set(config.users.map((u) => u.name));

  const mib = agent.getMib();
  const system = systemGroup(opts.source, config);
  for (const p of [...mibProviders(), ...system.map((s) => s.provider)]) mib.registerProvider(p);
  const view = new MibView(mib, opts.source, { counter64: 'buffer', maxAgeMs: opts.refreshMs ?? 1000, extraScalars: system });
  const refresh = () => {
    try {
      view.refreshIfStale();
    } catch (err) {
      log.error({ err }, 'SNMP data source failed; serving the previous values');
    }
  };
  refresh();
  installFastGetNext(agent, view, true);

  const sockets = Object.values(agent.listener.sockets) as UdpSocket[];
  for (const socket of sockets) {
    // net-snmp has no source filter per community and does not report every credential failure: look at each
    // datagram first, then hand it to net-snmp's own handler.
    const handlers = socket.listeners('message') as ((buf: Buffer, rinfo: RemoteInfo) => void)[];
    socket.removeAllListeners('message');
    socket.on('message', (buf: Buffer, rinfo: RemoteInfo) => {
      requests++;
      const from = `${rinfo.address}:${rinfo.port}`;
      const peek = peekMessage(buf);
      if (peek && peek.version !== 3) {
        if (peek.version === 0) return auth.record(from, 'SNMPv1 is not served');
        const community = config.communities.find((c) => c.name === peek.community);
        if (!community) return auth.record(from, 'unknown community');
        if (!community.networks.some((n) => inNetwork(rinfo.address, n))) return auth.record(from, `community ${community.name} is not allowed from this address`);
      } else if (peek && peek.userName !== '' && !users.has(peek.userName)) {
        auth.record(from, `unknown SNMPv3 user ${peek.userName}`);
      }
      refresh();
      for (const h of handlers) h.call(socket, buf, rinfo);
    });
  }
  try {
    await Promise.all(
      sockets.map((s) =>
        Promise.race([
          once(s, 'listening'),
          once(s, 'error').then(([err]) => {
            throw err;
          }),
        ]),
      ),
    );
  } catch (err) {
    agent.close();
    throw new Error(`SNMP agent cannot listen on ${opts.bind}:${opts.port}: ${(err as Error).message}`, { cause: err });
  }

  const notifier = new Notifier({ config, engineId, log, ...(opts.rateLimit ? { rateLimit: opts.rateLimit } : {}) });
  log.info(
    { bind: opts.bind, port: opts.port, engineId, v3Users: config.users.map((u) => u.name), v2cCommunities: config.communities.length, trapReceivers: config.trap_receivers.length },
    `SNMP agent listening on ${opts.bind}:${opts.port} (engine ID ${engineId})`,
  );
  if (config.users.length === 0 && config.communities.length === 0) log.warn('SNMP agent has no users and no communities: nobody can query it');

  return {
    engineId,
    port: opts.port,
    get counters() {
      return { requests, authFailures: auth.count, notificationsSent: notifier.counters.sent, notificationsSuppressed: notifier.counters.suppressed };
    },
    sendNotification: (name, n, family) => notifier.notify({ ...n, name }, family),
    close: async () => {
      notifier.close();
      await new Promise<void>((resolve) => {
        let open = sockets.length;
        if (open === 0) resolve();
        agent.close(() => --open === 0 && resolve());
      });
    },
  };
}
