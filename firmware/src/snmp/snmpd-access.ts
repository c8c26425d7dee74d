import { isIP } from 'node:net';
import type { SnmpConfig } from '../config/snmp-schema.ts';

/**
 * In AgentX mode snmpd checks credentials, so the users and communities of the site file are rendered into
 * a file snmpd includes (firmware/snmpd/callbox-snmpd.conf: includeFile /var/lib/callbox/snmpd-access.conf).
 * It holds passwords: write it mode 0600, owned by root, then reload snmpd. Every grant is read-only and
 * limited to the `callbox` view defined in the shipped fragment.
 */
export function renderSnmpdAccess(config: SnmpConfig, view = 'callbox'): string {
  const lines = ['# Written by Callbox from the site file (snmp: users, communities). Do not edit: changes are overwritten.'];
  if (config.contact) lines.push(`sysContact ${config.contact}`);
  if (config.location) lines.push(`sysLocation ${config.location}`);
  for (const u of config.users) {
    lines.push(`createUser ${u.name} ${u.auth.protocol === 'sha256' ? 'SHA-256' : 'SHA'} ${u.auth.password} AES ${u.priv.password}`);
    lines.push(`rouser -s usm ${u.name} authpriv -V ${view}`);
  }
  for (const c of config.communities) {
    for (const net of c.networks) {
      const v6 = isIP(net.split('/')[0] ?? '') === 6;
      lines.push(`${v6 ? 'rocommunity6' : 'rocommunity'} ${c.name} ${net} -V ${view}`);
    }
  }
  return lines.join('\n') + '\n';
}
