/**
 * What the SNMP agent reports, as plain values. The rest of the firmware (trunk manager, ACD, registrar,
 * recording) fills an implementation in; the agent reads it synchronously whenever a request arrives, so
 * implementations return what they already hold in memory and never do I/O here.
 */

export type EngineState = 'up' | 'down' | 'unknown';

export interface SnmpDisk {
  mountPoint: string;
  device: string;
  state: 'mounted' | 'unmounted' | 'failed';
  sizeBytes: number;
  freeBytes: number;
  usedPercent: number;
}

export interface SnmpSystemInfo {
  firmwareVersion: string;
  boardModel: string;
  uptimeSeconds: number;
  configRevision: number;
  /** °C; null on boards without a sensor (the object then has no instance). */
  temperatureC: number | null;
  cpuLoadPercent: number;
  memTotalBytes: number;
  memAvailableBytes: number;
  rtpengine: EngineState;
  sipEngine: EngineState;
  disks: readonly SnmpDisk[];
}

export interface SnmpSipCounters {
  registeredEndpoints: number;
  activeCalls: number;
  callsProcessed: bigint;
  callsPerSecond: number;
  failed4xx: bigint;
  failed5xx: bigint;
  failed6xx: bigint;
  authFailures: bigint;
  bannedAddresses: number;
}

export interface SnmpTrunk {
  /** Stable while the trunk stays configured (1, 2, ...): the row index NMSs key their graphs on. */
  index: number;
  name: string;
  state: 'up' | 'down' | 'degraded';
  registration: 'not-configured' | 'registered' | 'registering' | 'failed';
  /** Last answered OPTIONS round trip; null when none answered yet. */
  optionsRttMs: number | null;
  activeCalls: number;
  callsFailedOver: bigint;
  lastChange: Date;
}

export interface SnmpQueue {
  index: number;
  name: string;
  number: string;
  callersWaiting: number;
  longestWaitSeconds: number;
  agentsLoggedIn: number;
  agentsAvailable: number;
  agentsOnCall: number;
  agentsPaused: number;
  serviceLevelPercent: number;
  serviceLevelTargetPercent: number;
  abandonedToday: number;
  asaTodaySeconds: number;
}

export interface SnmpRecordingStats {
  recordingsToday: number;
  storageFreeBytes: number;
  /** null while no recording is kept (the object then has no instance). */
  oldestRetained: Date | null;
}

export interface SnmpDataSource {
  system(): SnmpSystemInfo;
  sip(): SnmpSipCounters;
  trunks(): readonly SnmpTrunk[];
  queues(): readonly SnmpQueue[];
  recording(): SnmpRecordingStats;
}
