import { EventEmitter } from 'node:events';
import snmp, { type Subagent } from 'net-snmp';
import type { Logger } from '../log.ts';
import type { SnmpConfig } from '../config/snmp-schema.ts';
import type { SnmpDataSource } from './data-source.ts';
import { normaliseEngineId } from './engine-id.ts';
import { MibView, installFastGetNext, mibProviders } from './mib-view.ts';
import { Notifier, type Notification, type RateLimit } from './notifier.ts';
import type { NotificationName } from './oids.ts';

/**
 * AgentX mode: CALLBOX-MIB served through the system snmpd (master agent), which adds IF-MIB,
 * HOST-RESOURCES-MIB and UCD-SNMP-MIB and owns SNMP security (users, communities, views) itself.
 *
 * net-snmp's subagent has three pitfalls handled here:
 *  - it never reconnects: when snmpd restarts its socket closes for good, so a new subagent is created, opened
 *    and registered again (with backoff while snmpd is away);
 *  - it parses one AgentX PDU per socket 'data' event, so PDUs that arrive together are lost: the socket
 *    stream is split into whole PDUs before net-snmp sees it, and registrations go one at a time, each
 *    waiting for its response;
 *  - it writes OCTET STRINGs with their UTF-16 length, which corrupts binary values (DateAndTime) and
 *    non-ASCII text: the writer is replaced by one that writes bytes.
 */

export interface SnmpSubagentCounters {
  /** AgentX requests (get, getnext, getbulk, set) the master forwarded. */
  requests: number;
  /** Credential checks happen in snmpd in this mode; always 0 here (see snmpd's usmStats counters). */
  authFailures: number;
  notificationsSent: number;
  notificationsSuppressed: number;
  /** Successful registrations with the master (1 after start, +1 per snmpd restart). */
  registrations: number;
}

export interface SnmpSubagent {
  readonly engineId: string;
  readonly counters: SnmpSubagentCounters;
  /** Resolves once the subagent is registered with the master (now, if it already is). */
  whenRegistered(): Promise<void>;
  sendNotification<N extends NotificationName>(name: N, n: Omit<Notification<N>, 'name'>, family?: string): void;
  close(): Promise<void>;
}

export interface SnmpSubagentOptions {
  config: SnmpConfig;
  /** Used for v3 notifications sent to the configured receivers (the master has its own engine ID). */
  engineId: string;
  source: SnmpDataSource;
  log: Logger;
  /** Overrides config.agentx_socket: a Unix socket path or HOST:PORT. */
  master?: string;
  refreshMs?: number;
  rateLimit?: Partial<RateLimit>;
  /** First reconnect delay; doubles up to 10 s while the master stays away. */
  reconnectMs?: number;
}

const HEADER = 20;

function fixOctetStringWriter(): void {
  type Writer = { writeUInt32BE(n: number): void; writeBuffer(b: Buffer): void; writeUInt8(n: number): void };
  const pdu = (snmp as unknown as { AgentXPdu: { writeOctetString: (w: Writer, v: unknown) => void; __callboxFixed?: true } }).AgentXPdu;
  if (pdu.__callboxFixed) return;
  pdu.writeOctetString = (w, value) => {
    const bytes = Buffer.isBuffer(value) ? value : Buffer.from(String(value), 'utf8');
    w.writeUInt32BE(bytes.length);
    w.writeBuffer(bytes);
    for (let i = 0; i < (4 - (bytes.length % 4)) % 4; i++) w.writeUInt8(0);
  };
  pdu.__callboxFixed = true;
}

function masterAddress(spec: string): { master: string; masterPort: number | string } {
  const m = /^(?:tcp:)?([^/:]+|\[[^\]]+\]):(\d+)$/.exec(spec);
  if (m) return { master: (m[1] as string).replace(/^\[|\]$/g, ''), masterPort: Number(m[2]) };
  // net.Socket.connect(path) when the "port" is not a number: a Unix domain socket.
  return { master: 'localhost', masterPort: spec.replace(/^unix:/, '') };
}

