import path from 'node:path';
import pino from 'pino';
import { assetPath } from '../../src/assets.ts';
import { startQueueCalls, type QueueCalls } from '../../src/acd-calls/queue-calls.ts';
import { openDatabase, type Database } from '../../src/config/database.ts';
import { applySiteFile } from '../../src/config/site-apply.ts';
import { startCallServices, type CallServices } from '../../src/calls/services.ts';
import { parseSipEngineArgs } from '../../src/sip-engine/cli-args.ts';
import { startSipEngine } from '../../src/sip-engine/main.ts';
import { Phone, phoneRtpBase } from '../calls/baresip.ts';
import { CARRIER_HOST } from '../calls/harness.ts';
import { freePort } from '../helpers/ports.ts';
import { startTestRtpengine, type TestRtpengine } from '../helpers/rtpengine.ts';
import { tempDir } from '../helpers/tmp.ts';

type Ctx = { after(fn: () => Promise<void> | void): void };

export const PASSWORD = (ext: string) => `pw-${ext}-secret`;

/**
 * Three agents (1001-1003), an overflow target (1004), a caller (1005), an extension forwarding to queue 501 when
 * not answered (1006) and one forwarding every call to queue 500 (1007); queues for ring-all, round-robin,
 * overflow on max wait, announcements with an exit key, and callbacks; a carrier (SIPp on 127.0.0.5) whose DID
 * +4930123459 goes to the ring-all queue.
 */
export function queueSite(carrierPort: number): string {
  const ext = (n: string, name: string, agent: boolean) => `  - { number: "${n}", name: ${name}, password: "${PASSWORD(n)}"${agent ? ', agent: { skills: {} }' : ''} }`;
  return `
version: 1
site: { name: Queue test, timezone: Europe/Berlin, country: DE, language: en }
extensions:
${ext('1001', 'Alice Becker', true)}
${ext('1002', 'Bob Schmidt', true)}
${ext('1003', 'Chloe Martin', true)}
${ext('1004', 'David Okafor', false)}
${ext('1005', 'Eve Caller', false)}
  - { number: "1006", name: Frank Forward, password: "${PASSWORD('1006')}", ring_timeout_s: 5, forward: { no_answer: "queue:501" } }
  - { number: "1007", name: Grace Always, password: "${PASSWORD('1007')}", forward: { always: "queue:500" } }
queues:
  - { number: "500", name: Support, strategy: ring-all, members: ["1001", "1002"], ring_timeout_s: 30, wrapup_s: 0, announce_every_s: null }
  - { number: "501", name: Sales, strategy: round-robin, members: ["1001", "1002"], ring_timeout_s: 30, wrapup_s: 0, announce_every_s: null }
  - { number: "502", name: Night, strategy: ring-all, members: ["1003"], max_wait_s: 3, max_wait_to: "extension:1004", announce_every_s: null }
  - { number: "504", name: Announce, strategy: ring-all, members: ["1003"], announce_every_s: 5, exit_keys: { "9": "hangup:closed" }, announce: { periodic_prompt: "all-agents-busy", periodic_every_s: 2 } }
  - { number: "503", name: Callback, strategy: ring-all, members: ["1003"], wrapup_s: 0, announce_every_s: null, callback: { enabled: true, offer_after_s: 0, key: "2", confirm_key: "1", answer_timeout_s: 30 } }
trunks:
  - { name: carrier, host: ${CARRIER_HOST}, port: ${carrierPort}, number_format: e164-no-plus }
routes:
  inbound:
    - { did: "+4930123459", to: "queue:500" }
`;
}

export interface QueueHarness {
  db: Database;
  carrierPort: number;
  rtp: TestRtpengine;
  sipPort: number;
  services: CallServices;
  queues: QueueCalls;
  phone(t: Ctx, ext: string, o: { toneHz: number; address: string; answer?: 'auto' | 'manual' }): Promise<Phone>;
  /** rtpengine's calls now (none left once every call ended). */
  mediaCalls(): Promise<string[]>;
}

/** rtpengine, the SIP engine and the calls app with the queue app, on free loopback ports. */
export async function startQueueHarness(t: Ctx): Promise<QueueHarness> {
  const log = pino({ level: process.env['CALLS_TEST_LOG'] ?? 'silent' });
  const started: { s?: CallServices } = {};
  t.after(() => started.s?.stop());
  const rtp = await startTestRtpengine(t);
  const sipPort = await freePort();
  const adminPort = await freePort();
  const engine = await startSipEngine(
    await parseSipEngineArgs(['--contact', `sip:127.0.0.1:${sipPort};transport=udp,tcp`, '--port', String(adminPort), '--secret', 'test-secret', '--t1', '200', '--t2', '1600', '--t4', '2000']),
    pino({ level: 'silent' }),
  );
  t.after(() => engine.close());
  const db = openDatabase(tempDir(t));
  t.after(() => {
    db.close();
  });
  const carrierPort = await freePort(CARRIER_HOST);
  const applied = applySiteFile(db, queueSite(carrierPort), 'test');
  if (!applied.ok) throw new Error(`test site invalid: ${JSON.stringify(applied.errors)}`);
  let queues: QueueCalls | undefined;
  const services = await startCallServices({
    db,
    ng: rtp.ng,
    log,
    engine: { host: '127.0.0.1', port: adminPort, secret: 'test-secret' },
    mohFile: path.join(assetPath.prompts(), 'moh', 'default.wav'),
    mediaUp: () => true,
    onMediaChange: () => () => undefined,
    reconcileIntervalMs: 2000,
    registrar: { minExpiresS: 30 },
    queueCalls: async (deps) => (queues = await startQueueCalls(deps, { dtmf: { host: '127.0.0.1', port: rtp.dtmfPort }, tickMs: 200 })),
  });
  started.s = services;
  if (queues === undefined) throw new Error('the queue app did not start');
  return {
    db,
    carrierPort,
    rtp,
    sipPort,
    services,
    queues,
    phone: async (tt, ext, o) => {
      const p = await Phone.start(tt, { address: o.address, toneHz: o.toneHz, rtpBase: await phoneRtpBase() });
      await p.register(sipPort, ext, PASSWORD(ext), { answer: o.answer ?? 'auto' });
      return p;
    },
    mediaCalls: async () => (await rtp.ng.command('list', { limit: 100 }))['calls'] as string[],
  };
}
