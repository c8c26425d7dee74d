/**
 * CALLBOX-MIB as data: every object's OID and syntax, in the one shape the agent, the subagent and the
 * notification sender share. firmware/test/snmp/oids.test.ts checks it against the MIB text with snmptranslate,
 * so the two cannot drift apart.
 */

/**
 * PLACEHOLDER Private Enterprise Number. 32473 is reserved by IANA for documentation and examples (RFC 5612).
 * When the company registers its own PEN, change it here and in firmware/mibs/CALLBOX-ROOT-MIB.txt (the only
 * place in the MIB text that holds the number).
 */
export const CALLBOX_PEN = 32473;

export const CALLBOX_ROOT_OID = `1.3.6.1.4.1.${CALLBOX_PEN}`;
/** CALLBOX-ROOT-MIB::callboxAppliance, the appliance's sysObjectID. */
export const CALLBOX_APPLIANCE_OID = `${CALLBOX_ROOT_OID}.2.1`;
export const CALLBOX_MIB_OID = `${CALLBOX_ROOT_OID}.1`;
const notificationsOid = `${CALLBOX_MIB_OID}.0`;
const objectsOid = `${CALLBOX_MIB_OID}.1`;
/** The subtree the agent serves: every readable object sits below it. */
export const CALLBOX_OBJECTS_OID = objectsOid;

/**
 * SNMPv2-MIB's system group (RFC 3418), which NMSs read first to discover a device. The standalone agent
 * serves it; in AgentX mode snmpd does.
 */
export const SNMPV2_SYSTEM = {
  sysDescr: '1.3.6.1.2.1.1.1',
  sysObjectID: '1.3.6.1.2.1.1.2',
  sysUpTime: '1.3.6.1.2.1.1.3',
  sysContact: '1.3.6.1.2.1.1.4',
  sysName: '1.3.6.1.2.1.1.5',
  sysLocation: '1.3.6.1.2.1.1.6',
} as const;

/** SNMP syntaxes used by CALLBOX-MIB (TCs resolved to what goes on the wire). */
export type Syntax = 'DisplayString' | 'DateAndTime' | 'Integer32' | 'Enum' | 'Unsigned32' | 'Gauge32' | 'Counter64' | 'TimeTicks';

export interface ScalarDef {
  oid: string;
  syntax: Syntax;
  /** Named numbers of an enumerated INTEGER. */
  values?: Readonly<Record<string, number>>;
}

export interface ColumnDef {
  number: number;
  syntax: Syntax;
  values?: Readonly<Record<string, number>>;
}

export interface TableDef {
  /** OID of the ...Entry node (what net-snmp calls the table provider's OID). */
  entryOid: string;
  /** Index column (not-accessible, Unsigned32 1..). */
  index: string;
  columns: Readonly<Record<string, ColumnDef>>;
}

const engineState = { up: 1, down: 2, unknown: 3 } as const;
const sys = `${objectsOid}.1`;
const sip = `${objectsOid}.2`;
const trunks = `${objectsOid}.3`;
const queues = `${objectsOid}.4`;
const recording = `${objectsOid}.5`;
const notifObjects = `${objectsOid}.6`;

