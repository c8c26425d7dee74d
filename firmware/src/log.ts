import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/**
 * One structured logger for every service. JSON lines when stdout is not a terminal (systemd's journal,
 * log files, tests), pretty single lines for a person at a terminal. pino-pretty runs as a plain stream, not a
 * worker transport, because worker threads cannot load files from inside the one-file firmware.
 */
export function createLogger(name: string, level = process.env['CALLBOX_LOG_LEVEL'] ?? 'info'): Logger {
  const wantPretty = process.stdout.isTTY && process.env['CALLBOX_LOG_FORMAT'] !== 'json';
  if (wantPretty) {
    return pino({ name, level }, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', sync: true }));
  }
  return pino({ name, level, base: { svc: name } });
}
