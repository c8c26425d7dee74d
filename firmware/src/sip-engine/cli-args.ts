import type { SipEngineConfigFile } from './config-file.ts';
import type { SipTimers } from './transaction/types.ts';
import type { Proto } from './transport/types.ts';
import { HANDLER_METHOD, HANDLER_URL, isDnsServer, isIp, LOGLEVELS } from './value-checks.ts';

export type { SipEngineConfigFile };

export interface ContactSpec {
  host: string;
  port: number;
  protos: Proto[];
  /** Address advertised in Via/Contact instead of host (drachtio's --external-ip). */
  external?: string;
}

export interface SipEngineOptions {
  contacts: ContactSpec[];
  adminAddress: string;
  adminPort: number;
  secret: string;
  loglevel: string;
  timers: SipTimers;
  tcpIdleMs: number;
  maxConnsPerAddress: number;
  /** Names resolved without DNS (`--host name=127.0.0.2`), for tests and closed networks. */
  hosts: Record<string, string>;
  /** Outbound connection mode: `--request-handler METHOD=URL` (tcp://host:port or http(s)://...), method `*` for all. */
  requestHandlers: Record<string, string>;
  /** DNS servers for RFC 3263 lookups (`--dns-server IP[:PORT]`); none means the system's. */
  dnsServers: string[];
  appAnswerTimeoutMs: number;
  /** RFC 4028 Min-SE in seconds: shorter Session-Expires get 422 (`--min-se`, default 90). */
  minSe: number;
  /** SIP message trace file (`--sip-trace`), its size before rotation, and the file whose existence switches it on. */
  traceFile?: string;
  traceMaxBytes: number;
  traceSwitchFile?: string;
  /** PEM files for TLS contacts (drachtio's --tls-key-file / --tls-cert-file). */
  tlsKeyFile?: string;
  tlsCertFile?: string;
}

const DEFAULTS: SipEngineOptions = {
  contacts: [],
  adminAddress: '127.0.0.1',
  adminPort: 9022,
  secret: 'cymru',
  loglevel: 'info',
  timers: { t1: 500, t2: 4000, t4: 5000 },
  tcpIdleMs: 300_000,
  maxConnsPerAddress: 200,
  hosts: {},
  dnsServers: [],
  requestHandlers: {},
  appAnswerTimeoutMs: 64_000,
  minSe: 90,
  traceMaxBytes: 10_000_000,
};



/**
 * `sip:HOST[:PORT][;transport=udp,tcp]`, and several of them comma-separated. The transport list itself uses
 * commas, so a piece that is not a URI continues the previous transport list.
 */
export function parseContacts(value: string): ContactSpec[] {
  const pieces: string[] = [];
  for (const raw of value.split(',')) {
    const p = raw.trim();
    if (!p) continue;
    if (/^sips?:/i.test(p) || pieces.length === 0) pieces.push(p);
    else pieces[pieces.length - 1] += ',' + p;
  }
  return pieces.map(parseContact);
}

function parseContact(uri: string): ContactSpec {
  const m = /^sip:(\[[0-9a-fA-F:.]+\]|[^:;]+)(?::(\d{1,5}))?((?:;[^;]*)*)$/i.exec(uri);
  if (!m) throw new Error(`--contact: "${uri}" is not sip:HOST[:PORT][;transport=udp,tcp]`);
  const host = m[1]!.startsWith('[') ? m[1]!.slice(1, -1) : m[1]!;
  if (!isIp(host) && host !== 'localhost') throw new Error(`--contact: host "${host}" must be an IP address`);
  const port = m[2] === undefined ? 5060 : Number(m[2]);
  if (port > 65535) throw new Error(`--contact: port ${port} out of range`);
  let protos: Proto[] = ['udp', 'tcp'];
  for (const param of (m[3] ?? '').split(';').filter(Boolean)) {
    const [k, v] = param.split('=');
    if (k?.toLowerCase() !== 'transport') continue;
    const list = (v ?? '').toLowerCase().split(',').filter(Boolean);
    for (const t of list) if (!['udp', 'tcp', 'tls', 'ws', 'wss'].includes(t)) throw new Error(`--contact: transport "${t}" is not supported (udp, tcp, tls, ws, wss)`);
    protos = list as Proto[];
  }
  return { host: host === 'localhost' ? '127.0.0.1' : host, port, protos };
}

function positiveInt(flag: string, v: string): number {
  if (!/^\d+$/.test(v) || Number(v) <= 0) throw new Error(`${flag}: "${v}" is not a positive integer`);
  return Number(v);
}

