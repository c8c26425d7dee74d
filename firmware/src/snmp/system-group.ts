import { hostname } from 'node:os';
import snmp from 'net-snmp';
import type { SnmpConfig } from '../config/snmp-schema.ts';
import type { SnmpDataSource } from './data-source.ts';
import type { ExtraScalar } from './mib-view.ts';
import { CALLBOX_APPLIANCE_OID, SNMPV2_SYSTEM } from './oids.ts';

/**
 * SNMPv2-MIB's system group for the standalone agent: NMSs (LibreNMS, Zabbix templates, PRTG) discover a
 * device by sysObjectID and sysDescr before anything else.
 */
export function systemGroup(source: SnmpDataSource, config: SnmpConfig): ExtraScalar[] {
  const T = snmp.ObjectType;
  const startedAt = performance.now();
  const readOnly = snmp.MaxAccess['read-only'];
  const scalar = (name: keyof typeof SNMPV2_SYSTEM, type: (typeof T)[keyof typeof T], get: () => unknown): ExtraScalar => ({
    provider: { name, type: snmp.MibProviderType.Scalar, oid: SNMPV2_SYSTEM[name], scalarType: type, maxAccess: readOnly },
    get,
  });
  return [
    scalar('sysDescr', T.OctetString, () => {
      const s = source.system();
      return `Callbox ${s.firmwareVersion} on ${s.boardModel}`.slice(0, 255);
    }),
    scalar('sysObjectID', T.OID, () => CALLBOX_APPLIANCE_OID),
    // The agent's own uptime, as RFC 3418 defines sysUpTime (cbSysUptime is the operating system's).
    scalar('sysUpTime', T.TimeTicks, () => Math.floor((performance.now() - startedAt) / 10) % 2 ** 32),
    scalar('sysContact', T.OctetString, () => config.contact),
    scalar('sysName', T.OctetString, () => hostname()),
    scalar('sysLocation', T.OctetString, () => config.location),
  ];
}
