import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort } from '../helpers/ports.ts';
import { spawnProcess } from '../helpers/process.ts';
import { tempDir } from '../helpers/tmp.ts';

type Ctx = { after(fn: () => Promise<void> | void): void };

export interface PhoneEvent {
  type: string;
  param?: string;
  peeruri?: string;
  id?: string;
}

/**
 * A baresip desk phone on loopback (baresip-notes.md): plays a sine tone, dumps what it hears, and is driven
 * through ctrl_tcp. Every event is kept so tests can wait for one.
 */
export class Phone {
  readonly events: PhoneEvent[] = [];
  readonly dir: string;
  readonly toneHz: number;
  rtpBase = 0;
  #sock!: net.Socket;
  #buf = '';
  #waiters = new Set<() => void>();
  #dumps = 0;
  #responses: string[] = [];
  #output: () => string = () => '';

  private constructor(dir: string, toneHz: number) {
    this.dir = dir;
    this.toneHz = toneHz;
  }

  /** `codecs` are baresip codec modules, in order of preference (default G.711 only). */
  static async start(t: Ctx, o: { address?: string; toneHz: number; rtpBase: number; codecs?: string[] }): Promise<Phone> {
    const dir = tempDir(t, 'bs-');
    const address = o.address ?? '127.0.0.1';
    const phone = new Phone(dir, o.toneHz);
    phone.rtpBase = o.rtpBase;
    const wav = path.join(dir, 'tone.wav');
    // aufile refuses a file whose rate is not the codec's: G.722 runs at 16 kHz.
    const rate = o.codecs?.[0] === 'g722' ? '16000' : '8000';
    execFileSync('sox', ['-n', '-r', rate, '-c', '1', '-b', '16', wav, 'synth', '120', 'sine', String(o.toneHz), 'vol', '0.5']);
    let sipPort = await freePort(address);
    while (!(await isFree(address, sipPort + 1))) sipPort = await freePort(address);
    const ctrlPort = await freePort();
    mkdirSync(path.join(dir, 'snd'));
    writeFileSync(
      path.join(dir, 'config'),
      [
        `net_interface ${address}`,
        `sip_listen ${address}:${sipPort}`,
        'dns_server 127.0.0.1:53',
        `rtp_ports ${o.rtpBase}-${o.rtpBase + 9}`,
        'module_path /usr/lib/baresip/modules',
        ...(o.codecs ?? ['g711']).map((c) => `module ${c}.so`),
        'module aufile.so',
        'module aubridge.so',
        'module sndfile.so',
        'module menu.so',
        'module ctrl_tcp.so',
        'module_app account.so',
        `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
        `audio_source aufile,${wav}`,
        'audio_player aubridge,nil',
        'audio_alert aubridge,nil',
        `snd_path ${path.join(dir, 'snd')}`,
        '',
      ].join('\n'),
    );
    writeFileSync(path.join(dir, 'accounts'), '');
    const proc = spawnProcess(t, 'baresip', ['-f', dir]);
    phone.#output = proc.output;
    const end = Date.now() + 10_000;
    for (;;) {
      try {
        phone.#sock = await new Promise<net.Socket>((resolve, reject) => {
          const s = net.connect(ctrlPort, '127.0.0.1', () => resolve(s));
          s.once('error', reject);
        });
        break;
      } catch (err) {
        if (Date.now() > end) throw new Error(`baresip did not open ctrl_tcp: ${(err as Error).message}\n${proc.output()}`, { cause: err });
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    phone.#sock.on('data', (b) => phone.#onData(b));
    t.after(() => {
      phone.#sock.destroy();
    });
    return phone;
  }

  #onData(b: Buffer): void {
    this.#buf += b.toString('utf8');
    for (;;) {
      const colon = this.#buf.indexOf(':');
      if (colon < 0) return;
      const len = Number(this.#buf.slice(0, colon));
      if (this.#buf.length < colon + 1 + len + 1) return;
      const body = this.#buf.slice(colon + 1, colon + 1 + len);
      this.#buf = this.#buf.slice(colon + 2 + len);
      try {
        const msg = JSON.parse(body) as PhoneEvent & { event?: boolean; response?: boolean; data?: string };
        if (msg.event) this.events.push(msg);
        else if (msg.response) this.#responses.push(msg.data ?? '');
      } catch {
        // Not JSON: ignore.
      }
      for (const w of this.#waiters) w();
    }
  }

  /** A regex alternative of this phone's RTP ports. */
  rtpPortsPattern(): string {
    return Array.from({ length: 10 }, (_, i) => this.rtpBase + i).join('|');
  }

  /** Sends a command and resolves with its response text (audio_debug, callstat, ...). */
  async request(command: string, params = ''): Promise<string> {
    const before = this.#responses.length;
    this.command(command, params);
    const end = Date.now() + 5000;
    while (this.#responses.length <= before) {
      if (Date.now() > end) throw new Error(`no response to ${command}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.#responses[before] as string;
  }

  /** RTP packets received per sender SSRC in the current call (from audio_debug's RTCP members). */
  async rtpReceived(): Promise<Map<string, number>> {
    const text = await this.request('audio_debug');
    const out = new Map<string, number>();
    for (const m of text.matchAll(/member (0x[0-9a-f]+):[^]*?rcvd=(\d+)/g)) out.set(m[1] as string, Number(m[2]));
    return out;
  }

  command(command: string, params = ''): void {
    const body = JSON.stringify({ command, params, token: 't' });
    this.#sock.write(`${Buffer.byteLength(body)}:${body},`);
  }

  /** Waits for the next event of a type (after `since` events), returning it. */
  waitEvent(type: string, ms = 10_000, since = 0): Promise<PhoneEvent> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const e = this.events.slice(since).find((x) => x.type === type);
        if (e) {
          clearTimeout(timer);
          this.#waiters.delete(check);
          resolve(e);
        }
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`phone ${this.toneHz} Hz: no ${type} event; saw ${this.events.map((e) => `${e.type}(${e.param ?? ''})`).join(', ')}\n${this.#output().slice(-3000)}`));
      }, ms);
      this.#waiters.add(check);
      check();
    });
  }

  /** Registers over `transport` (default UDP) to the box's port for it. */
  async register(sipPort: number, user: string, password: string, o: { answer?: 'auto' | 'manual'; transport?: 'udp' | 'tcp' | 'tls' } = {}): Promise<void> {
    const since = this.events.length;
    this.command('uanew', `<sip:${user}@127.0.0.1:${sipPort};transport=${o.transport ?? 'udp'}>;auth_pass=${password};regint=600;answermode=${o.answer ?? 'auto'}`);
    const e = await Promise.race([this.waitEvent('REGISTER_OK', 10_000, since), this.waitEvent('REGISTER_FAIL', 10_000, since)]);
    if (e.type !== 'REGISTER_OK') throw new Error(`register ${user} failed: ${e.param}`);
  }

  /** Renames the received-audio dump of the last call so the next call cannot overwrite it, and returns it. */
  takeReceivedDump(): string {
    const snd = path.join(this.dir, 'snd');
    const dec = readdirSync(snd).filter((f) => f.endsWith('-dec.wav')).sort();
    const last = dec.at(-1);
    if (!last) throw new Error('no received-audio dump');
    const to = path.join(snd, `call${++this.#dumps}.wav`);
    renameSync(path.join(snd, last), to);
    for (const f of readdirSync(snd)) if (f.startsWith('dump-')) renameSync(path.join(snd, f), path.join(snd, `old-${this.#dumps}-${f}`));
    return to;
  }
}