/** drachtio-server's flags where they make sense, plus `--t1/--t2/--t4` and `--tcp-idle-ms` (ms) and `--host name=addr`. */
export async function parseSipEngineArgs(argv: string[]): Promise<SipEngineOptions> {
  const o: SipEngineOptions = structuredClone(DEFAULTS);
  let external: string | undefined;
  let contactsFromFlags: ContactSpec[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--contact':
        contactsFromFlags = [...(contactsFromFlags ?? []), ...parseContacts(value())];
        break;
      case '--address': {
        const v = value();
        if (!isIp(v)) throw new Error(`--address: "${v}" is not an IP address`);
        o.adminAddress = v;
        break;
      }
      case '--port': {
        const v = value();
        if (!/^\d{1,5}$/.test(v) || Number(v) > 65535) throw new Error(`--port: "${v}" is not a port number`);
        o.adminPort = Number(v);
        break;
      }
      case '--secret':
        o.secret = value();
        if (!o.secret) throw new Error('--secret must not be empty');
        break;
      case '--loglevel': {
        const v = value();
        if (!(LOGLEVELS as readonly string[]).includes(v)) throw new Error(`--loglevel: "${v}" is not one of ${LOGLEVELS.join(', ')}`);
        o.loglevel = v === 'notice' ? 'info' : v;
        break;
      }
      case '--external-ip':
        external = value();
        if (!isIp(external)) throw new Error(`--external-ip: "${external}" is not an IP address`);
        break;
      case '--t1':
        o.timers.t1 = positiveInt(flag, value());
        break;
      case '--t2':
        o.timers.t2 = positiveInt(flag, value());
        break;
      case '--t4':
        o.timers.t4 = positiveInt(flag, value());
        break;
      case '--tls-key-file':
        o.tlsKeyFile = value();
        break;
      case '--tls-cert-file':
        o.tlsCertFile = value();
        break;
      case '--sip-trace':
        o.traceFile = value();
        break;
      case '--sip-trace-switch':
        o.traceSwitchFile = value();
        break;
      case '--sip-trace-max-bytes':
        o.traceMaxBytes = positiveInt(flag, value());
        break;
      case '--min-se':
        o.minSe = positiveInt(flag, value());
        break;
      case '--tcp-idle-ms':
        o.tcpIdleMs = positiveInt(flag, value());
        break;
      case '--host': {
        const v = value();
        const [name, addr] = v.split('=');
        if (!name || !addr || !isIp(addr)) throw new Error(`--host: "${v}" is not NAME=IP`);
        o.hosts[name.toLowerCase()] = addr;
        break;
      }
      case '--request-handler': {
        const v = value();
        const eqAt = v.indexOf('=');
        const method = v.slice(0, eqAt);
        const url = v.slice(eqAt + 1);
        if (eqAt < 0 || !HANDLER_METHOD.test(method) || !HANDLER_URL.test(url)) throw new Error(`--request-handler: "${v}" is not METHOD=tcp://HOST:PORT or METHOD=http(s)://URL`);
        o.requestHandlers[method.toLowerCase()] = url;
        break;
      }
      case '--dns-server': {
        const v = value();
        if (!isDnsServer(v)) throw new Error(`--dns-server: "${v}" is not IP, IPv4:PORT or [IPv6]:PORT`);
        o.dnsServers.push(v);
        break;
      }
      case '-f':
      case '--file': {
        // Loaded only for -f: zod alone is about 15 MB of the engine's resident memory.
        const { readConfigFile } = await import('./config-file.ts');
        const ext = applyFile(o, readConfigFile(value()));
        if (ext !== undefined) external = ext;
        break;
      }
      default:
        throw new Error(`unknown flag "${arg}"`);
    }
  }
  if (contactsFromFlags) o.contacts = contactsFromFlags;
  if (o.contacts.length === 0) o.contacts = [{ host: '127.0.0.1', port: 5060, protos: ['udp', 'tcp'] }];
  if (external) for (const c of o.contacts) c.external = external;
  if (o.traceSwitchFile && !o.traceFile) throw new Error('--sip-trace-switch needs --sip-trace FILE');
  if (o.contacts.some((c) => c.protos.includes('tls') || c.protos.includes('wss')) && (!o.tlsKeyFile || !o.tlsCertFile)) {
    throw new Error('--contact with transport=tls or wss needs --tls-key-file and --tls-cert-file');
  }
  return o;
}

/** Applies a `-f` file over `o`; returns its external IP, which (like the flag) applies to the final contacts. */
function applyFile(o: SipEngineOptions, c: SipEngineConfigFile): string | undefined {
  if (c.contacts) o.contacts = c.contacts.flatMap(parseContacts);
  if (c.admin?.address) o.adminAddress = c.admin.address;
  if (c.admin?.port !== undefined) o.adminPort = c.admin.port;
  if (c.admin?.secret) o.secret = c.admin.secret;
  if (c.loglevel) o.loglevel = c.loglevel === 'notice' ? 'info' : c.loglevel;
  Object.assign(o.timers, c.timers ?? {});
  for (const [name, addr] of Object.entries(c.hosts ?? {})) o.hosts[name.toLowerCase()] = addr;
  if (c.tls) {
    o.tlsKeyFile = c.tls.keyFile;
    o.tlsCertFile = c.tls.certFile;
  }
  if (c.tcpIdleMs !== undefined) o.tcpIdleMs = c.tcpIdleMs;
  if (c.minSe !== undefined) o.minSe = c.minSe;
  if (c.sipTrace) {
    o.traceFile = c.sipTrace.file;
    if (c.sipTrace.switchFile) o.traceSwitchFile = c.sipTrace.switchFile;
    if (c.sipTrace.maxBytes !== undefined) o.traceMaxBytes = c.sipTrace.maxBytes;
  }
  if (c.dnsServers) o.dnsServers.push(...c.dnsServers);
  for (const [method, url] of Object.entries(c.requestHandlers ?? {})) o.requestHandlers[method.toLowerCase()] = url;
  return c.externalIp;
}

