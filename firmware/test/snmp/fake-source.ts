import type { SnmpDataSource, SnmpQueue, SnmpRecordingStats, SnmpSipCounters, SnmpSystemInfo, SnmpTrunk } from '../../src/snmp/data-source.ts';

/** A data source tests change at will, as the trunk manager or ACD would. */
export class FakeSource implements SnmpDataSource {
  sys: SnmpSystemInfo = {
    firmwareVersion: '1.2.3-test',
    boardModel: 'Test Board',
    uptimeSeconds: 4242,
    configRevision: 7,
    temperatureC: 48.5,
    cpuLoadPercent: 17,
    memTotalBytes: 2048 * 1024 * 1024,
    memAvailableBytes: 1024 * 1024 * 1024,
    rtpengine: 'up',
    sipEngine: 'up',
    disks: [{ mountPoint: '/data', device: '/dev/sdb1', state: 'mounted', sizeBytes: 100 * 1048576, freeBytes: 40 * 1048576, usedPercent: 60 }],
  };
  sipCounters: SnmpSipCounters = {
    registeredEndpoints: 12,
    activeCalls: 3,
    callsProcessed: 5_000_000_000n,
    callsPerSecond: 1.25,
    failed4xx: 11n,
    failed5xx: 2n,
    failed6xx: 1n,
    authFailures: 99n,
    bannedAddresses: 4,
  };
  trunkList: SnmpTrunk[] = [
    { index: 1, name: 'carrier-a', state: 'up', registration: 'registered', optionsRttMs: 23, activeCalls: 2, callsFailedOver: 0n, lastChange: new Date('2026-11-30T08:15:30Z') },
    { index: 2, name: 'carrier-b', state: 'down', registration: 'failed', optionsRttMs: null, activeCalls: 0, callsFailedOver: 5n, lastChange: new Date('2026-12-01T10:00:00Z') },
  ];
  queueList: SnmpQueue[] = [queue(1, 'Support', '500')];
  rec: SnmpRecordingStats = { recordingsToday: 31, storageFreeBytes: 40 * 1048576, oldestRetained: new Date('2026-06-01T00:00:00Z') };
  reads = 0;

  system(): SnmpSystemInfo {
    this.reads++;
    return this.sys;
  }
  sip(): SnmpSipCounters {
    return this.sipCounters;
  }
  trunks(): readonly SnmpTrunk[] {
    return this.trunkList;
  }
  queues(): readonly SnmpQueue[] {
    return this.queueList;
  }
  recording(): SnmpRecordingStats {
    return this.rec;
  }
}

export function queue(index: number, name: string, number: string): SnmpQueue {
  return {
    index,
    name,
    number,
    callersWaiting: 4,
    longestWaitSeconds: 95,
    agentsLoggedIn: 6,
    agentsAvailable: 1,
    agentsOnCall: 4,
    agentsPaused: 1,
    serviceLevelPercent: 85,
    serviceLevelTargetPercent: 80,
    abandonedToday: 9,
    asaTodaySeconds: 21,
  };
}

export function manyTrunks(n: number): SnmpTrunk[] {
  return Array.from({ length: n }, (_, i) => ({
    index: i + 1,
    name: `trunk-${String(i + 1).padStart(5, '0')}`,
    state: i % 7 === 0 ? ('down' as const) : ('up' as const),
    registration: 'registered' as const,
    optionsRttMs: i % 100,
    activeCalls: i % 5,
    callsFailedOver: BigInt(i),
    lastChange: new Date(Date.UTC(2026, 10, 1, 0, 0, i % 60)),
  }));
}
