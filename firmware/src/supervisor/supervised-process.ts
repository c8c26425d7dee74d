import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import type { Logger } from '../log.ts';

export interface SupervisedProcessOptions {
  name: string;
  cmd: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  log: Logger;
  /** Resolves true once the process serves (e.g. answers an ng ping); polled after each start. */
  ready: () => Promise<boolean>;
  readyTimeoutMs?: number;
  /** First and largest delay between restarts; the delay doubles after each crash and resets after a stable run. */
  backoffMs?: { initial: number; max: number };
  /** A run at least this long counts as stable and resets the backoff. */
  stableAfterMs?: number;
}

const SETPRIV = '/usr/bin/setpriv';

/**
 * The child gets SIGTERM from the kernel if we die, even by SIGKILL (setpriv --pdeathsig, util-linux), so a crashed
 * or killed supervisor never leaves an rtpengine holding the ports. Without setpriv the child runs as it is.
 */
/** The program's path, or undefined when it is not installed (setpriv would only say "exit 127"). */
function findExecutable(cmd: string, env: NodeJS.ProcessEnv): string | undefined {
  if (cmd.includes('/')) return existsSync(cmd) ? cmd : undefined;
  for (const dir of (env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin').split(':')) {
    if (dir && existsSync(path.join(dir, cmd))) return path.join(dir, cmd);
  }
  return undefined;
}

function withParentDeath(cmd: string, args: string[]): [string, string[]] {
  return existsSync(SETPRIV) ? [SETPRIV, ['--pdeathsig', 'TERM', '--', cmd, ...args]] : [cmd, args];
}

export type ProcessState = 'starting' | 'running' | 'restarting' | 'stopped' | 'failed';

/**
 * Keeps one child daemon alive: starts it, waits until it serves, restarts it with backoff when it dies (logging
 * why: exit code or signal and its last lines of output), and stops it on request without leaving it behind.
 */
export class SupervisedProcess extends EventEmitter<{ state: [ProcessState, string] }> {
  readonly name: string;
  #o: Required<Omit<SupervisedProcessOptions, 'env'>> & { env?: NodeJS.ProcessEnv };
  #child: ChildProcess | undefined;
  #state: ProcessState = 'stopped';
  #detail = 'not started';
  #stopping = false;
  #delay: number;
  #restartTimer: NodeJS.Timeout | undefined;
  #tail: string[] = [];
  restarts = 0;

  constructor(o: SupervisedProcessOptions) {
    super();
    this.name = o.name;
    // 30 s: a loaded 2-core box starting from cold may need it; a daemon that never comes up still fails the start.
    this.#o = { readyTimeoutMs: 30_000, backoffMs: { initial: 500, max: 30_000 }, stableAfterMs: 60_000, ...o };
    this.#delay = this.#o.backoffMs.initial;
  }

  get state(): ProcessState {
    return this.#state;
  }
  get detail(): string {
    return this.#detail;
  }
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Starts the process and resolves when it is ready; rejects with a clear reason if it never gets there. */
  async start(): Promise<void> {
    this.#stopping = false;
    try {
      await this.#launch();
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  #setState(s: ProcessState, detail: string) {
    this.#state = s;
    this.#detail = detail;
    this.emit('state', s, detail);
  }

  async #launch(): Promise<void> {
    const { name, cmd, args, log } = this.#o;
    this.#tail = [];
    const env = this.#o.env ?? process.env;
    const program = findExecutable(cmd, env);
    if (program === undefined) {
      this.#setState('stopped', `${cmd} not found`);
      throw new Error(`${name} failed to start: ${cmd} not found: install it (see README, Troubleshooting)`);
    }
    const child = spawn(...withParentDeath(program, args), {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
      // Its own process group: a Ctrl-C at the terminal reaches only us, and we stop the children in order.
      detached: true,
    });
    this.#child = child;
    this.#setState('starting', `starting ${cmd} (pid ${child.pid})`);
    const startedAt = Date.now();
    const keep = (b: Buffer) => {
      for (const line of b.toString().split('\n')) {
        if (!line.trim()) continue;
        this.#tail.push(line);
        if (this.#tail.length > 20) this.#tail.shift();
        log[relayLevel(line)]({ proc: name }, line);
      }
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);

    const exited = new Promise<string>((resolve) => {
      child.once('error', (err: NodeJS.ErrnoException) =>
        resolve(err.code === 'ENOENT' ? `${cmd} not found: install it (see README, Troubleshooting)` : err.message),
      );
      child.once('exit', (code, signal) => resolve(signal ? `killed by ${signal}` : `exited with code ${code}`));
    });
    void exited.then((why) => {
      if (this.#child !== child) return;
      this.#child = undefined;
      if (this.#stopping) return this.#setState('stopped', why);
      const lastLines = this.#tail.slice(-5).join(' | ');
      if (Date.now() - startedAt >= this.#o.stableAfterMs) this.#delay = this.#o.backoffMs.initial;
      log.error({ proc: name, why, lastLines, restartInMs: this.#delay }, `${name} stopped unexpectedly; restarting`);
      this.#setState('restarting', `${why}; restarting in ${this.#delay} ms`);
      this.restarts++;
      this.#restartTimer = setTimeout(() => {
        this.#restartTimer = undefined;
        this.#launch().catch((err: Error) => {
          log.error({ proc: name, err: err.message }, `${name} restart failed`);
          // Killing it hands it back to the exit handler above, which schedules the next try.
          this.#child?.kill('SIGKILL');
        });
      }, this.#delay);
      this.#delay = Math.min(this.#delay * 2, this.#o.backoffMs.max);
    });

    const deadline = Date.now() + this.#o.readyTimeoutMs;
    let exitedWhy: string | undefined;
    void exited.then((w) => (exitedWhy = w));
    while (Date.now() < deadline) {
      if (exitedWhy !== undefined) break;
      if (await this.#o.ready().catch(() => false)) {
        if (this.#child !== child) break;
        log.info({ proc: name, pid: child.pid }, `${name} ready`);
        this.#setState('running', `pid ${child.pid}`);
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const why = exitedWhy ?? `not ready within ${this.#o.readyTimeoutMs} ms`;
    const lastLines = this.#tail.slice(-3).join(' | ');
    throw new Error(`${name} failed to start: ${why}${lastLines ? ` (last output: ${lastLines})` : ''}`);
  }

  /** Stops the process (SIGTERM, SIGKILL after graceMs) and cancels any pending restart. */
  async stop(graceMs = 5000): Promise<void> {
    this.#stopping = true;
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      this.#setState('stopped', 'stopped');
      return;
    }
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await gone;
    clearTimeout(timer);
    this.#setState('stopped', 'stopped');
  }
}

/**
 * A child's warnings and errors reach the box log (and so the console's log download) at their own level; the
 * rest of its chatter only at debug. Children that log pino JSON (the SIP engine) carry a numeric level.
 */
export function relayLevel(line: string): 'debug' | 'warn' | 'error' {
  const m = /^\{"level":(\d+)/.exec(line);
  const level = m ? Number(m[1]) : 0;
  return level >= 50 ? 'error' : level >= 40 ? 'warn' : 'debug';
}
