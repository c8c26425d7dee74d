// The parts of the npm `net-snmp` package (3.x, plain JavaScript, no bundled types) this folder uses.
declare module 'net-snmp' {
  import type { EventEmitter } from 'node:events';
  import type { Socket } from 'node:net';

  export const Version1: 0;
  export const Version2c: 1;
  export const Version3: 3;

  export const ObjectType: {
    Boolean: 1;
    Integer: 2;
    Integer32: 2;
    OctetString: 4;
    Null: 5;
    OID: 6;
    IpAddress: 64;
    Counter: 65;
    Counter32: 65;
    Gauge: 66;
    Gauge32: 66;
    Unsigned32: 66;
    TimeTicks: 67;
    Opaque: 68;
    Counter64: 70;
    NoSuchObject: 128;
    NoSuchInstance: 129;
    EndOfMibView: 130;
  };
  export type ObjectTypeValue = (typeof ObjectType)[keyof typeof ObjectType];

  export const ErrorStatus: Record<string, number> & { NoError: 0; NotWritable: 17; GeneralError: 5 };
  export const MibProviderType: { Scalar: 1; Table: 2 };
  export const MaxAccess: { 'not-accessible': 0; 'accessible-for-notify': 1; 'read-only': 2; 'read-write': 3; 'read-create': 4 };
  export const SecurityLevel: { noAuthNoPriv: 1; authNoPriv: 2; authPriv: 3 };
  export const AuthProtocols: { none: 1; md5: 2; sha: 3; sha224: 4; sha256: 5; sha384: 6; sha512: 7 };
  export const PrivProtocols: { none: 1; des: 2; aes: 4; aes256b: 6; aes256r: 8 };
  export const AccessControlModelType: { None: 0; Simple: 1 };
  export const AccessLevel: { None: 0; ReadOnly: 1; ReadWrite: 2 };

  export interface Varbind {
    oid: string;
    type: ObjectTypeValue;
    value: unknown;
  }

  export interface User {
    name: string;
    level: number;
    authProtocol?: number;
    authKey?: string;
    privProtocol?: number;
    privKey?: string;
  }

  export interface Authorizer {
    addCommunity(community: string): void;
    addUser(user: User): void;
    getAccessControlModel(): SimpleAccessControlModel;
  }
  export interface SimpleAccessControlModel {
    setCommunityAccess(community: string, level: number): void;
    setUserAccess(userName: string, level: number): void;
  }

  export interface ColumnDefinition {
    number: number;
    name: string;
    type: ObjectTypeValue;
    maxAccess: number;
    constraints?: { enumeration?: Record<string, string> };
  }
  export interface ProviderDefinition {
    name: string;
    type: 1 | 2;
    oid: string;
    maxAccess: number;
    scalarType?: ObjectTypeValue;
    tableColumns?: ColumnDefinition[];
    tableIndex?: { columnName: string }[];
    constraints?: { enumeration?: Record<string, string> };
    handler?: (req: { done: (err?: { errorStatus: number }) => void }) => void;
  }

  export interface MibNode {
    oid: string;
    address: number[];
    value: unknown;
    valueType: ObjectTypeValue;
    parent: MibNode | null;
    children: Record<string, MibNode>;
    delete(): void;
    pruneUpwards(): void;
  }

  export interface Mib {
    root: MibNode;
    registerProvider(def: ProviderDefinition): void;
    setScalarValue(name: string, value: unknown): void;
    addTableRow(table: string, row: unknown[]): void;
    setTableSingleCell(table: string, column: number, rowIndex: unknown[], value: unknown): void;
    deleteTableRow(table: string, rowIndex: unknown[]): boolean;
    lookup(oid: string): MibNode | null;
  }

  export interface AgentOptions {
    port?: number;
    address?: string | null;
    transport?: 'udp4' | 'udp6';
    engineID?: string;
    disableAuthorization?: boolean;
    accessControlModelType?: number;
  }

  export type AgentCallback = (error: (Error & { rinfo?: { address: string; port: number } }) | null, data?: unknown) => void;

  export interface Agent {
    getAuthorizer(): Authorizer;
    getMib(): Mib;
    close(callback?: () => void): void;
    engine: { engineID: Buffer };
    listener: { sockets: Record<string, unknown> };
    onMsg(socket: unknown, buffer: Buffer, rinfo: { address: string; port: number; family: string }): void;
  }

  export function createAgent(options: AgentOptions, callback: AgentCallback, mib?: Mib): Agent;

  export interface Subagent extends EventEmitter {
    getMib(): Mib;
    open(callback: (error: Error | null, pdu?: unknown) => void): void;
    close(callback?: (error: Error | null) => void): void;
    registerProvider(def: ProviderDefinition, callback: (error: Error | null, pdu?: { error?: number }) => void): void;
    ping(callback: (error: Error | null) => void): void;
    socket: Socket;
    connectSocket(): void;
  }
  export function createSubagent(options: { master?: string; masterPort?: number | string; timeout?: number; description?: string }): Subagent;

  export interface SessionOptions {
    port?: number;
    trapPort?: number;
    version?: number;
    retries?: number;
    timeout?: number;
    transport?: 'udp4' | 'udp6';
    engineID?: string | Buffer;
    context?: string;
  }
  export interface Session extends EventEmitter {
    trap(oid: string, varbinds: Varbind[], callback: (error: Error | null) => void): void;
    trap(oid: string, varbinds: Varbind[], options: { upTime?: number }, callback: (error: Error | null) => void): void;
    inform(oid: string, varbinds: Varbind[], options: { upTime?: number }, callback: (error: Error | null) => void): void;
    close(): void;
  }
  export function createSession(target: string, community: string, options?: SessionOptions): Session;
  export function createV3Session(target: string, user: User, options?: SessionOptions): Session;

  const snmp: {
    Version1: typeof Version1;
    Version2c: typeof Version2c;
    Version3: typeof Version3;
    ObjectType: typeof ObjectType;
    ErrorStatus: typeof ErrorStatus;
    MibProviderType: typeof MibProviderType;
    MaxAccess: typeof MaxAccess;
    SecurityLevel: typeof SecurityLevel;
    AuthProtocols: typeof AuthProtocols;
    PrivProtocols: typeof PrivProtocols;
    AccessControlModelType: typeof AccessControlModelType;
    AccessLevel: typeof AccessLevel;
    createAgent: typeof createAgent;
    createSubagent: typeof createSubagent;
    createSession: typeof createSession;
    createV3Session: typeof createV3Session;
  };
  export default snmp;
}
