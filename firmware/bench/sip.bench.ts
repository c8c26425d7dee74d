// SIP engine benchmark (issue 10): SIPp UAC -> callbox-sip -> drachtio-srf B2BUA app -> SIPp UAS, no media.
// Reports the highest rate that completes BENCH_SECONDS (default 60) with zero failed calls, setup time
// p50/p99, resident memory of the engine and the app during and after; REGISTER with digest per second; and
// engine memory per idle dialog at 10,000 dialogs. Writes JSON to argv[2]. Everything runs on loopback.
// The engine runs from the built bundle (`make bench` builds it), as the appliance runs it.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sipEngineEnv } from '../src/sip-engine/node-options.ts';
import { freePort } from '../test/helpers/ports.ts';
import { spawnProcess, type Spawned } from '../test/helpers/process.ts';

const root = path.resolve(import.meta.dirname, '../..');
const out = process.argv[2] ?? path.join(root, 'bench-results', 'sip.json');
const seconds = Number(process.env['BENCH_SECONDS'] ?? 60);
const rates = (process.env['BENCH_RATES'] ?? '200,400,600,800,1000').split(',').map(Number);
const regRates = (process.env['BENCH_REG_RATES'] ?? '500,1000,1500').split(',').map(Number);
const dialogs = Number(process.env['BENCH_DIALOGS'] ?? 10_000);
const scenarios = path.join(import.meta.dirname, 'sip');
const node = process.execPath;
const secret = 'bench-secret';

const rssMb = (pid: number | undefined): number => {
  if (!pid) return NaN;
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};
/** CPU seconds (user + system) a process has used: per call, a figure other load on the machine barely moves. */
const cpuS = (pid: number | undefined): number => {
  if (!pid) return NaN;
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};

async function startEngineAndApp(mode: string, target?: string): Promise<{ engine: Spawned; app: Spawned; sipPort: number }> {
  const sipPort = await freePort();
  const adminPort = await freePort();
  const engine = spawnProcess(undefined, node, [path.join(root, 'firmware/dist/callbox.mjs'), 'sip-engine', '--contact', `sip:127.0.0.1:${sipPort};transport=udp`, '--port', String(adminPort), '--secret', secret, '--loglevel', 'warn'], {
    // The V8 settings the supervisor gives the engine (see sip-engine/node-options.ts), so the figures are the appliance's.
    env: sipEngineEnv({ ...process.env, CALLBOX_LOG_FORMAT: 'json' }),
  });
  await engine.waitFor(/sip engine ready/, 20_000);
  const app = spawnProcess(undefined, node, [path.join(import.meta.dirname, 'apps/bench-app.ts'), mode, String(adminPort), secret, target ?? '']);
  await app.waitFor(/bench-app connected/, 20_000);
  return { engine, app, sipPort };
}

interface SippRun {
  ok: boolean;
  successful: number;
  failed: number;
  rttMs: number[];
  engineRssMaxMb: number;
  appRssMaxMb: number;
  /** CPU time per successful call (ms), engine and app. */
  engineCpuMsPerCall: number;
  appCpuMsPerCall: number;
}

