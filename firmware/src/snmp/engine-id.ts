import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CALLBOX_PEN } from './oids.ts';

/**
 * SNMPv3 engine IDs (RFC 3411 SnmpEngineID). Trap receivers and NMSs key USM users on the agent's engine ID, so it
 * must survive restarts: the caller generates one on first boot, stores it with the configuration, and passes it
 * in on every start.
 */

/** 0x80 | PEN with the top bit set, format 5 (administratively assigned octets), 12 random octets. */
export function generateEngineId(): string {
  const head = Buffer.alloc(5);
  head.writeUInt32BE((0x80000000 | CALLBOX_PEN) >>> 0, 0);
  head.writeUInt8(5, 4);
  return Buffer.concat([head, randomBytes(12)]).toString('hex');
}

/** Accepts 5-32 octets of hex with or without 0x (what snmptrapd's createUser -e takes); returns lower-case hex. */
export function normaliseEngineId(id: string): string {
  const hex = id.replace(/^0x/i, '').toLowerCase();
  if (!/^([0-9a-f]{2}){5,32}$/.test(hex)) throw new Error(`engine ID must be 5 to 32 octets of hex, got ${JSON.stringify(id)}`);
  return hex;
}

/**
 * The engine ID kept in `file` (e.g. <data dir>/snmp-engine-id), created on first use. The admin needs it to
 * configure v3 trap receivers; losing it means reconfiguring every NMS.
 */
export function engineIdFromFile(file: string): { engineId: string; created: boolean } {
  if (existsSync(file)) return { engineId: normaliseEngineId(readFileSync(file, 'utf8').trim()), created: false };
  const engineId = generateEngineId();
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, engineId + '\n', { mode: 0o644, flag: 'wx' });
  return { engineId, created: true };
}
