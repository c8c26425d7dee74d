import snmp, { type Mib, type MibNode, type ObjectTypeValue, type ProviderDefinition } from 'net-snmp';
import type { SnmpDataSource } from './data-source.ts';
import { SCALARS, TABLES, type ScalarName, type Syntax, type TableDef, type TableName } from './oids.ts';

/**
 * Mirrors an SnmpDataSource into a net-snmp Mib (used by both the UDP agent and the AgentX subagent). net-snmp
 * answers GETNEXT from the nodes already in its tree, before any provider handler runs, so handlers cannot
 * supply dynamic rows: instead the view copies the data in just before a request is served (at most once per
 * `maxAgeMs`) and only touches cells that changed, which keeps a 5,000-row table cheap to refresh.
 *
 * net-snmp's own GETNEXT sorts a node's children on every step (O(rows log rows) per varbind: a 5,000-row
 * walk took 45 s); the view keeps the instance OIDs sorted, rebuilt only when rows or objects come or go, and
 * answers GETNEXT by binary search (see installFastGetNext).
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

/** A scalar outside CALLBOX-MIB (SNMPv2-MIB's system group), already in wire form. */
export interface ExtraScalar {
  provider: ProviderDefinition;
  get: () => unknown;
}

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

/** SnmpTrunk's registration as the cbTrunkRegState enumeration name. */
export function regState(r: 'not-configured' | 'registered' | 'registering' | 'failed'): string {
  return r === 'not-configured' ? 'notConfigured' : r;
}

const same = (a: unknown, b: unknown) => a === b || (Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b));

interface MibInternals {
  providerNodes: Record<string, MibNode | undefined>;
}

/**
 * net-snmp builds the whole row for every table varbind it answers, and each cell lookup starts with
 * Object.keys(columnNode.children).length: O(rows) per cell, O(columns x rows) per varbind (a 5,000-row walk:
 * 45 s, nearly all of it there). The wrapper below goes straight to the child when it exists (the same node
 * the original would reach) and leaves every other case to the original. Installed once on net-snmp's
 * MibNode prototype.
 */
function speedUpRowLookup(mib: Mib): void {
  type Lookup = (this: Node, index: number[]) => Node | null;
  type Node = MibNode & { getInstanceNodeForTableRowIndex: Lookup; __callboxFast?: true };
  const proto = Object.getPrototypeOf(mib.root) as Node;
  if (proto.__callboxFast) return;
  const original = proto.getInstanceNodeForTableRowIndex;
  proto.getInstanceNodeForTableRowIndex = function (this: Node, index: number[]): Node | null {
    const part = index[0];
    const child = part == null ? undefined : (this.children[part] as Node | undefined);
    return child ? child.getInstanceNodeForTableRowIndex(index.slice(1)) : original.call(this, index);
  };
  proto.__callboxFast = true;
}

export class MibView {
  readonly mib: Mib;
  #source: SnmpDataSource;
  #counter64: Counter64Encoding;
  #maxAgeMs: number;
  #refreshedAt = -Infinity;
  #rows = new Map<TableName, Map<number, unknown[]>>();
  #presentScalars = new Set<ScalarName>();
  /** Every instance OID in the tree, sorted; null after a structural change (rebuilt on the next GETNEXT). */
  #sorted: number[][] | null = null;
  #now: () => number;

  #extra: ExtraScalar[];

  constructor(mib: Mib, source: SnmpDataSource, opts: { counter64: Counter64Encoding; maxAgeMs?: number; now?: () => number; extraScalars?: ExtraScalar[] }) {
    this.mib = mib;
    this.#extra = opts.extraScalars ?? [];
    this.#source = source;
    this.#counter64 = opts.counter64;
    this.#maxAgeMs = opts.maxAgeMs ?? 1000;
    this.#now = opts.now ?? (() => performance.now());
    speedUpRowLookup(mib);
  }

