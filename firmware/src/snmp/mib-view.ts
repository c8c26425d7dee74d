import snmp, { type Mib, type MibNode, type ObjectTypeValue, type ProviderDefinition } from 'net-snmp';
import type { SnmpDataSource } from './data-source.ts';
import { SCALARS, TABLES, type ScalarName, type Syntax, type TableDef, type TableName } from './oids.ts';

/**
 * Mirrors an SnmpDataSource into a net-snmp Mib (used by both the UDP agent and the AgentX subagent). net-snmp
 * answers GETNEXT from the nodes already in its tree, before any provider handler runs, so handlers cannot
 * supply dynamic rows: instead the view copies the data in just before a request is served (at most once per
 * `maxAgeMs`) and only touches cells that changed, which keeps a 5,000-row table cheap to refresh.
 */

const MAX_U32 = 0xffffffff;

/** How Counter64 must be shaped: the UDP encoder wants 8 big-endian bytes, the AgentX encoder a BigInt. */
export type Counter64Encoding = 'buffer' | 'bigint';

export function syntaxType(syntax: Syntax): ObjectTypeValue {
  const T = snmp.ObjectType;
  switch (syntax) {
    case 'DisplayString':
    case 'DateAndTime':
      return T.OctetString;
    case 'Integer32':
    case 'Enum':
      return T.Integer;
    case 'Unsigned32':
      return T.Unsigned32;
    case 'Gauge32':
      return T.Gauge32;
    case 'TimeTicks':
      return T.TimeTicks;
    case 'Counter64':
      return T.Counter64;
  }
}

/** RFC 2579 DateAndTime in UTC: 11 octets. */
export function dateAndTime(d: Date): Buffer {
  const b = Buffer.alloc(11);
  b.writeUInt16BE(d.getUTCFullYear(), 0);
  b.writeUInt8(d.getUTCMonth() + 1, 2);
  b.writeUInt8(d.getUTCDate(), 3);
  b.writeUInt8(d.getUTCHours(), 4);
  b.writeUInt8(d.getUTCMinutes(), 5);
  b.writeUInt8(d.getUTCSeconds(), 6);
  b.writeUInt8(Math.floor(d.getUTCMilliseconds() / 100), 7);
  b.write('+', 8, 'latin1');
  return b;
}

/** A source value as net-snmp wants it on the wire for the object's syntax. */
export function encodeValue(syntax: Syntax, value: unknown, counter64: Counter64Encoding, values?: Readonly<Record<string, number>>): unknown {
  switch (syntax) {
    case 'DisplayString':
      return String(value).slice(0, 255);
    case 'DateAndTime':
      return dateAndTime(value as Date);
    case 'Enum': {
      const n = values?.[String(value)];
      if (n === undefined) throw new Error(`value ${String(value)} is not one of ${Object.keys(values ?? {}).join(', ')}`);
      return n;
    }
    case 'Integer32':
      return Math.max(-0x80000000, Math.min(0x7fffffff, Math.round(Number(value))));
    case 'Unsigned32':
    case 'Gauge32':
    case 'TimeTicks':
      return Math.max(0, Math.min(MAX_U32, Math.round(Number(value))));
    case 'Counter64': {
      const v = BigInt.asUintN(64, typeof value === 'bigint' ? value : BigInt(Math.max(0, Math.round(Number(value)))));
      if (counter64 === 'bigint') return v;
      const b = Buffer.alloc(8);
      b.writeBigUInt64BE(v);
      return b;
    }
  }
}

const enumConstraints = (values?: Readonly<Record<string, number>>) =>
  values ? { constraints: { enumeration: Object.fromEntries(Object.entries(values).map(([k, v]) => [String(v), k])) } } : {};

/** One provider per scalar and per table, every object read-only (a SET gets notWritable from net-snmp). */
export function mibProviders(): ProviderDefinition[] {
  const readOnly = snmp.MaxAccess['read-only'];
  const scalars = (Object.entries(SCALARS) as [ScalarName, (typeof SCALARS)[ScalarName]][]).map(([name, d]) => ({
    name,
    type: snmp.MibProviderType.Scalar,
    oid: d.oid,
    scalarType: syntaxType(d.syntax),
    maxAccess: readOnly,
    ...enumConstraints('values' in d ? d.values : undefined),
  }));
  const tables = (Object.entries(TABLES) as [TableName, TableDef][]).map(([name, t]) => ({
    name,
    type: snmp.MibProviderType.Table,
    oid: t.entryOid,
    maxAccess: snmp.MaxAccess['not-accessible'],
    tableColumns: Object.entries(t.columns).map(([col, c]) => ({
      number: c.number,
      name: col,
      type: syntaxType(c.syntax),
      maxAccess: col === t.index ? snmp.MaxAccess['not-accessible'] : readOnly,
      ...enumConstraints(c.values),
    })),
    tableIndex: [{ columnName: t.index }],
  }));
  return [...scalars, ...tables];
}

type Row = { index: number; cells: unknown[] };

