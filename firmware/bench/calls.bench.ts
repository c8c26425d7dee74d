// Calls benchmark (issue 4): SIPp "carrier A" calls a DID; the calls app routes it out through trunk "carrier B"
// (SIPp UAS echoing RTP), so every call is two legs through the B2BUA with media anchored in rtpengine. Reports
// the concurrent calls held with media (all set up, none failed) and calls per second with media, with the
// resident memory of rtpengine, the SIP engine and the calls app. Writes JSON to argv[2]; bounded to about a
// minute (BENCH_CONCURRENT, BENCH_CPS, BENCH_CPS_SECONDS change the load). Everything runs on loopback.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NgClient } from '../src/media/ng-client.ts';
import { rtpengineCommand } from '../src/media/rtpengine-process.ts';
import { freePort } from '../test/helpers/ports.ts';
import { spawnProcess } from '../test/helpers/process.ts';

const root = path.resolve(import.meta.dirname, '../..');
const out = process.argv[2] ?? path.join(root, 'bench-results', 'calls.json');
const concurrentLevels = (process.env['BENCH_CONCURRENT'] ?? '50,150').split(',').map(Number);
const cps = Number(process.env['BENCH_CPS'] ?? 20);
const cpsSeconds = Number(process.env['BENCH_CPS_SECONDS'] ?? 10);
const scenarios = path.join(import.meta.dirname, 'calls');
const node = process.execPath;
const secret = 'bench-secret';
const A = '127.0.0.30';
const B = '127.0.0.31';

