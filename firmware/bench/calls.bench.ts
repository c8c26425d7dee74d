// Calls benchmark (issue 4): SIPp "carrier A" calls a DID; the calls app routes it out through trunk "carrier B"
// (SIPp UAS echoing RTP), so every call is two legs through the B2BUA with media anchored in rtpengine.
// Finds the maximum by stepping up: concurrent calls held with media (BENCH_CONCURRENT steps, each held
// BENCH_SECONDS) until a call fails, rtpengine does not hold them all, or RTP stops flowing in a sampled call;
// then calls per second with media (BENCH_CPS steps, each offered for BENCH_SECONDS) the same way. Reports the
// resident memory of rtpengine, the SIP engine and the calls app during each step and after the load. Each series
// runs on freshly started processes. Bounded:
// at most BENCH_MAX_STEPS steps per series and BENCH_MAX_MINUTES in all. Writes JSON to argv[2]; only loopback.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { NgClient } from '../src/media/ng-client.ts';
import { rtpengineCommand } from '../src/media/rtpengine-process.ts';
import { freePort } from '../test/helpers/ports.ts';
import { spawnProcess } from '../test/helpers/process.ts';

const root = path.resolve(import.meta.dirname, '../..');
const out = process.argv[2] ?? path.join(root, 'bench-results', 'calls.json');
const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const list = (s: string) => s.split(',').map(Number).filter((n) => n > 0);
const seconds = Number(env('BENCH_SECONDS', '30'));
const maxSteps = Number(env('BENCH_MAX_STEPS', '6'));
const concurrentSteps = list(env('BENCH_CONCURRENT', '100,200,400,600,800,1000')).slice(0, maxSteps);
const cpsSteps = list(env('BENCH_CPS', '10,20,40,60,80,120')).slice(0, maxSteps);
/** Rate at which a concurrency step is built up: the concurrency series should not measure call setup rate. */
const rampCps = Number(env('BENCH_RAMP_CPS', '50'));
const deadline = Date.now() + Number(env('BENCH_MAX_MINUTES', '15')) * 60_000;
/** Calls whose RTP counters are read per step (every call would load rtpengine's control socket itself). */
const sampleSize = 10;
const cpsCallMs = 2000;
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

interface Memory {
  rtpengineMb: number;
  sipEngineMb: number;
  callsAppMb: number;
}
const maxMemory = (a: Memory, b: Memory): Memory => ({
  rtpengineMb: Math.max(a.rtpengineMb, b.rtpengineMb),
  sipEngineMb: Math.max(a.sipEngineMb, b.sipEngineMb),
  callsAppMb: Math.max(a.callsAppMb, b.callsAppMb),
});

interface Step {
  series: 'concurrent' | 'cps';
  /** Concurrent calls held, or calls offered per second. */
  load: number;
  successful: number;
  failed: number;
  sippExit: number | null;
  /** Most calls rtpengine held at once during the step. */
  peakInRtpengine: number;
  /** Sampled calls whose every party sent rtpengine new RTP within a second, out of those sampled. */
  rtpFlowing: number;
  rtpSampled: number;
  peakMemory: Memory;
  ok: boolean;
  reason: string;
}

const dir = mkdtempSync(path.join(tmpdir(), 'callbox-calls-bench-'));
const stops: Array<() => Promise<unknown>> = [];
const cleanup = async () => {
  for (const s of stops.reverse()) await s().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
};

interface Box {
  ng: NgClient;
  sipPort: number;
  /** Box processes that exited while the box was up: a crash under load is a maximum too. */
  died: string[];
  memory(): Memory;
  stop(): Promise<void>;
}

/**
 * rtpengine, the SIP engine, the calls app and the SIPp carrier B, fresh for each series so that a process that
 * died in one series does not hide the other's figures.
 */
