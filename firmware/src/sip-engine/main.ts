import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { createLogger } from '../log.ts';
import type { SipEngineOptions } from './cli-args.ts';
import { SipCore } from './core.ts';
import { newDestResolver } from './dns-resolve.ts';
import { SipTrace } from './sip-trace.ts';
import type { EngineCounters } from './counters.ts';
import { TimerWheel } from './transaction/timer-wheel.ts';
import { Transports } from './transport/transports.ts';
import { hostPort, type ListenPoint } from './transport/types.ts';
import type { WireConn } from './wire/connection.ts';
import { WireServer } from './wire/server.ts';

export type { SipEngineOptions } from './cli-args.ts';

/** The version apps see; srf needs `vX.Y.Z` and enables pings from v0.8.2 on. */
export const WIRE_VERSION = 'v0.9.10-callbox';

export interface SipEngine {
  /** SIP listen points as bound (ports resolved when 0 was asked for). */
  sip: ListenPoint[];
  admin: { address: string; port: number };
  counters(): EngineCounters;
  close(): Promise<void>;
}

export async function startSipEngine(opts: SipEngineOptions, log: Logger = createLogger('sip-engine', opts.loglevel)): Promise<SipEngine> {
  const wheel = new TimerWheel((err) => log.error({ err }, 'SIP timer failed'));
  const trace = opts.traceFile
    ? new SipTrace({ file: opts.traceFile, maxBytes: opts.traceMaxBytes, switchFile: opts.traceSwitchFile, onError: (err) => log.error({ err }, 'SIP trace stopped: cannot write the trace file') })
    : undefined;
  // The transports exist before the core that handles their messages.
  const sink: { core?: SipCore } = {};
  const listen: ListenPoint[] = opts.contacts.flatMap((c) => c.protos.map((proto) => ({ proto, host: c.host, port: c.port, ...(c.external ? { external: c.external } : {}) })));
  const transports = new Transports({
    listen,
    tcpIdleMs: opts.tcpIdleMs,
    maxConnsPerAddress: opts.maxConnsPerAddress,
    onMessage: (data, src) => {
      if (trace?.on) trace.received(data, src.proto, src.address, src.port);
      sink.core!.onNetwork(data, src);
    },
    onStreamError: (reason, src) => {
      sink.core!.counters.parseErrors++;
      log.debug({ reason, peer: `${src.address}:${src.port}` }, 'SIP stream framing error; connection closed');
    },
    onError: (err) => log.error({ err }, 'SIP transport error'),
    ...(opts.tlsKeyFile && opts.tlsCertFile ? { tls: { key: readFileSync(opts.tlsKeyFile), cert: readFileSync(opts.tlsCertFile), files: { key: opts.tlsKeyFile, cert: opts.tlsCertFile } } } : {}),
  });
  await transports.start();
  const resolver = newDestResolver(opts.hosts, transports.bound.map((b) => b.proto), opts.dnsServers);
  const c: SipCore = new SipCore({ timers: opts.timers, resolver, appAnswerTimeoutMs: opts.appAnswerTimeoutMs, minSe: opts.minSe, ...(trace ? { trace } : {}), requestHandlers: opts.requestHandlers, dialApp: (host: string, port: number): Promise<WireConn> => wire.dial(host, port) }, log, transports, wheel);
  const hostports = (local: boolean) => transports.bound.map((b) => `${b.proto}/${hostPort(local ? b.host : (b.external ?? b.host), b.port)}`).join(',');
  sink.core = c;
  const wire: WireServer = new WireServer(
    {
      secret: opts.secret,
      authInfo: () => [hostports(false), WIRE_VERSION, hostports(true)],
      addRoute: (conn, verb) => c.addRoute(conn, verb),
      removeRoutes: (conn) => c.removeRoutes(conn),
      sip: (conn, id, tokens, sip) => c.handleAppSip(conn, id, tokens, sip),
      proxy: (conn, id, tokens, sip) => c.handleAppProxy(conn, id, tokens, sip),
      closed: (conn) => c.dropApp(conn),
    },
    log,
  );
  const admin = await wire.listen(opts.adminPort, opts.adminAddress);
  log.info({ sip: hostports(false), admin: `${admin.address}:${admin.port}` }, 'sip engine ready');
  return {
    sip: transports.bound.map((b) => ({ proto: b.proto, host: b.host, port: b.port, ...(b.external ? { external: b.external } : {}) })),
    admin: { address: admin.address, port: admin.port },
    counters: () => ({ ...c.snapshot(), appConnections: wire.conns.size }),
    close: async () => {
      wheel.stop();
      trace?.close();
      await wire.close();
      await transports.close();
    },
  };
}
