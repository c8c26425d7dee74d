import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * One structured logger for every service. JSON lines when stdout is not a terminal (systemd's journal,
 * log files, tests), pretty single lines for a person at a terminal.
 */
export function createLogger(name: string, level = process.env['CALLBOX_LOG_LEVEL'] ?? 'info'): Logger {
  const pretty = process.stdout.isTTY && process.env['CALLBOX_LOG_FORMAT'] !== 'json';
  if (pretty) {
    return pino({
      name,
      level,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } },
    });
  }
  return pino({ name, level, base: { svc: name } });
}
