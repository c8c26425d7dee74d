import net from 'node:net';
import { freePort } from './ports.ts';

/**
 * The environment for a `callbox run` under test: its own data dir and free loopback ports for everything it
 * listens on, so boxes in tests running side by side never meet. SIP over TLS takes the SIP port + 1, so the SIP
 * port is picked with a free neighbour. `extra` adds or overrides variables (an admin password, say).
 */
export async function boxEnv(dataDir: string, extra: Record<string, string> = {}): Promise<NodeJS.ProcessEnv> {
  const ng = await freePort();
  // rtpengine's media ports: a small range of its own, away from the kernel's ephemeral ports.
  const base = 33000 + (ng % 150) * 20;
  return {
    ...process.env,
    CALLBOX_DATA_DIR: dataDir,
    CALLBOX_HTTP_PORT: String(await freePort()),
    CALLBOX_SIP_PORT: String(await sipPortWithTlsNeighbour()),
    CALLBOX_SIP_WSS_PORT: String(await freePort()),
    CALLBOX_DRACHTIO_PORT: String(await freePort()),
    CALLBOX_SNMP_PORT: String(await freePort()),
    CALLBOX_RTPENGINE_NG: `127.0.0.1:${ng}`,
    CALLBOX_RTP_PORTS: `${base}-${base + 19}`,
    CALLBOX_LOG_FORMAT: 'json',
    ...extra,
  };
}

async function sipPortWithTlsNeighbour(): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const p = await freePort();
    if (p < 65535 && (await isFree(p + 1))) return p;
  }
  throw new Error('no free SIP port with a free TLS port beside it');
}

async function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}