export async function startSnmpSubagent(opts: SnmpSubagentOptions): Promise<SnmpSubagent> {
  const { log } = opts;
  const engineId = normaliseEngineId(opts.engineId);
  const spec = opts.master ?? opts.config.agentx_socket;
  const address = masterAddress(spec);
  const notifier = new Notifier({ config: opts.config, engineId, log, ...(opts.rateLimit ? { rateLimit: opts.rateLimit } : {}) });
  const events = new EventEmitter<{ registered: [] }>();
  fixOctetStringWriter();

  let current: Subagent | null = null;
  let registered = false;
  let closing = false;
  let retryTimer: NodeJS.Timeout | null = null;
  let delay = opts.reconnectMs ?? 1000;
  let requests = 0;
  let registrations = 0;

  const call = <T>(f: (cb: (err: Error | null, v?: T) => void) => void) =>
    new Promise<T | undefined>((resolve, reject) => f((err, v) => (err ? reject(err) : resolve(v))));

  const scheduleReconnect = (sub: Subagent) => {
    if (sub !== current || closing) return;
    current = null;
    if (registered) log.warn({ master: spec }, 'AgentX master went away; reconnecting');
    registered = false;
    retryTimer = setTimeout(connect, delay);
    delay = Math.min(delay * 2, 10_000);
  };

  function connect(): void {
    retryTimer = null;
    const sub = snmp.createSubagent({ ...address, description: 'Callbox CALLBOX-MIB subagent' });
    current = sub;
    const view = new MibView(sub.getMib(), opts.source, { counter64: 'bigint', maxAgeMs: opts.refreshMs ?? 1000 });
    installFastGetNext(sub, view, false);
    splitPdus(sub, (type) => {
      // Response PDUs answer our own open/register; everything else is a request from the master.
      if (type === 18) return;
      requests++;
      try {
        view.refreshIfStale();
      } catch (err) {
        log.error({ err }, 'SNMP data source failed; serving the previous values');
      }
    });
    sub.on('error', (err: Error) => {
      log.debug({ err, master: spec }, 'AgentX socket error');
    });
    sub.on('close', () => scheduleReconnect(sub));
    sub.socket.once('connect', () => {
      void register(sub, view).catch((err: unknown) => {
        log.warn({ err, master: spec }, 'AgentX registration failed; retrying');
        sub.socket.destroy();
      });
    });
  }

  async function register(sub: Subagent, view: MibView): Promise<void> {
    await call<unknown>((cb) => sub.open(cb));
    for (const p of mibProviders()) {
      // One at a time: net-snmp would lose responses that arrive in one read (see splitPdus).
      const res = await call<{ error?: number }>((cb) => sub.registerProvider(p, cb));
      if (res?.error) throw new Error(`master refused registration of ${p.name} (${p.oid}): AgentX error ${res.error}`);
    }
    try {
      view.refresh();
    } catch (err) {
      log.error({ err }, 'SNMP data source failed; CALLBOX-MIB answers with what it has');
    }
    if (sub !== current) return;
    registered = true;
    registrations++;
    delay = opts.reconnectMs ?? 1000;
    log.info({ master: spec, engineId, registrations }, 'CALLBOX-MIB registered with the AgentX master');
    events.emit('registered');
  }

  connect();

  return {
    engineId,
    get counters() {
      return { requests, authFailures: 0, notificationsSent: notifier.counters.sent, notificationsSuppressed: notifier.counters.suppressed, registrations };
    },
    whenRegistered: () => (registered ? Promise.resolve() : new Promise<void>((resolve) => events.once('registered', resolve))),
    sendNotification: (name, n, family) => notifier.notify({ ...n, name }, family),
    close: async () => {
      closing = true;
      notifier.close();
      if (retryTimer) clearTimeout(retryTimer);
      const sub = current;
      current = null;
      if (!sub) return;
      if (registered) {
        // A polite Close lets snmpd drop our registrations at once instead of timing the session out.
        await Promise.race([call<unknown>((cb) => sub.close(cb)).catch(() => undefined), new Promise((r) => setTimeout(r, 1000))]);
      }
      sub.socket.destroy();
    },
  };
}

/**
 * Re-frames the AgentX byte stream into whole PDUs before net-snmp's handler sees them (header: 20 octets,
 * payload length in the last four, byte order given by the NETWORK_BYTE_ORDER flag).
 */
function splitPdus(sub: Subagent, before: (pduType: number) => void): void {
  const socket = sub.socket;
  const handlers = socket.listeners('data') as ((b: Buffer) => void)[];
  socket.removeAllListeners('data');
  let pending: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= HEADER) {
      const flags = pending.readUInt8(2);
      const len = flags & 0x10 ? pending.readUInt32BE(16) : pending.readUInt32LE(16);
      if (pending.length < HEADER + len) break;
      const pdu = pending.subarray(0, HEADER + len);
      pending = pending.subarray(HEADER + len);
      before(pdu.readUInt8(1));
      for (const h of handlers) h.call(socket, pdu);
    }
  });
}