async function runSipp(args: string[], watch: Array<number | undefined>, timeoutS: number): Promise<SippRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'callbox-bench-'));
  try {
    const p = spawnProcess(undefined, 'sipp', [...args, '-nostdin', '-trace_stat', '-stf', 'stat.csv', '-fd', '1', '-trace_rtt', '-rtt_freq', '200', '-timeout', String(timeoutS), '-timeout_error'], { cwd: dir });
    let engineRssMaxMb = 0;
    let appRssMaxMb = 0;
    const cpu0 = [cpuS(watch[0]), cpuS(watch[1])];
    let done = false;
    void p.exited.then(() => (done = true));
    while (!done) {
      engineRssMaxMb = Math.max(engineRssMaxMb, rssMb(watch[0]));
      appRssMaxMb = Math.max(appRssMaxMb, rssMb(watch[1]));
      await sleep(500);
    }
    const { code } = await p.exited;
    const cpu1 = [cpuS(watch[0]), cpuS(watch[1])];
    const stat = readFileSync(path.join(dir, 'stat.csv'), 'utf8').trim().split('\n');
    const head = (stat[0] ?? '').split(';');
    const last = (stat[stat.length - 1] ?? '').split(';');
    const col = (name: string) => Number(last[head.indexOf(name)]);
    const rttMs: number[] = [];
    for (const f of readdirSync(dir).filter((f) => f.endsWith('_rtt.csv'))) {
      for (const line of readFileSync(path.join(dir, f), 'utf8').split('\n').slice(1)) {
        const v = Number(line.split(';')[1]);
        if (Number.isFinite(v) && line) rttMs.push(v);
      }
    }
    const successful = col('SuccessfulCall(C)');
    const perCall = (i: number) => ((cpu1[i]! - cpu0[i]!) * 1000) / successful;
    return { ok: code === 0, successful, failed: col('FailedCall(C)'), rttMs, engineRssMaxMb, appRssMaxMb, engineCpuMsPerCall: perCall(0), appCpuMsPerCall: perCall(1) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function b2buaRates() {
  const uasPort = await freePort('127.0.0.20');
  const { engine, app, sipPort } = await startEngineAndApp('b2bua', `127.0.0.20:${uasPort}`);
  const uas = spawnProcess(undefined, 'sipp', ['-sn', 'uas', '-i', '127.0.0.20', '-p', String(uasPort), '-nostdin'], { cwd: tmpdir() });
  await sleep(500);
  const runs: Array<{ rate: number; engineRssAfterMb: number; appRssAfterMb: number } & SippRun> = [];
  for (const rate of rates) {
    const uacPort = await freePort('127.0.0.21');
    const r = await runSipp(['-sf', path.join(scenarios, 'uac-bench.xml'), `127.0.0.1:${sipPort}`, '-i', '127.0.0.21', '-p', String(uacPort), '-r', String(rate), '-m', String(rate * seconds), '-l', String(rate * 5)], [engine.child.pid, app.child.pid], seconds + 60);
    // "After" a rate is once the engine is idle again: answered transactions linger 64*T1 (32 s) by RFC 3261,
    // and V8's memory reducer returns pages a few seconds after that.
    await sleep(40_000);
    const after = { engineRssAfterMb: rssMb(engine.child.pid), appRssAfterMb: rssMb(app.child.pid) };
    runs.push({ rate, ...r, ...after });
    console.log(
      `  b2bua ${rate}/s: ${r.successful} ok, ${r.failed} failed, p50 ${pct(r.rttMs, 50)} ms, p99 ${pct(r.rttMs, 99)} ms, engine ${r.engineRssMaxMb.toFixed(0)} MB (${after.engineRssAfterMb.toFixed(0)} MB 40 s after), CPU per call engine ${r.engineCpuMsPerCall.toFixed(2)} ms, app ${r.appCpuMsPerCall.toFixed(2)} ms`,
    );
    if (!r.ok || r.failed > 0) break;
  }
  await uas.stop();
  await app.stop();
  await engine.stop();
  return { runs };
}

async function registerRates() {
  const { engine, app, sipPort } = await startEngineAndApp('registrar');
  const dir = mkdtempSync(path.join(tmpdir(), 'callbox-bench-users-'));
  const users = path.join(dir, 'users.csv');
  writeFileSync(users, `SEQUENTIAL\n${Array.from({ length: 5000 }, (_, i) => `${10000 + i}`).join('\n')}\n`);
  const runs: Array<{ rate: number; ok: boolean; successful: number; failed: number; p99Ms: number; engineCpuMsPerReg: number; appCpuMsPerReg: number }> = [];
  const regSeconds = Math.max(10, Math.round(seconds / 3));
  for (const rate of regRates) {
    const r = await runSipp(['-sf', path.join(scenarios, 'register-bench.xml'), `127.0.0.1:${sipPort}`, '-inf', users, '-i', '127.0.0.22', '-p', String(await freePort('127.0.0.22')), '-r', String(rate), '-m', String(rate * regSeconds)], [engine.child.pid, app.child.pid], regSeconds + 60);
    runs.push({ rate, ok: r.ok, successful: r.successful, failed: r.failed, p99Ms: pct(r.rttMs, 99), engineCpuMsPerReg: r.engineCpuMsPerCall, appCpuMsPerReg: r.appCpuMsPerCall });
    console.log(`  register ${rate}/s: ${r.successful} ok, ${r.failed} failed, CPU per registration engine ${r.engineCpuMsPerCall.toFixed(2)} ms, app ${r.appCpuMsPerCall.toFixed(2)} ms`);
    if (!r.ok || r.failed > 0) break;
  }
  rmSync(dir, { recursive: true, force: true });
  await app.stop();
  await engine.stop();
  return { seconds: regSeconds, runs };
}

async function dialogMemory() {
  const { engine, app, sipPort } = await startEngineAndApp('uas');
  await sleep(1000);
  const idleMb = rssMb(engine.child.pid);
  const rate = 1000;
  const uac = spawnProcess(undefined, 'sipp', ['-sf', path.join(scenarios, 'uac-hold.xml'), `127.0.0.1:${sipPort}`, '-i', '127.0.0.23', '-p', String(await freePort('127.0.0.23')), '-r', String(rate), '-m', String(dialogs), '-l', String(dialogs), '-nostdin', '-timeout', '120', '-timeout_error'], { cwd: tmpdir() });
  // All dialogs are up after dialogs/rate seconds and stay up for 45 s. Sample once their INVITE transactions
  // have ended (64*T1 = 32 s after the 200), so what is measured is the idle dialogs alone.
  await sleep((dialogs / rate) * 1000 + 38_000);
  const loadedMb = rssMb(engine.child.pid);
  const { code } = await uac.exited;
  await app.stop();
  await engine.stop();
  return { dialogs, idleMb, loadedMb, perDialogKb: ((loadedMb - idleMb) * 1024) / dialogs, sippOk: code === 0 };
}

const b2bua = await b2buaRates();
const register = await registerRates();
const memory = await dialogMemory();

const sustained = b2bua.runs.filter((r) => r.ok && r.failed === 0).at(-1);
const best = sustained ?? b2bua.runs[0];
const at800 = b2bua.runs.find((r) => r.rate === 800 && r.ok && r.failed === 0);
const regBest = register.runs.filter((r) => r.ok && r.failed === 0).at(-1);
const rows: Array<[string, string, string]> = [
  [`B2BUA calls/s sustained ${seconds} s, 0 failed`, sustained ? String(sustained.rate) : 'none', '>= 800'],
  ['setup time p50 / p99 (ms) at that rate', best ? `${pct(best.rttMs, 50)} / ${pct(best.rttMs, 99)}` : '-', ''],
  ['engine RSS max during / 40 s after that run (MB)', best ? `${best.engineRssMaxMb.toFixed(0)} / ${best.engineRssAfterMb.toFixed(0)}` : '-', '< 150'],
  // The memory target goes with the rate target: what the engine holds at 800 calls/s, when that rate was run.
  ['engine RSS max during / after at 800/s (MB)', at800 ? `${at800.engineRssMaxMb.toFixed(0)} / ${at800.engineRssAfterMb.toFixed(0)}` : '-', '< 150'],
  ['app RSS max during / after (MB)', best ? `${best.appRssMaxMb.toFixed(0)} / ${best.appRssAfterMb.toFixed(0)}` : '-', ''],
  ['CPU per call engine / app (ms) at that rate', best ? `${best.engineCpuMsPerCall.toFixed(2)} / ${best.appCpuMsPerCall.toFixed(2)}` : '-', ''],
  [`REGISTER with digest per s (${register.seconds} s, 0 failed)`, regBest ? String(regBest.rate) : 'none', '>= 1000'],
  ['CPU per registration engine / app (ms)', regBest ? `${regBest.engineCpuMsPerReg.toFixed(2)} / ${regBest.appCpuMsPerReg.toFixed(2)}` : '-', ''],
  [`engine memory per idle dialog at ${memory.dialogs} (KB)`, memory.perDialogKb.toFixed(2), '< 4'],
];
const w = Math.max(...rows.map((r) => r[0].length));
console.log(`\n${'metric'.padEnd(w)}  ${'result'.padEnd(12)}  target`);
for (const [m, v, t] of rows) console.log(`${m.padEnd(w)}  ${v.padEnd(12)}  ${t}`);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ seconds, b2bua: { ...b2bua, runs: b2bua.runs.map(({ rttMs, ...r }) => ({ ...r, p50Ms: pct(rttMs, 50), p99Ms: pct(rttMs, 99) })) }, register, memory }, null, 2)}\n`);
