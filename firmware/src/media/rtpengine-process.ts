import { mkdirSync } from 'node:fs';
import path from 'node:path';

export interface RtpengineProcessOptions {
  bin: string;
  dataDir: string;
  /** The address rtpengine anchors media on and listens for ng. */
  interfaceAddress: string;
  ng: { host: string; port: number };
  rtpPorts: { min: number; max: number };
  /** Where rtpengine sends one JSON datagram per DTMF digit. */
  dtmfLogDest: { host: string; port: number };
}

/**
 * The command line for rtpengine in the dev profile (on the appliance systemd runs it from its own unit).
 * `--config-file=none` keeps /etc/rtpengine out; `--table=-1` is userspace forwarding (no kernel module off the
 * board). Recording and DSCP follow rtpengine-notes.md.
 */
export function rtpengineCommand(o: RtpengineProcessOptions): { cmd: string; args: string[]; recordingDir: string } {
  const recordingDir = path.join(o.dataDir, 'recordings', 'spool');
  // rtpengine exits at start when its recording dir is missing.
  mkdirSync(recordingDir, { recursive: true });
  return {
    cmd: o.bin,
    recordingDir,
    args: [
      '--config-file=none',
      '--table=-1',
      `--interface=${o.interfaceAddress}`,
      `--listen-ng=${o.ng.host}:${o.ng.port}`,
      `--port-min=${o.rtpPorts.min}`,
      `--port-max=${o.rtpPorts.max}`,
      '--foreground',
      '--log-stderr',
      '--log-level=5',
      `--dtmf-log-dest=${o.dtmfLogDest.host}:${o.dtmfLogDest.port}`,
      `--recording-dir=${recordingDir}`,
      '--recording-method=pcap',
      // DSCP EF (46 << 2) on every RTP/RTCP packet it sends.
      '--tos=184',
      '--delete-delay=0',
    ],
  };
}