  /** Copies the source in unless the last copy is younger than maxAgeMs (a walk is many requests in a row). */
  refreshIfStale(): void {
    if (this.#now() - this.#refreshedAt >= this.#maxAgeMs) this.refresh();
  }

  refresh(): void {
    const snap = snapshot(this.#source);
    for (const [name, raw] of Object.entries(snap.scalars) as [ScalarName, unknown][]) {
      const def = SCALARS[name];
      if (raw === undefined) {
        if (this.#presentScalars.delete(name)) this.#sorted = null;
        this.#clearScalar(name);
      } else {
        this.mib.setScalarValue(name, encodeValue(def.syntax, raw, this.#counter64, 'values' in def ? def.values : undefined));
        if (!this.#presentScalars.has(name)) {
          this.#presentScalars.add(name);
          this.#sorted = null;
        }
      }
    }
    for (const [name, rows] of Object.entries(snap.tables) as [TableName, Row[]][]) this.#syncTable(name, rows);
    for (const e of this.#extra) this.mib.setScalarValue(e.provider.name, e.get());
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
        this.#sorted = null;
      } else {
        for (let i = 0; i < cells.length; i++) {
          const c = columns[i];
          // The index column has no nodes (not-accessible); a changed index is a different row.
          if (c && c !== def.columns[def.index] && !same(old[i], cells[i])) this.mib.setTableSingleCell(name, c.number, [row.index], cells[i]);
        }
      }
      current.set(row.index, cells);
    }
    for (const index of [...current.keys()]) {
      if (!seen.has(index)) {
        this.mib.deleteTableRow(name, [index]);
        current.delete(index);
        this.#sorted = null;
      }
    }
  }

  /** The first instance after `oid` in OID order, or null at the end of the view. */
  nextInstance(oid: string): MibNode | null {
    const sorted = (this.#sorted ??= this.#buildSorted());
    const start = parseOid(oid);
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareOids(sorted[mid] as number[], start) <= 0) lo = mid + 1;
      else hi = mid;
    }
    const next = sorted[lo];
    return next ? this.mib.lookup(next.join('.')) : null;
  }

  #buildSorted(): number[][] {
    const all: number[][] = [];
    for (const name of this.#presentScalars) all.push([...parseOid(SCALARS[name].oid), 0]);
    for (const e of this.#extra) all.push([...parseOid(e.provider.oid), 0]);
    for (const [name, rows] of this.#rows) {
      const def: TableDef = TABLES[name];
      const entry = parseOid(def.entryOid);
      for (const [col, c] of Object.entries(def.columns)) {
        if (col === def.index) continue;
        for (const index of rows.keys()) all.push([...entry, c.number, index]);
      }
    }
    return all.sort(compareOids);
  }
}

export function parseOid(oid: string): number[] {
  const parts = oid.replace(/^\./, '').split('.').map(Number);
  return parts.every((n) => Number.isInteger(n) && n >= 0) ? parts : [1, 3, 6, 1];
}

export function compareOids(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

type GetNextResult = MibNode | { oid: string; type: ObjectTypeValue };

interface GetNextTarget {
  addGetNextVarbind(targetVarbinds: unknown[], startOid: string): GetNextResult | null;
}

/**
 * Replaces net-snmp's per-instance GETNEXT step (an Agent or a Subagent: both call `this.addGetNextVarbind`
 * for GETNEXT and GETBULK) with the view's binary search. The varbinds have the shape net-snmp's own code
 * pushes (the UDP agent also records `previousOid`). At the end of the view it returns an endOfMibView
 * marker rather than null: that is what stops net-snmp's GETBULK loop, which otherwise pads the response
 * with endOfMibView up to max-repetitions (snmpbulkwalk prints every one of them).
 */
export function installFastGetNext(target: object, view: MibView, withPreviousOid: boolean): void {
  const T = snmp.ObjectType;
  (target as GetNextTarget).addGetNextVarbind = (targetVarbinds, startOid) => {
    const node = view.nextInstance(startOid);
    const prev = withPreviousOid ? { previousOid: startOid } : {};
    if (!node) {
      targetVarbinds.push({ ...prev, oid: startOid, type: T.EndOfMibView, value: null });
      return { oid: startOid, type: T.EndOfMibView };
    }
    targetVarbinds.push({ ...prev, oid: node.oid, type: node.valueType, value: node.value });
    return node;
  };
}
