import snmp, { type User } from 'net-snmp';
import type { SnmpUser } from '../config/snmp-schema.ts';

/** A configured SNMPv3 user as net-snmp's USM wants it: always authPriv. */
export function usmUser(u: SnmpUser): User {
  return {
    name: u.name,
    level: snmp.SecurityLevel.authPriv,
    authProtocol: u.auth.protocol === 'sha256' ? snmp.AuthProtocols.sha256 : snmp.AuthProtocols.sha,
    authKey: u.auth.password,
    privProtocol: snmp.PrivProtocols.aes,
    privKey: u.priv.password,
  };
}