export const SCALARS = {
  cbSysFirmwareVersion: { oid: `${sys}.1`, syntax: 'DisplayString' },
  cbSysBoardModel: { oid: `${sys}.2`, syntax: 'DisplayString' },
  cbSysUptime: { oid: `${sys}.3`, syntax: 'TimeTicks' },
  cbSysConfigRevision: { oid: `${sys}.4`, syntax: 'Unsigned32' },
  cbSysTemperature: { oid: `${sys}.5`, syntax: 'Integer32' },
  cbSysCpuLoad: { oid: `${sys}.6`, syntax: 'Gauge32' },
  cbSysMemTotal: { oid: `${sys}.7`, syntax: 'Gauge32' },
  cbSysMemAvailable: { oid: `${sys}.8`, syntax: 'Gauge32' },
  cbSysRtpengineState: { oid: `${sys}.9`, syntax: 'Enum', values: engineState },
  cbSysSipEngineState: { oid: `${sys}.10`, syntax: 'Enum', values: engineState },
  cbSipRegisteredEndpoints: { oid: `${sip}.1`, syntax: 'Gauge32' },
  cbSipActiveCalls: { oid: `${sip}.2`, syntax: 'Gauge32' },
  cbSipCallsProcessed: { oid: `${sip}.3`, syntax: 'Counter64' },
  cbSipCallsPerSecond: { oid: `${sip}.4`, syntax: 'Gauge32' },
  cbSipFailedCalls4xx: { oid: `${sip}.5`, syntax: 'Counter64' },
  cbSipFailedCalls5xx: { oid: `${sip}.6`, syntax: 'Counter64' },
  cbSipFailedCalls6xx: { oid: `${sip}.7`, syntax: 'Counter64' },
  cbSipAuthFailures: { oid: `${sip}.8`, syntax: 'Counter64' },
  cbSipBannedAddresses: { oid: `${sip}.9`, syntax: 'Gauge32' },
  cbTrunkCount: { oid: `${trunks}.1`, syntax: 'Gauge32' },
  cbQueueCount: { oid: `${queues}.1`, syntax: 'Gauge32' },
  cbRecRecordingsToday: { oid: `${recording}.1`, syntax: 'Gauge32' },
  cbRecStorageFree: { oid: `${recording}.2`, syntax: 'Gauge32' },
  cbRecOldestRetained: { oid: `${recording}.3`, syntax: 'DateAndTime' },
} as const satisfies Record<string, ScalarDef>;

/** accessible-for-notify objects: they travel only in notifications (scalar-style OIDs with instance .0). */
export const NOTIFY_OBJECTS = {
  cbNotifSourceAddress: { oid: `${notifObjects}.1`, syntax: 'DisplayString' },
  cbNotifPreviousVersion: { oid: `${notifObjects}.2`, syntax: 'DisplayString' },
  cbNotifThreshold: { oid: `${notifObjects}.3`, syntax: 'Integer32' },
} as const satisfies Record<string, ScalarDef>;

export const TABLES = {
  cbDiskTable: {
    entryOid: `${sys}.11.1`,
    index: 'cbDiskIndex',
    columns: {
      cbDiskIndex: { number: 1, syntax: 'Unsigned32' },
      cbDiskMountPoint: { number: 2, syntax: 'DisplayString' },
      cbDiskDevice: { number: 3, syntax: 'DisplayString' },
      cbDiskState: { number: 4, syntax: 'Enum', values: { mounted: 1, unmounted: 2, failed: 3 } },
      cbDiskSize: { number: 5, syntax: 'Gauge32' },
      cbDiskFree: { number: 6, syntax: 'Gauge32' },
      cbDiskUsedPercent: { number: 7, syntax: 'Gauge32' },
    },
  },
  cbTrunkTable: {
    entryOid: `${trunks}.2.1`,
    index: 'cbTrunkIndex',
    columns: {
      cbTrunkIndex: { number: 1, syntax: 'Unsigned32' },
      cbTrunkName: { number: 2, syntax: 'DisplayString' },
      cbTrunkState: { number: 3, syntax: 'Enum', values: { up: 1, down: 2, degraded: 3 } },
      cbTrunkRegState: { number: 4, syntax: 'Enum', values: { notConfigured: 1, registered: 2, registering: 3, failed: 4 } },
      cbTrunkOptionsRtt: { number: 5, syntax: 'Gauge32' },
      cbTrunkActiveCalls: { number: 6, syntax: 'Gauge32' },
      cbTrunkCallsFailedOver: { number: 7, syntax: 'Counter64' },
      cbTrunkLastChange: { number: 8, syntax: 'DateAndTime' },
    },
  },
  cbQueueTable: {
    entryOid: `${queues}.2.1`,
    index: 'cbQueueIndex',
    columns: {
      cbQueueIndex: { number: 1, syntax: 'Unsigned32' },
      cbQueueName: { number: 2, syntax: 'DisplayString' },
      cbQueueNumber: { number: 3, syntax: 'DisplayString' },
      cbQueueCallersWaiting: { number: 4, syntax: 'Gauge32' },
      cbQueueLongestWait: { number: 5, syntax: 'Gauge32' },
      cbQueueAgentsLoggedIn: { number: 6, syntax: 'Gauge32' },
      cbQueueAgentsAvailable: { number: 7, syntax: 'Gauge32' },
      cbQueueAgentsOnCall: { number: 8, syntax: 'Gauge32' },
      cbQueueAgentsPaused: { number: 9, syntax: 'Gauge32' },
      cbQueueServiceLevel: { number: 10, syntax: 'Gauge32' },
      cbQueueServiceLevelTarget: { number: 11, syntax: 'Gauge32' },
      cbQueueAbandonedToday: { number: 12, syntax: 'Gauge32' },
      cbQueueAsaToday: { number: 13, syntax: 'Gauge32' },
    },
  },
} as const satisfies Record<string, TableDef>;

