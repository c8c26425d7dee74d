import { execFileSync } from 'node:child_process';
import path from 'node:path';
import pino from 'pino';
import { assetPath } from '../../src/assets.ts';
import { openDatabase, type Database } from '../../src/config/database.ts';
import { applySiteFile } from '../../src/config/site-apply.ts';
import { startCallServices, type CallServices } from '../../src/calls/services.ts';
import type { DigestAlgorithm } from '../../src/calls/digest/verify.ts';
import { parseSipEngineArgs } from '../../src/sip-engine/cli-args.ts';
import { startSipEngine, type SipEngine } from '../../src/sip-engine/main.ts';
import { freePort } from '../helpers/ports.ts';
import { startTestRtpengine, type TestRtpengine } from '../helpers/rtpengine.ts';
import { tempDir } from '../helpers/tmp.ts';

type Ctx = { after(fn: () => Promise<void> | void): void };

export const SCENARIOS = path.join(import.meta.dirname, 'scenarios');
export const CARRIER_HOST = '127.0.0.5';

export const PASSWORDS: Record<string, string> = { '1001': 'pw-1001-secret', '1002': 'pw-1002-secret', '1003': 'pw-1003-secret', '1004': 'pw-1004-secret' };

/**
 * A small site: four extensions, one carrier on 127.0.0.5 (SIPp), a DID and outbound routes. The carrier is not
 * pinged with OPTIONS (SIPp scenarios that expect an INVITE would fail on one) unless a test asks for it.
 */
export function testSite(carrierPort: number, extra: { extensions?: string; trunkRegister?: boolean; trunkOptions?: string } = {}): string {
  return `
version: 1
site: { name: Test, timezone: Europe/Berlin, country: DE, language: en }
extensions:
  - { number: "1001", name: Alice Becker, password: "${PASSWORDS['1001']}" }
  - { number: "1002", name: Bob Schmidt, password: "${PASSWORDS['1002']}", ring_timeout_s: 5, pickup_group: sales }
  - { number: "1003", name: Chloe Martin, password: "${PASSWORDS['1003']}", forward: { no_answer: "extension:1001" }, ring_timeout_s: 5, pickup_group: sales }
  - { number: "1004", name: David Okafor, password: "${PASSWORDS['1004']}", dnd: true, forward: { busy: "extension:1002" } }
${extra.extensions ?? ''}
trunks:
  - name: carrier
    host: ${CARRIER_HOST}
    port: ${carrierPort}
    number_format: e164-no-plus
    ${extra.trunkOptions ?? 'options_interval_s: 0'}
    auth: { user: "callbox", password: "carrier-secret" }
${extra.trunkRegister ? '    register: { user: "4930123456", password: "carrier-secret", expires_s: 60 }' : ''}
routes:
  inbound:
    - { did: "+4930123458", to: "extension:1002" }
  outbound:
    - { name: national, pattern: "0[1-9]*", trunks: [carrier], caller_id: "+4930123456" }
`;
}

export interface CallHarness {
  db: Database;
  dataDir: string;
  adminPort: number;
  rtp: TestRtpengine;
  engine: SipEngine;
  sipPort: number;
  services: CallServices;
  carrierPort: number;
  /** The engine's TLS port (127.0.0.1), when the harness was started with `tls`. */
  tlsPort: number | undefined;
  /** Stops the calls app and starts a new one on the same store and engine (an app restart). */
  restartServices(): Promise<CallServices>;
  /** Waits until the media watch noticed rtpengine's state. */
  waitMedia(up: boolean, ms?: number): Promise<void>;
}

/** rtpengine + SIP engine + the calls app on free loopback ports, with the test site applied. */
export async function startCallHarness(
  t: Ctx,
  opts: { site?: (carrierPort: number) => string; registrar?: { minExpiresS?: number; expiryCheckMs?: number }; digestAlgorithms?: readonly DigestAlgorithm[]; tls?: boolean } = {},
): Promise<CallHarness> {
  const log = pino({ level: process.env['CALLS_TEST_LOG'] ?? 'silent' });
  // after hooks run in the order they were added: the calls app must stop while the engine still runs.
  const started: { h?: CallHarness } = {};
  t.after(() => started.h?.services.stop());
  const rtp = await startTestRtpengine(t);
  const sipPort = await freePort();
  const adminPort = await freePort();
  // TLS: a self-signed certificate made for the test (phones under test do not verify it).
  let tlsPort: number | undefined;
  const tlsArgs: string[] = [];
  if (opts.tls) {
    tlsPort = await freePort();
    const certDir = tempDir(t);
    const key = path.join(certDir, 'key.pem');
    const cert = path.join(certDir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    tlsArgs.push('--contact', `sip:127.0.0.1:${tlsPort};transport=tls`, '--tls-key-file', key, '--tls-cert-file', cert);
  }
  const engine = await startSipEngine(
    await parseSipEngineArgs(['--contact', `sip:127.0.0.1:${sipPort};transport=udp,tcp`, ...tlsArgs, '--port', String(adminPort), '--secret', 'test-secret', '--t1', '200', '--t2', '1600', '--t4', '2000']),
    pino({ level: process.env['SIP_TEST_LOG'] ?? 'silent' }),
  );
  t.after(() => engine.close());
  const dir = tempDir(t);
  const db = openDatabase(dir);
  t.after(() => {
    db.close();
  });
  const carrierPort = await freePort(CARRIER_HOST);
  const applied = applySiteFile(db, (opts.site ?? testSite)(carrierPort), 'test');
  if (!applied.ok) throw new Error(`test site invalid: ${JSON.stringify(applied.errors)}`);

  // The appliance's health check in small: a ping loop that flips the media state.
  let mediaUp = await rtp.ng.ping();
  const listeners = new Set<(up: boolean) => void>();
  const ping = setInterval(() => {
    void rtp.ng.ping().then((up) => {
      if (up === mediaUp) return;
      mediaUp = up;
      for (const l of listeners) l(up);
    });
  }, 250);
  t.after(() => clearInterval(ping));

  const start = () =>
    startCallServices({
      db,
      ng: rtp.ng,
      log,
      engine: { host: '127.0.0.1', port: adminPort, secret: 'test-secret' },
      mohFile: path.join(assetPath.prompts(), 'moh', 'default.wav'),
      mediaUp: () => mediaUp,
      onMediaChange: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
      reconcileIntervalMs: 2000,
      mediaLostGraceMs: 1000,
      ...(opts.digestAlgorithms ? { digestAlgorithms: opts.digestAlgorithms } : {}),
      registrar: { minExpiresS: 30, ...opts.registrar },
    });
  const h: CallHarness = {
    db,
    dataDir: dir,
    adminPort,
    rtp,
    engine,
    sipPort,
    carrierPort,
    tlsPort,
    services: await start(),
    restartServices: async () => {
      await h.services.stop();
      h.services = await start();
      return h.services;
    },
    waitMedia: async (up, ms = 10_000) => {
      const end = Date.now() + ms;
      while (mediaUp !== up) {
        if (Date.now() > end) throw new Error(`media never became ${up ? 'up' : 'down'}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
  started.h = h;
  return h;
}

export async function until<T>(what: string, f: () => T | undefined | false | Promise<T | undefined | false>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
