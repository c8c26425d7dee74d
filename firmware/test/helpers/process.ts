import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface Spawned {
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr interleaved). */
  output(): string;
  /** Resolves when the output matches, rejects on timeout or exit, naming what was printed. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** SIGTERM, then SIGKILL after graceMs; resolves with the exit code (null if killed by signal). */
  stop(graceMs?: number): Promise<number | null>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Spawns a daemon or tool for a test and stops it by PID when the test ends (pass the node:test context),
 * so no test leaves a process behind even when it fails.
 */
export function spawnProcess(
  t: { after(fn: () => Promise<void> | void): void } | undefined,
  cmd: string,
  args: string[],
  opts: SpawnOptions = {},
): Spawned {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (b: Buffer) => {
    out += b.toString();
    if (out.length > 2_000_000) out = out.slice(-1_000_000);
    for (const l of listeners) l();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      for (const l of listeners) l();
      resolve({ code, signal });
    });
    child.once('error', (err) => {
      out += `\n[spawn error] ${err.message}`;
      resolve({ code: -1, signal: null });
    });
  });
  let done = false;
  void exited.then(() => (done = true));

  const waitFor = (pattern: RegExp, timeoutMs = 15_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const m = out.match(pattern);
        if (m) return finish(() => resolve(m));
        if (done) finish(() => reject(new Error(`${cmd} exited before printing ${pattern}; output:\n${out.slice(-4000)}`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`timeout waiting for ${pattern} from ${cmd}; output:\n${out.slice(-4000)}`))), timeoutMs);
      const finish = (f: () => void) => {
        clearTimeout(timer);
        listeners.delete(check);
        f();
      };
      listeners.add(check);
      check();
    });

  const stop = async (graceMs = 5000) => {
    if (!done && child.pid !== undefined) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => !done && child.kill('SIGKILL'), graceMs);
      const r = await exited;
      clearTimeout(timer);
      return r.code;
    }
    return (await exited).code;
  };
  t?.after(async () => {
    await stop(2000);
  });
  return { child, output: () => out, waitFor, stop, exited };
}

/** Whether a process with this PID still exists (signal 0 checks without disturbing it). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
