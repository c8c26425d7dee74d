import { createLogger } from '../../src/log.ts';
import { NgClient } from '../../src/media/ng-client.ts';
import { rtpengineCommand } from '../../src/media/rtpengine-process.ts';
import { SupervisedProcess } from '../../src/supervisor/supervised-process.ts';
import { freePort } from './ports.ts';
import { tempDir } from './tmp.ts';

export interface TestRtpengine {
  ng: NgClient;
  ngPort: number;
  /** Where this rtpengine sends DTMF events (bind a DtmfListener here). */
  dtmfPort: number;
  rtpPorts: { min: number; max: number };
  proc: SupervisedProcess;
}

/** A real rtpengine on loopback with its own ports and dirs, stopped by PID when the test ends. */
export async function startTestRtpengine(t: { after(fn: () => unknown): void }): Promise<TestRtpengine> {
  const dir = tempDir(t);
  const ngPort = await freePort();
  const dtmfPort = await freePort();
  // Spread test instances over 30000-39999 so files running in parallel do not share RTP ports.
  const base = 30000 + ((ngPort * 7) % 490) * 20;
  const rtpPorts = { min: base, max: base + 19 };
  const ng = new NgClient({ host: '127.0.0.1', port: ngPort, timeoutMs: 1000 });
  const { cmd, args } = rtpengineCommand({ bin: 'rtpengine', dataDir: dir, interfaceAddress: '127.0.0.1', ng: { host: '127.0.0.1', port: ngPort }, rtpPorts, dtmfLogDest: { host: '127.0.0.1', port: dtmfPort } });
  const proc = new SupervisedProcess({ name: 'rtpengine', cmd, args, log: createLogger('test', 'silent'), ready: () => ng.ping(), backoffMs: { initial: 100, max: 500 } });
  t.after(async () => {
    await proc.stop();
    ng.close();
  });
  await proc.start();
  return { ng, ngPort, dtmfPort, rtpPorts, proc };
}

/** An SDP for a fake endpoint that sends and receives G.711 µ-law and telephone-events at port. */
export function endpointSdp(port: number): string {
  return ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} RTP/AVP 0 101`, 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15', 'a=sendrecv', ''].join('\r\n');
}

export function sdpPort(sdp: unknown): number {
  const m = /m=audio (\d+)/.exec(String(sdp));
  if (!m) throw new Error(`no audio port in SDP: ${String(sdp)}`);
  return Number(m[1]);
}