async function startBox(name: string): Promise<Box> {
  const boxDir = path.join(dir, name);
  mkdirSync(boxDir);
  const own: Array<() => Promise<unknown>> = [];
  let stopping = false;
  const stop = async () => {
    stopping = true;
    for (const s of own.reverse()) await s().catch(() => undefined);
  };
  stops.push(stop);
  const ngPort = await freePort();
  // Each call holds two legs, each with RTP and RTCP ports on both sides: the range bounds the calls rtpengine
  // can hold, so it is wide enough for the highest default step.
  const { cmd, args } = rtpengineCommand({ bin: 'rtpengine', dataDir: boxDir, interfaceAddress: '127.0.0.1', ng: { host: '127.0.0.1', port: ngPort }, rtpPorts: { min: 16384, max: 32767 }, dtmfLogDest: { host: '127.0.0.1', port: ngPort + 1 } });
  const rtpengine = spawnProcess(undefined, cmd, args.map((a) => a.replace('--log-level=5', '--log-level=3')));
  own.push(() => rtpengine.stop());
  const ng = new NgClient({ host: '127.0.0.1', port: ngPort, timeoutMs: 5000 });
  own.push(async () => ng.close());
  for (let i = 0; !(await ng.ping()); i++) {
    if (i > 50) throw new Error(`rtpengine did not start:\n${rtpengine.output()}`);
    await sleep(100);
  }

  const sipPort = await freePort();
  const adminPort = await freePort();
  const engine = spawnProcess(undefined, node, [path.join(root, 'firmware/src/cli.ts'), 'sip-engine', '--contact', `sip:127.0.0.1:${sipPort};transport=udp`, '--port', String(adminPort), '--secret', secret, '--loglevel', 'warn'], {
    env: { ...process.env, CALLBOX_LOG_FORMAT: 'json' },
  });
  own.push(() => engine.stop());
  await engine.waitFor(/sip engine ready/, 20_000);

  const carrierPort = await freePort(B);
  const site = path.join(boxDir, 'site.yaml');
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
  const dataDir = path.join(boxDir, 'data');
  mkdirSync(dataDir);
  const app = spawnProcess(undefined, node, [path.join(import.meta.dirname, 'apps/calls-app.ts'), String(adminPort), secret, String(ngPort), dataDir, site]);
  own.push(() => app.stop());
  await app.waitFor(/calls-app connected/, 20_000);

  // -aa answers the calls app's OPTIONS health checks: unanswered, they take carrier-b down within ~90 s.
  const uas = spawnProcess(undefined, 'sipp', ['-sn', 'uas', '-aa', '-i', B, '-p', String(carrierPort), '-mi', B, '-mp', String(await freePort(B)), '-rtp_echo', '-nostdin'], { cwd: boxDir });
  own.push(() => uas.stop());
  await sleep(300);

  const died: string[] = [];
  for (const [what, proc] of [['rtpengine', rtpengine], ['sip engine', engine], ['calls app', app]] as const) {
    void proc.exited.then(({ code, signal }) => {
      if (stopping) return;
      died.push(`${what} exited (${signal ?? code})`);
      console.error(`${what} exited (${signal ?? code}); its last output:\n${proc.output().slice(-4000)}`);
    });
  }
  const memory = (): Memory => ({ rtpengineMb: rssMb(rtpengine.child.pid), sipEngineMb: rssMb(engine.child.pid), callsAppMb: rssMb(app.child.pid) });
  return { ng, sipPort, died, memory, stop };
}

