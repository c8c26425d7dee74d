import type { HealthSample } from '../platform/health.ts';
import type { EngineState, SnmpDataSource, SnmpSipCounters } from './data-source.ts';

/**
 * The data source the appliance starts with: system figures from the health sampler (the same numbers as
 * GET /health and the web UI), SIP counters at zero and no trunks or queues until those services register
 * their own figures. Objects report what exists: an empty table is walkable and has no rows.
 */
export interface HealthSourceOptions {
  health: () => HealthSample | null;
  firmwareVersion: string;
  boardModel: string;
  configRevision?: () => number;
  rtpengine?: () => EngineState;
  sipEngine?: () => EngineState;
}

const zeroSip: SnmpSipCounters = {
  registeredEndpoints: 0,
  activeCalls: 0,
  callsProcessed: 0n,
  callsPerSecond: 0,
  failed4xx: 0n,
  failed5xx: 0n,
  failed6xx: 0n,
  authFailures: 0n,
  bannedAddresses: 0,
};

export function healthDataSource(opts: HealthSourceOptions): SnmpDataSource {
  const disks = () => opts.health()?.disks ?? [];
  return {
    system: () => {
      const h = opts.health();
      return {
        firmwareVersion: opts.firmwareVersion,
        boardModel: opts.boardModel,
        uptimeSeconds: h?.uptimeSeconds ?? 0,
        configRevision: opts.configRevision?.() ?? 0,
        temperatureC: h?.temperatureC ?? null,
        cpuLoadPercent: h?.cpuLoadPercent ?? 0,
        memTotalBytes: h?.memory.totalBytes ?? 0,
        memAvailableBytes: h?.memory.availableBytes ?? 0,
        rtpengine: opts.rtpengine?.() ?? 'unknown',
        sipEngine: opts.sipEngine?.() ?? 'unknown',
        disks: disks().map((d) => ({ mountPoint: d.path, device: d.device, state: d.state, sizeBytes: d.sizeBytes, freeBytes: d.freeBytes, usedPercent: d.usedPercent })),
      };
    },
    sip: () => zeroSip,
    trunks: () => [],
    queues: () => [],
    recording: () => {
      const mounted = disks().filter((d) => d.state === 'mounted');
      return { recordingsToday: 0, storageFreeBytes: mounted.reduce((sum, d) => sum + d.freeBytes, 0), oldestRetained: null };
    },
  };
}
