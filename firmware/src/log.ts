import { closeSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/** Where the box keeps its own log files under the data dir; the console's log download packs this folder. */
export const logDir = (dataDir: string) => path.join(dataDir, 'logs');

/**
 * An append-only log file bounded in size: at `maxBytes` it becomes `<name>.1` (the previous `.1` is dropped) and
 * a new one starts, so the box never holds more than twice `maxBytes` of it. Writes are synchronous: a crash must
 * not lose the lines that explain it, and at info level the box writes a few lines a second.
 */
export class RotatingLogFile {
  readonly file: string;
  readonly #maxBytes: number;
  #fd: number;
  #size: number;

  constructor(file: string, maxBytes = 4 * 1024 * 1024) {
    this.file = file;
    this.#maxBytes = maxBytes;
    mkdirSync(path.dirname(file), { recursive: true });
    this.#fd = openSync(file, 'a', 0o640);
    this.#size = statSync(file).size;
  }

  write(line: string): void {
    if (this.#fd < 0) return;
    if (this.#size > 0 && this.#size + Buffer.byteLength(line) > this.#maxBytes) this.#rotate();
    this.#size += writeSync(this.#fd, line);
  }

  #rotate(): void {
    closeSync(this.#fd);
    renameSync(this.file, `${this.file}.1`);
    this.#fd = openSync(this.file, 'a', 0o640);
    this.#size = 0;
  }

  close(): void {
    if (this.#fd < 0) return;
    closeSync(this.#fd);
    this.#fd = -1;
  }
}

// Every logger of the process also writes here once the data dir is known (the logger exists before that).
const fileSinks = new Set<RotatingLogFile>();

/**
 * Copies the JSON log lines of every logger of this process into a rotating file `<logDir>/<name>.log` (stdout keeps
 * them too), so the console can hand out the log on a machine without a journal. Returns the file; `close()` stops it.
 */
export function logToFile(dir: string, name: string, maxBytes?: number): { file: string; close(): void } {
  const sink = new RotatingLogFile(path.join(dir, `${name}.log`), maxBytes);
  fileSinks.add(sink);
  return {
    file: sink.file,
    close: () => {
      fileSinks.delete(sink);
      sink.close();
    },
  };
}

/**
 * One structured logger for every service. JSON lines when stdout is not a terminal (systemd's journal,
 * log files, tests), pretty single lines for a person at a terminal. pino-pretty runs as a plain stream, not a
 * worker transport, because worker threads cannot load files from inside the one-file firmware. The log files
 * get JSON in both cases.
 */
export function createLogger(name: string, level = process.env['CALLBOX_LOG_LEVEL'] ?? 'info'): Logger {
  const wantPretty = process.stdout.isTTY && process.env['CALLBOX_LOG_FORMAT'] !== 'json';
  const out = wantPretty ? pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', sync: true }) : pino.destination(1);
  const stream = {
    write(line: string) {
      out.write(line);
      for (const sink of fileSinks) sink.write(line);
    },
  };
  return pino(wantPretty ? { name, level } : { name, level, base: { svc: name } }, stream);
}
