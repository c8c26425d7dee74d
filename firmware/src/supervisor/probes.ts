import dgram from 'node:dgram';
import net from 'node:net';
import { isSea } from 'node:sea';

/** True when something accepts TCP connections at host:port within timeoutMs. */
export function tcpReachable(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** Whether this process could bind the port now (tcp or udp); the reason when not. */
export function portFree(proto: 'tcp' | 'udp', host: string, port: number): Promise<{ free: boolean; reason?: string }> {
  return new Promise((resolve) => {
    const fail = (err: NodeJS.ErrnoException) => resolve({ free: false, reason: err.code ?? err.message });
    if (proto === 'tcp') {
      const srv = net.createServer();
      srv.once('error', fail);
      srv.listen(port, host, () => srv.close(() => resolve({ free: true })));
    } else {
      const s = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
      s.once('error', fail);
      s.bind(port, host, () => s.close(() => resolve({ free: true })));
    }
  });
}

/** How to start this same program again as a child (`callbox sip-engine`), from source or as one executable. */
export function selfCommand(): string[] {
  const script = process.argv[1];
  return isSea() || script === undefined ? [process.execPath] : [process.execPath, script];
}