const rssMb = (pid: number | undefined): number => {
  if (!pid) return NaN;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : NaN;
  } catch {
    return NaN;
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const dir = mkdtempSync(path.join(tmpdir(), 'callbox-calls-bench-'));
const stops: Array<() => Promise<unknown>> = [];
const cleanup = async () => {
  for (const s of stops.reverse()) await s().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
};

try {
  const ngPort = await freePort();
  const { cmd, args } = rtpengineCommand({ bin: 'rtpengine', dataDir: dir, interfaceAddress: '127.0.0.1', ng: { host: '127.0.0.1', port: ngPort }, rtpPorts: { min: 20000, max: 29999 }, dtmfLogDest: { host: '127.0.0.1', port: ngPort + 1 } });
  const rtpengine = spawnProcess(undefined, cmd, args.map((a) => a.replace('--log-level=5', '--log-level=3')));
  stops.push(() => rtpengine.stop());
  const ng = new NgClient({ host: '127.0.0.1', port: ngPort, timeoutMs: 2000 });
  stops.push(async () => ng.close());
  for (let i = 0; !(await ng.ping()); i++) {
    if (i > 50) throw new Error(`rtpengine did not start:\n${rtpengine.output()}`);
    await sleep(100);
  }

  const sipPort = await freePort();
  const adminPort = await freePort();
  const engine = spawnProcess(undefined, node, [path.join(root, 'firmware/src/cli.ts'), 'sip-engine', '--contact', `sip:127.0.0.1:${sipPort};transport=udp`, '--port', String(adminPort), '--secret', secret, '--loglevel', 'warn'], {
    env: { ...process.env, CALLBOX_LOG_FORMAT: 'json' },
  });
  stops.push(() => engine.stop());
  await engine.waitFor(/sip engine ready/, 20_000);

  const carrierPort = await freePort(B);
  const site = path.join(dir, 'site.yaml');
  writeFileSync(
    site,
    [
      'version: 1',
      'site: { name: Bench, timezone: Europe/Berlin, country: DE, language: en }',
      'trunks:',
      `  - { name: carrier-a, host: ${A} }`,
      `  - { name: carrier-b, host: ${B}, port: ${carrierPort}, number_format: e164-no-plus }`,
      'routes:',
      '  inbound:',
      '    - { did: "+4930123400", to: "external:+4930999000" }',
      '  outbound:',
      '    - { pattern: "+49*", trunks: [carrier-b] }',
      '',
    ].join('\n'),
  );
  const dataDir = path.join(dir, 'data');
  mkdirSync(dataDir);
  const app = spawnProcess(undefined, node, [path.join(import.meta.dirname, 'apps/calls-app.ts'), String(adminPort), secret, String(ngPort), dataDir, site]);
  stops.push(() => app.stop());
  await app.waitFor(/calls-app connected/, 20_000);

  const uas = spawnProcess(undefined, 'sipp', ['-sn', 'uas', '-i', B, '-p', String(carrierPort), '-mi', B, '-mp', String(await freePort(B)), '-rtp_echo', '-nostdin'], { cwd: dir });
  stops.push(() => uas.stop());
  await sleep(300);

  const memory = () => ({ rtpengineMb: rssMb(rtpengine.child.pid), sipEngineMb: rssMb(engine.child.pid), callsAppMb: rssMb(app.child.pid) });
  const idle = memory();

  async function runUac(extra: string[], timeoutS: number, during?: () => Promise<void>): Promise<{ successful: number; failed: number; code: number | null; output: string }> {
    const stf = path.join(dir, `stat-${Date.now()}.csv`);
    const uac = spawnProcess(undefined, 'sipp', ['-sf', path.join(scenarios, 'uac-media.xml'), '-s', '4930123400', '-i', A, '-p', String(await freePort(A)), '-mi', A, '-mp', String(await freePort(A)), '-nostdin', '-trace_stat', '-stf', stf, '-fd', '1', '-timeout', String(timeoutS), '-timeout_error', ...extra, `127.0.0.1:${sipPort}`], { cwd: scenarios });
    if (during) await during();
    const { code } = await uac.exited;
    if (!existsSync(stf)) throw new Error(`SIPp wrote no statistics (exit ${code}):\n${uac.output().slice(-3000)}`);
    const lines = readFileSync(stf, 'utf8').trim().split('\n');
    const head = (lines[0] ?? '').split(';');
    const last = (lines[lines.length - 1] ?? '').split(';');
    const col = (name: string) => Number(last[head.indexOf(name)] ?? NaN);
    return { successful: col('SuccessfulCall(C)'), failed: col('FailedCall(C)'), code, output: uac.output() };
  }

  /** Packets rtpengine received from each party of a call: proof that media flows both ways under load. */
  const packetsPerParty = async (callId: string | undefined): Promise<number[]> => {
    if (!callId) return [];
    const q = await ng.command('query', { 'call-id': callId }).catch(() => ({}) as Record<string, unknown>);
    const tags = (q['tags'] ?? {}) as Record<string, { medias?: { streams?: { stats?: { packets?: number } }[] }[] }>;
    return Object.values(tags).map((t) => t.medias?.[0]?.streams?.[0]?.stats?.packets ?? 0);
  };
  const concurrent: unknown[] = [];
  for (const n of concurrentLevels) {
    let peakCalls = 0;
    let samplePackets: number[] = [];
    let peak = memory();
    const holdMs = 12_000;
    const r = await runUac(['-r', '50', '-l', String(n), '-m', String(n), '-d', String(holdMs)], 60, async () => {
      const end = Date.now() + n / 50 * 1000 + holdMs * 0.8;
      while (Date.now() < end) {
        await sleep(1000);
        const ids = await ng.command('list', { limit: 100_000 }).then((x) => x['calls'] as string[]).catch(() => [] as string[]);
        if (ids.length >= peakCalls) {
          peakCalls = ids.length;
          peak = memory();
          samplePackets = await packetsPerParty(ids[0]);
        }
      }
    });
    concurrent.push({ calls: n, anchoredInRtpengine: peakCalls, successful: r.successful, failed: r.failed, rtpPacketsOfOneCallPerParty: samplePackets, ...peak });
    await sleep(1500);
  }

  const rate = await runUac(['-r', String(cps), '-m', String(cps * cpsSeconds), '-d', '2000'], 60);
  const afterLoad = memory();
  const result = {
    machine: { cpus: (await import('node:os')).cpus().length },
    idle,
    concurrent,
    callsPerSecond: { offered: cps, seconds: cpsSeconds, callLengthMs: 2000, successful: rate.successful, failed: rate.failed, ...afterLoad },
  };
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(result, null, 2));

  const rows: string[][] = [['load', 'ok', 'failed', 'in rtpengine', 'RTP pkts/party (1 call)', 'rtpengine MB', 'sip-engine MB', 'calls app MB']];
  rows.push(['idle', '', '', '0', '', String(idle.rtpengineMb), String(idle.sipEngineMb), String(idle.callsAppMb)]);
  for (const c of concurrent as Array<Record<string, number | number[]>>) {
    rows.push([`${c['calls']} concurrent`, String(c['successful']), String(c['failed']), String(c['anchoredInRtpengine']), String(c['rtpPacketsOfOneCallPerParty']), String(c['rtpengineMb']), String(c['sipEngineMb']), String(c['callsAppMb'])]);
  }
  rows.push([`${cps} calls/s x ${cpsSeconds}s`, String(rate.successful), String(rate.failed), '', '', String(afterLoad.rtpengineMb), String(afterLoad.sipEngineMb), String(afterLoad.callsAppMb)]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  '));
  console.log('(every call: 2 legs through the B2BUA, RTP both ways through rtpengine; memory is resident set size)');
} finally {
  await cleanup();
}