/** What the data source says now, keyed by CALLBOX-MIB object name, before wire encoding. */
export function snapshot(source: SnmpDataSource): { scalars: Record<ScalarName, unknown>; tables: Record<TableName, { index: number; cells: unknown[] }[]> } {
  const sys = source.system();
  const sip = source.sip();
  const trunks = source.trunks();
  const queues = source.queues();
  const rec = source.recording();
  const mib = (bytes: number) => Math.floor(bytes / 1048576);
  return {
    scalars: {
      cbSysFirmwareVersion: sys.firmwareVersion,
      cbSysBoardModel: sys.boardModel,
      cbSysUptime: sys.uptimeSeconds * 100,
      cbSysConfigRevision: sys.configRevision,
      cbSysTemperature: sys.temperatureC === null ? undefined : sys.temperatureC * 10,
      cbSysCpuLoad: sys.cpuLoadPercent,
      cbSysMemTotal: Math.floor(sys.memTotalBytes / 1024),
      cbSysMemAvailable: Math.floor(sys.memAvailableBytes / 1024),
      cbSysRtpengineState: sys.rtpengine,
      cbSysSipEngineState: sys.sipEngine,
      cbSipRegisteredEndpoints: sip.registeredEndpoints,
      cbSipActiveCalls: sip.activeCalls,
      cbSipCallsProcessed: sip.callsProcessed,
      cbSipCallsPerSecond: sip.callsPerSecond * 100,
      cbSipFailedCalls4xx: sip.failed4xx,
      cbSipFailedCalls5xx: sip.failed5xx,
      cbSipFailedCalls6xx: sip.failed6xx,
      cbSipAuthFailures: sip.authFailures,
      cbSipBannedAddresses: sip.bannedAddresses,
      cbTrunkCount: trunks.length,
      cbQueueCount: queues.length,
      cbRecRecordingsToday: rec.recordingsToday,
      cbRecStorageFree: mib(rec.storageFreeBytes),
      cbRecOldestRetained: rec.oldestRetained ?? undefined,
    },
    tables: {
      cbDiskTable: sys.disks.map((d, i) => ({ index: i + 1, cells: [i + 1, d.mountPoint, d.device, d.state, mib(d.sizeBytes), mib(d.freeBytes), d.usedPercent] })),
      cbTrunkTable: trunks.map((t) => ({
        index: t.index,
        cells: [t.index, t.name, t.state, regState(t.registration), t.optionsRttMs ?? 0, t.activeCalls, t.callsFailedOver, t.lastChange],
      })),
      cbQueueTable: queues.map((q) => ({
        index: q.index,
        cells: [
          q.index,
          q.name,
          q.number,
          q.callersWaiting,
          q.longestWaitSeconds,
          q.agentsLoggedIn,
          q.agentsAvailable,
          q.agentsOnCall,
          q.agentsPaused,
          q.serviceLevelPercent,
          q.serviceLevelTargetPercent,
          q.abandonedToday,
          q.asaTodaySeconds,
        ],
      })),
    },
  };
}

function regState(r: 'not-configured' | 'registered' | 'registering' | 'failed'): string {
  return r === 'not-configured' ? 'notConfigured' : r;
}

const same = (a: unknown, b: unknown) => a === b || (Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b));

interface MibInternals {
  providerNodes: Record<string, MibNode | undefined>;
}

export class MibView {
  readonly mib: Mib;
  #source: SnmpDataSource;
  #counter64: Counter64Encoding;
  #maxAgeMs: number;
  #refreshedAt = -Infinity;
  #rows = new Map<TableName, Map<number, unknown[]>>();
  #now: () => number;

  constructor(mib: Mib, source: SnmpDataSource, opts: { counter64: Counter64Encoding; maxAgeMs?: number; now?: () => number }) {
    this.mib = mib;
    this.#source = source;
    this.#counter64 = opts.counter64;
    this.#maxAgeMs = opts.maxAgeMs ?? 1000;
    this.#now = opts.now ?? (() => performance.now());
  }

  /** Copies the source in unless the last copy is younger than maxAgeMs (a walk is many requests in a row). */
  refreshIfStale(): void {
    if (this.#now() - this.#refreshedAt >= this.#maxAgeMs) this.refresh();
  }

  refresh(): void {
    const snap = snapshot(this.#source);
    for (const [name, raw] of Object.entries(snap.scalars) as [ScalarName, unknown][]) {
      const def = SCALARS[name];
      if (raw === undefined) this.#clearScalar(name);
      else this.mib.setScalarValue(name, encodeValue(def.syntax, raw, this.#counter64, 'values' in def ? def.values : undefined));
    }
    for (const [name, rows] of Object.entries(snap.tables) as [TableName, Row[]][]) this.#syncTable(name, rows);
    this.#refreshedAt = this.#now();
  }

  /** An object that does not exist must leave no node behind, or GETNEXT would return it without a value. */
  #clearScalar(name: ScalarName): void {
    const internals = this.mib as unknown as MibInternals;
    const providerNode = internals.providerNodes[name];
    if (!providerNode) return;
    const instance = this.mib.lookup(`${SCALARS[name].oid}.0`);
    instance?.delete();
    delete internals.providerNodes[name];
    providerNode.pruneUpwards();
  }

  #syncTable(name: TableName, rows: Row[]): void {
    const def: TableDef = TABLES[name];
    const columns = Object.values(def.columns);
    let current = this.#rows.get(name);
    if (!current) this.#rows.set(name, (current = new Map()));
    const seen = new Set<number>();
    for (const row of rows) {
      if (seen.has(row.index)) throw new Error(`${name}: row index ${row.index} appears twice`);
      seen.add(row.index);
      const cells = row.cells.map((v, i) => {
        const c = columns[i];
        if (!c) throw new Error(`${name}: too many cells`);
        return encodeValue(c.syntax, v, this.#counter64, c.values);
      });
      const old = current.get(row.index);
      if (!old) {
        this.mib.addTableRow(name, cells);
      } else {
        for (let i = 0; i < cells.length; i++) {
          const c = columns[i];
          if (c && c.number !== 1 && !same(old[i], cells[i])) this.mib.setTableSingleCell(name, c.number, [row.index], cells[i]);
        }
      }
      current.set(row.index, cells);
    }
    for (const index of [...current.keys()]) {
      if (!seen.has(index)) {
        this.mib.deleteTableRow(name, [index]);
        current.delete(index);
      }
    }
  }
}
