import net from 'node:net';

/** Checks shared by the engine's flags and its `-f` file. */
export const isIp = (v: string) => net.isIP(v) !== 0;
export const LOGLEVELS = ['error', 'warn', 'notice', 'info', 'debug', 'trace'] as const;

/** `IP`, `IPv4:PORT` or `[IPv6]:PORT`, as node's Resolver#setServers takes them. */
export function isDnsServer(v: string): boolean {
  const withPort = /^\[([^\]]+)\]:\d{1,5}$/.exec(v) ?? /^([\d.]+):\d{1,5}$/.exec(v);
  return isIp(v) || (withPort !== null && isIp(withPort[1]!));
}
export const HANDLER_METHOD = /^([A-Za-z]+|\*)$/;
export const HANDLER_URL = /^(?:tcp|https?):\/\/\S+$/;
