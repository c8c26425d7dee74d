import type { Database } from 'better-sqlite3';
import { stringify } from 'yaml';
import type { SiteFile, SiteUser } from './site-schema.ts';
import { getRevision, getSettings } from './repositories/settings.ts';
import { listExtensions } from './repositories/extensions.ts';
import { listPhones } from './repositories/phones.ts';
import { listPauseReasons } from './repositories/pause-reasons.ts';
import { listQueues } from './repositories/queues.ts';
import { listIvrFlows } from './repositories/ivr.ts';
import { listHours } from './repositories/hours.ts';
import { listTrunks } from './repositories/trunks.ts';
import { listInboundRoutes, listOutboundRoutes } from './repositories/routes.ts';
import { getFeatureCodes, getQosPolicy, getRecordingPolicy, getSbcPolicy } from './repositories/policies.ts';
import { getSnmpConfig } from './repositories/snmp.ts';
import { listUsersWithHashes } from './repositories/users.ts';

/**
 * The configuration in force, in site-file shape, every default spelled out. Users carry their password hash,
 * never a password. Deterministic (sorted by key where the order has no meaning), so two reads of the same
 * state are equal: apply uses that to detect a no-op.
 */
export function readSite(db: Database): SiteFile {
  const users: SiteUser[] = listUsersWithHashes(db).map((u) => ({
    username: u.username,
    ...(u.name === undefined ? {} : { name: u.name }),
    role: u.role,
    password_hash: u.passwordHash,
    must_change_password: u.mustChangePassword,
    ...(u.extension === undefined ? {} : { extension: u.extension }),
    queues: u.queues,
  }));
  return {
    version: 1,
    site: getSettings(db).site,
    extensions: listExtensions(db),
    phones: listPhones(db),
    pause_reasons: listPauseReasons(db),
    queues: listQueues(db).map((q) => ({ ...q, members: q.members.map((m) => (m.penalty === 0 ? m.extension : m)) })),
    ivr: listIvrFlows(db),
    hours: listHours(db),
    trunks: listTrunks(db),
    routes: { inbound: listInboundRoutes(db), outbound: listOutboundRoutes(db) },
    recording: getRecordingPolicy(db),
    sbc: getSbcPolicy(db),
    qos: getQosPolicy(db),
    feature_codes: getFeatureCodes(db),
    snmp: getSnmpConfig(db),
    users,
  };
}

/** `callbox config export`: the site file of what is in force. Applying it back changes nothing. */
export function exportSiteFile(db: Database): string {
  const read = db.transaction(() => ({ site: readSite(db), revision: getRevision(db) }));
  const { site, revision } = read();
  const header =
    `# Callbox site file, configuration revision ${revision}.\n` +
    '# Contains SIP and SNMP passwords and user password hashes: keep it as safe as the appliance itself.\n';
  return header + stringify(site, { lineWidth: 0 });
}