export type ScalarName = keyof typeof SCALARS;
export type NotifyObjectName = keyof typeof NOTIFY_OBJECTS;
export type TableName = keyof typeof TABLES;
export type ColumnName = { [T in TableName]: keyof (typeof TABLES)[T]['columns'] }[TableName];

export const NOTIFICATIONS = {
  cbTrunkDown: { oid: `${notificationsOid}.1`, objects: ['cbTrunkName', 'cbTrunkState', 'cbTrunkRegState'] },
  cbTrunkUp: { oid: `${notificationsOid}.2`, objects: ['cbTrunkName', 'cbTrunkState', 'cbTrunkRegState'] },
  cbAllTrunksDown: { oid: `${notificationsOid}.3`, objects: ['cbTrunkCount'] },
  cbDiskSpaceLow: { oid: `${notificationsOid}.4`, objects: ['cbDiskMountPoint', 'cbDiskFree', 'cbDiskUsedPercent', 'cbNotifThreshold'] },
  cbDiskFailed: { oid: `${notificationsOid}.5`, objects: ['cbDiskMountPoint', 'cbDiskDevice', 'cbDiskState'] },
  cbRtpengineDown: { oid: `${notificationsOid}.6`, objects: ['cbSysRtpengineState'] },
  cbRtpengineUp: { oid: `${notificationsOid}.7`, objects: ['cbSysRtpengineState'] },
  cbSipEngineDown: { oid: `${notificationsOid}.8`, objects: ['cbSysSipEngineState'] },
  cbSipEngineUp: { oid: `${notificationsOid}.9`, objects: ['cbSysSipEngineState'] },
  cbServiceLevelBreached: { oid: `${notificationsOid}.10`, objects: ['cbQueueName', 'cbQueueServiceLevel', 'cbQueueServiceLevelTarget'] },
  cbRegistrationBruteForce: { oid: `${notificationsOid}.11`, objects: ['cbNotifSourceAddress', 'cbSipAuthFailures'] },
  cbTemperatureHigh: { oid: `${notificationsOid}.12`, objects: ['cbSysTemperature', 'cbNotifThreshold'] },
  cbFirmwareUpdated: { oid: `${notificationsOid}.13`, objects: ['cbSysFirmwareVersion', 'cbNotifPreviousVersion'] },
} as const satisfies Record<string, { oid: string; objects: readonly (ScalarName | NotifyObjectName | ColumnName)[] }>;

export type NotificationName = keyof typeof NOTIFICATIONS;
export type ObjectName = ScalarName | NotifyObjectName | ColumnName;

/** Where an object lives and what it is, by name (scalars and notify objects get instance .0, columns the row index). */
export function objectDef(name: ObjectName): { oid: string; syntax: Syntax; column: boolean; values?: Readonly<Record<string, number>> } {
  if (name in SCALARS) {
    const d: ScalarDef = SCALARS[name as ScalarName];
    return { oid: d.oid, syntax: d.syntax, column: false, ...(d.values ? { values: d.values } : {}) };
  }
  if (name in NOTIFY_OBJECTS) {
    const d: ScalarDef = NOTIFY_OBJECTS[name as NotifyObjectName];
    return { oid: d.oid, syntax: d.syntax, column: false };
  }
  for (const table of Object.values(TABLES) as TableDef[]) {
    const c = table.columns[name];
    if (c) return { oid: `${table.entryOid}.${c.number}`, syntax: c.syntax, column: true, ...(c.values ? { values: c.values } : {}) };
  }
  throw new Error(`unknown CALLBOX-MIB object ${name}`);
}