async function isFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

/** sox's "Rough frequency" and RMS of a received-audio dump. */
/** RTP packets a phone received, summed over its streams. */
export const totalPackets = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);

/**
 * Packets the phone received in a 1.5 s window, tried up to three times until more than `enough` arrived:
 * audio that comes back after a re-anchoring may take a moment, and one quiet window under load is not a failure.
 */
export async function packetsInWindow(phone: Pick<Phone, 'rtpReceived'>, enough = 50): Promise<number> {
  let heard = 0;
  for (let i = 0; i < 3 && heard <= enough; i++) {
    const before = totalPackets(await phone.rtpReceived());
    await new Promise((r) => setTimeout(r, 1500));
    heard = totalPackets(await phone.rtpReceived()) - before;
  }
  return heard;
}

/**
 * Audio both ways within a few seconds (a loaded machine may take a moment to re-anchor the media after a
 * transfer): one window of 1.5 s with audio in both directions, tried up to six times, is what a user would call
 * "they talk". The counters give the packets each side received so far.
 */
export async function talkBothWays(names: [string, string], first: () => Promise<number>, second: () => Promise<number>): Promise<void> {
  let a = 0;
  let b = 0;
  for (let i = 0; i < 6 && !(a > 50 && b > 50); i++) {
    const a0 = await first();
    const b0 = await second();
    await new Promise((r) => setTimeout(r, 1500));
    a = (await first()) - a0;
    b = (await second()) - b0;
  }
  if (!(a > 50)) throw new Error(`${names[0]} hears ${names[1]}: ${a} packets in 1.5 s`);
  if (!(b > 50)) throw new Error(`${names[1]} hears ${names[0]}: ${b} packets in 1.5 s`);
}

export function audioStats(file: string): { freq: number; rms: number } {
  // sox prints stat to stderr.
  const out = execFileSync('sh', ['-c', 'sox --ignore-length "$1" -n stat 2>&1', 'sh', file]).toString();
  const freq = Number(/Rough\s+frequency:\s+(\d+)/.exec(out)?.[1] ?? NaN);
  const rms = Number(/RMS\s+amplitude:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
  return { freq, rms };
}

/** An RTP port range for a phone, outside rtpengine's 30000-39999 and unlikely to collide between test files. */
export async function phoneRtpBase(): Promise<number> {
  return 40000 + ((await freePort()) % 2000) * 10;
}