try {
  let box = await startBox('concurrent');
  const memory = () => box.memory();
  const idle = memory();
  const rtpCalls = () => box.ng.command('list', { limit: 100_000 }).then((x) => x['calls'] as string[]).catch(() => [] as string[]);

  /** Packets rtpengine has received from each party of a call, keyed by tag. */
  const packets = async (callId: string): Promise<Map<string, number>> => {
    const q = await box.ng.command('query', { 'call-id': callId }).catch(() => ({}) as Record<string, unknown>);
    const tags = (q['tags'] ?? {}) as Record<string, { medias?: { streams?: { stats?: { packets?: number } }[] }[] }>;
    return new Map(Object.entries(tags).map(([tag, t]) => [tag, t.medias?.[0]?.streams?.[0]?.stats?.packets ?? 0]));
  };
  /** Of up to sampleSize calls still up a second later, how many had new RTP from every party within that second. */
  const rtpFlow = async (ids: string[]): Promise<{ flowing: number; sampled: number }> => {
    const sample = ids.slice(0, sampleSize);
    const before = await Promise.all(sample.map(packets));
    await sleep(1000);
    const after = await Promise.all(sample.map(packets));
    let flowing = 0;
    let sampled = 0;
    sample.forEach((_, i) => {
      const b = before[i]!;
      const a = after[i]!;
      // A call that ended (or was not yet answered) within the second says nothing about RTP: not counted.
      if (a.size < 2) return;
      sampled++;
      if ([...a].every(([tag, n]) => n > (b.get(tag) ?? 0))) flowing++;
    });
    return { flowing, sampled };
  };

  async function runUac(extra: string[], timeoutS: number, watch: (done: () => boolean) => Promise<void>): Promise<{ successful: number; failed: number; code: number | null; lastError: string }> {
    const stf = path.join(dir, `stat-${Date.now()}.csv`);
    const uac = spawnProcess(undefined, 'sipp', ['-sf', path.join(scenarios, 'uac-media.xml'), '-s', '4930123400', '-i', A, '-p', String(await freePort(A)), '-mi', A, '-mp', String(await freePort(A)), '-nostdin', '-trace_stat', '-stf', stf, '-fd', '1', '-timeout', String(timeoutS), '-timeout_error', ...extra, `127.0.0.1:${box.sipPort}`], { cwd: scenarios });
    let done = false;
    void uac.exited.then(() => (done = true));
    await watch(() => done);
    const { code } = await uac.exited;
    if (!existsSync(stf)) throw new Error(`SIPp wrote no statistics (exit ${code}):\n${uac.output().slice(-3000)}`);
    const lines = readFileSync(stf, 'utf8').trim().split('\n');
    const head = (lines[0] ?? '').split(';');
    const last = (lines[lines.length - 1] ?? '').split(';');
    const col = (name: string) => Number(last[head.indexOf(name)] ?? NaN);
    const lastError = [...uac.output().matchAll(/Last Error: (.*)/g)].at(-1)?.[1]?.trim() ?? '';
    return { successful: col('SuccessfulCall(C)'), failed: col('FailedCall(C)'), code, lastError };
  }

  /** Runs one step: samples memory and rtpengine's call count every second, RTP flow once the load is built up. */
  async function step(series: Step['series'], load: number, sippArgs: string[], calls: number, flowAtMs: number, timeoutS: number): Promise<Step> {
    let peakInRtpengine = 0;
    let peakMemory = memory();
    let flow = { flowing: 0, sampled: 0 };
    const started = Date.now();
    const r = await runUac(sippArgs, timeoutS, async (done) => {
      while (!done()) {
        const ids = await rtpCalls();
        peakInRtpengine = Math.max(peakInRtpengine, ids.length);
        peakMemory = maxMemory(peakMemory, memory());
        if (!flow.sampled && Date.now() - started >= flowAtMs && ids.length) flow = await rtpFlow(ids);
        await sleep(1000);
      }
    });
    const reason =
      box.died.length ? box.died.join(', ')
      : r.code !== 0 || r.failed > 0 || r.successful < calls ? `${r.failed} failed, ${r.successful}/${calls} completed (SIPp exit ${r.code}${r.lastError ? `: ${r.lastError}` : ''})`
      : series === 'concurrent' && peakInRtpengine < load ? `rtpengine held at most ${peakInRtpengine} of ${load} calls`
      : flow.sampled === 0 ? 'no call to sample RTP from'
      : flow.flowing < flow.sampled ? `RTP stopped in ${flow.sampled - flow.flowing} of ${flow.sampled} sampled calls`
      : '';
    const s: Step = { series, load, successful: r.successful, failed: r.failed, sippExit: r.code, peakInRtpengine, rtpFlowing: flow.flowing, rtpSampled: flow.sampled, peakMemory, ok: !reason, reason };
    console.log(`  ${series} ${load}: ${s.ok ? 'ok' : `stop: ${reason}`}; ${r.successful} ok, ${r.failed} failed, ${peakInRtpengine} in rtpengine, RTP ${flow.flowing}/${flow.sampled}, RSS rtpengine ${peakMemory.rtpengineMb} / engine ${peakMemory.sipEngineMb} / app ${peakMemory.callsAppMb} MB`);
    return s;
  }

  /** Waits for the previous step's calls to end, so each step starts from an empty rtpengine. */
  const drain = async () => {
    if (box.died.length) return;
    for (let i = 0; i < 30 && (await rtpCalls()).length > 0; i++) await sleep(1000);
    await sleep(1000);
  };

  const steps: Step[] = [];
  let timedOut = false;
  for (const n of concurrentSteps) {
    if (Date.now() > deadline) {
      timedOut = true;
      break;
    }
    const rampMs = (n / rampCps) * 1000;
    const holdMs = seconds * 1000;
    // RTP is sampled when every call should be up: after the ramp, before the first calls hang up.
    const s = await step('concurrent', n, ['-r', String(rampCps), '-l', String(n), '-m', String(n), '-d', String(rampMs + holdMs)], n, rampMs + holdMs * 0.5, Math.ceil((2 * rampMs + holdMs) / 1000) + 60);
    steps.push(s);
    await drain();
    if (!s.ok) break;
  }
  /** Memory once a series' calls have ended, and the rtpengine sessions nobody deleted. */
  const settle = async () => {
    await sleep(3000);
    return { ...memory(), leftInRtpengine: (await rtpCalls()).length };
  };
  const afterConcurrent = await settle();
  // A fresh box for the rate series: the concurrency series may have ended with a process down.
  await box.stop();
  box = await startBox('cps');
  for (const rate of cpsSteps) {
    if (Date.now() > deadline) {
      timedOut = true;
      break;
    }
    const s = await step('cps', rate, ['-r', String(rate), '-m', String(rate * seconds), '-d', String(cpsCallMs)], rate * seconds, seconds * 500, seconds + 60);
    steps.push(s);
    await drain();
    if (!s.ok) break;
  }

  const afterCps = await settle();
  const best = (series: Step['series']) => steps.filter((s) => s.series === series && s.ok).at(-1)?.load ?? 0;
  const result = {
    conditions: { cpus: cpus().length, seconds, rampCps, cpsCallMs, timedOut, note: 'loopback; SIPp, rtpengine, the SIP engine and the calls app share the machine' },
    maxConcurrentWithMedia: best('concurrent'),
    maxCallsPerSecondWithMedia: best('cps'),
    idle,
    steps,
    afterConcurrent,
    afterCps,
  };
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);

  const mb = (m: Memory) => [String(m.rtpengineMb), String(m.sipEngineMb), String(m.callsAppMb)];
  const rows: string[][] = [['load', 'result', 'ok', 'failed', 'in rtpengine', 'RTP flowing', 'rtpengine MB', 'sip-engine MB', 'calls app MB']];
  rows.push(['idle', '', '', '', '0', '', ...mb(idle)]);
  for (const s of steps) {
    rows.push([s.series === 'concurrent' ? `${s.load} concurrent, ${seconds} s` : `${s.load} calls/s x ${seconds} s`, s.ok ? 'ok' : 'stop', String(s.successful), String(s.failed), String(s.peakInRtpengine), `${s.rtpFlowing}/${s.rtpSampled}`, ...mb(s.peakMemory)]);
  }
  rows.push(['after the concurrent series', '', '', '', String(afterConcurrent.leftInRtpengine), '', ...mb(afterConcurrent)]);
  rows.push(['after the calls/s series', '', '', '', String(afterCps.leftInRtpengine), '', ...mb(afterCps)]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  console.log('');
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  '));
  for (const s of steps.filter((x) => !x.ok)) console.log(`${s.series} stopped at ${s.load}: ${s.reason}`);
  if (timedOut) console.log('BENCH_MAX_MINUTES reached: later steps not run');
  /** The maximum is only found when a step stopped the series; say so when every step planned passed. */
  const verdict = (series: Step['series'], planned: number, knob: string) => {
    const run = steps.filter((s) => s.series === series);
    return run.length === planned && run.every((s) => s.ok) ? ` (every step passed: raise ${knob})` : run.length === 0 ? ' (not run)' : '';
  };
  console.log(`max concurrent calls with media: ${result.maxConcurrentWithMedia}${verdict('concurrent', concurrentSteps.length, 'BENCH_CONCURRENT')}`);
  console.log(`max calls per second with media: ${result.maxCallsPerSecondWithMedia}${verdict('cps', cpsSteps.length, 'BENCH_CPS')}`);
  console.log('(every call: 2 legs through the B2BUA, RTP both ways through rtpengine; RTP flowing = sampled calls whose every party sent new RTP within 1 s; memory is resident set size, peak during the step)');
} finally {
  await cleanup();
}
