import { once } from 'node:events';
import path from 'node:path';
import pino from 'pino';
import Srf from 'drachtio-srf';
import { freePort } from '../helpers/ports.ts';
import { spawnProcess } from '../helpers/process.ts';
import { parseSipEngineArgs } from '../../src/sip-engine/cli-args.ts';
import { startSipEngine, type SipEngine } from '../../src/sip-engine/main.ts';

type Ctx = { after(fn: () => Promise<void> | void): void };

export const SCENARIOS = path.join(import.meta.dirname, 'scenarios');
export const SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 10000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';

export interface TestEngine {
  engine: SipEngine;
  sipPort: number;
  adminPort: number;
  /** 127.0.0.1:port, the engine's SIP address for SIPp. */
  target: string;
}

/** An engine on 127.0.0.1 with free ports and short timers (T1 100 ms) so transactions end quickly. */
export async function startTestEngine(t: Ctx, extra: string[] = []): Promise<TestEngine> {
  const sipPort = await freePort();
  const adminPort = await freePort();
  const opts = await parseSipEngineArgs(['--contact', `sip:127.0.0.1:${sipPort};transport=udp,tcp`, '--port', String(adminPort), '--secret', 'cymru', '--t1', '100', '--t2', '800', '--t4', '1000', ...extra]);
  const engine = await startSipEngine(opts, pino({ level: process.env['SIP_TEST_LOG'] ?? 'silent' }));
  t.after(() => engine.close());
  return { engine, sipPort, adminPort, target: `127.0.0.1:${sipPort}` };
}

export interface LooseReq {
  get(name: string): string;
  body: string;
  on(event: 'response', fn: (res: { status: number }) => void): void;
}
export interface LooseRes {
  send(
    status: number,
    opts?: { headers?: Record<string, string>; body?: string },
    cb?: (err: unknown, msg: unknown) => void,
    onAckOrPrack?: (req: LooseReq) => void,
  ): void;
}
export interface LooseDialog {
  remote: { sdp: string };
  sip: { localTag: string };
  request(opts: { method: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number }>;
  modify(sdp: string): Promise<string>;
  destroy(): Promise<void>;
}
/** The parts of drachtio-srf's API that its bundled typings leave out or mistype. */
export interface LooseSrf {
  register(fn: (req: LooseReq, res: LooseRes) => void): void;
  options(fn: (req: LooseReq, res: LooseRes) => void): void;
  request(uri: string, opts: Record<string, unknown>, cb: (err: Error | null, req: LooseReq) => void): void;
  createUAC(uri: string, opts: Record<string, unknown>): Promise<LooseDialog>;
}
export const loose = (srf: Srf): LooseSrf => srf as unknown as LooseSrf;

export async function connectApp(t: Ctx, adminPort: number): Promise<Srf> {
  const srf = await startSrf(adminPort);
  t.after(() => srf.disconnect());
  return srf;
}

/** An app the test disconnects itself (a crash, as the engine sees it). */
export async function startSrf(adminPort: number): Promise<Srf> {
  const srf = new Srf();
  srf.connect({ host: '127.0.0.1', port: adminPort, secret: 'cymru' });
  await once(srf, 'connect');
  return srf;
}

export interface SippResult {
  code: number | null;
  output: string;
}

/** `-p 0` becomes a free port on the `-i` address, so test files running in parallel never share a SIPp port. */
async function withFreePort(args: string[]): Promise<string[]> {
  const out = [...args];
  const i = out.indexOf('-p');
  if (i >= 0 && out[i + 1] === '0') out[i + 1] = String(await freePort(out[out.indexOf('-i') + 1] ?? '127.0.0.1'));
  return out;
}

/** Runs SIPp to completion (bounded by -timeout) and returns its exit code and output. */
export async function runSipp(t: Ctx, args: string[]): Promise<SippResult> {
  const p = spawnProcess(t, 'sipp', [...(await withFreePort(args)), '-nostdin', '-timeout', '30', '-timeout_error'], { cwd: SCENARIOS });
  const { code } = await p.exited;
  return { code, output: p.output() };
}

/** Starts SIPp in the background (UAS peers) and resolves once it is listening. */
export async function startSipp(t: Ctx, args: string[]): Promise<ReturnType<typeof spawnProcess>> {
  const p = spawnProcess(t, 'sipp', [...(await withFreePort(args)), '-nostdin', '-timeout', '40'], { cwd: SCENARIOS });
  await new Promise((r) => setTimeout(r, 300));
  return p;
}

/** Waits until the engine holds no transaction or dialog (or gives up after `ms`). */
export async function settle(engine: SipEngine, ms = 15000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const c = engine.counters();
    if (c.liveTransactions === 0 && c.liveDialogs === 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}
