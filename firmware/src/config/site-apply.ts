import type { Database } from 'better-sqlite3';
import type { SiteFile } from './site-schema.ts';
import type { SiteError } from './site-errors.ts';
import { parseSiteFile } from './site-parse.ts';
import { readSite } from './site-export.ts';
import { generateSecret, hashPassword } from './passwords.ts';
import { bumpRevision, getRevision, setSite } from './repositories/settings.ts';
import { extensionPasswords, replaceExtensions, type ExtensionConfig } from './repositories/extensions.ts';
import { replacePhones } from './repositories/phones.ts';
import { replacePauseReasons } from './repositories/pause-reasons.ts';
import { replaceQueues } from './repositories/queues.ts';
import { replaceIvrFlows } from './repositories/ivr.ts';
import { replaceHours } from './repositories/hours.ts';
import { replaceTrunks } from './repositories/trunks.ts';
import { replaceRoutes } from './repositories/routes.ts';
import { setFeatureCodes, setQosPolicy, setRecordingPolicy, setSbcPolicy } from './repositories/policies.ts';
import { replaceSnmpConfig } from './repositories/snmp.ts';
import { listUsersWithHashes, upsertUser } from './repositories/users.ts';
import { appendAudit } from './repositories/audit.ts';
import { ConfigStoreError } from './errors.ts';

export interface ApplySummary {
  /** Top-level sections of the site file whose content changed. Empty when the file matched what was in force. */
  changed: string[];
  counts: Record<'extensions' | 'agents' | 'queues' | 'ivr' | 'hours' | 'trunks' | 'inbound_routes' | 'outbound_routes' | 'users', number>;
  /** Extensions that had no password in the file and got a new generated one (see `callbox config export`). */
  generatedPasswords: string[];
}

export type ApplyResult = { ok: true; revision: number; summary: ApplySummary } | { ok: false; errors: SiteError[] };

const NO_CHANGE = Symbol('no change');

/**
 * `callbox config apply`: validates the whole file first and changes nothing unless it is valid; then replaces
 * the configuration in one transaction and bumps the revision.
 *
 * Semantics, chosen so that re-applying a hand-written file is safe:
 * - The file is the whole configuration: every entity not in it is removed. Except users, which are merged
 *   (listed users are created or updated, unlisted ones kept), so a site file written before the admin set up
 *   their accounts cannot lock them out; remove users in the web UI.
 * - An extension without a password keeps the one it has; a new one gets a generated password, which
 *   `callbox config export` shows. A user without password or password_hash keeps theirs (a new user needs one).
 * - A file equal to what is in force (e.g. the output of export) is a no-op: nothing is written, the revision
 *   stays, no audit entry.
 */
export function applySiteFile(db: Database, yamlText: string, actor = 'site-file'): ApplyResult {
  const parsed = parseSiteFile(yamlText);
  if (!parsed.ok) return parsed;
  const site = parsed.site;

  const counts: ApplySummary['counts'] = {
    extensions: site.extensions.length,
    agents: site.extensions.filter((e) => e.agent !== undefined).length,
    queues: site.queues.length,
    ivr: site.ivr.length,
    hours: site.hours.length,
    trunks: site.trunks.length,
    inbound_routes: site.routes.inbound.length,
    outbound_routes: site.routes.outbound.length,
    users: site.users.length,
  };

  // Everything that depends on the stored state is read under the write lock, so a concurrent change (the web
  // UI) cannot slip in between the checks and the write.
  const apply = db.transaction((): ApplyResult => {
    const existingUsers = new Map(listUsersWithHashes(db).map((u) => [u.username, u]));
    const userErrors: SiteError[] = site.users.flatMap((u, i) =>
      u.password === undefined && u.password_hash === undefined && !existingUsers.has(u.username)
        ? [{ path: `users[${i}].password`, message: `is required for the new user ${u.username}` }]
        : [],
    );
    if (userErrors.length > 0) return { ok: false, errors: userErrors };

    const storedPasswords = extensionPasswords(db);
    const generatedPasswords: string[] = [];
    const extensions: ExtensionConfig[] = site.extensions.map((e) => {
      if (e.password !== undefined) return { ...e, password: e.password };
      const kept = storedPasswords.get(e.number);
      if (kept !== undefined) return { ...e, password: kept };
      generatedPasswords.push(e.number);
      return { ...e, password: generateSecret(20) };
    });

    const before = readSiteIfSound(db);
    // Replacing parents and children in one go: the references only have to hold at commit.
    db.pragma('defer_foreign_keys = ON');
    write(db, site, extensions, existingUsers);
    const after = readSite(db);
    const changed = (Object.keys(after) as (keyof SiteFile)[]).filter((k) => before === undefined || JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    if (changed.length === 0) throw NO_CHANGE;
    const revision = bumpRevision(db);
    appendAudit(db, { actor, action: 'config.apply', target: `revision ${revision}`, detail: { changed, counts } });
    return { ok: true, revision, summary: { changed, counts, generatedPasswords } };
  });

  try {
    return apply.immediate();
  } catch (err) {
    if (err === NO_CHANGE) return { ok: true, revision: getRevision(db), summary: { changed: [], counts, generatedPasswords: [] } };
    // Validation should have caught everything the store enforces; if not, still answer in the same form.
    if (err instanceof Error && 'code' in err && String(err.code).startsWith('SQLITE_CONSTRAINT')) {
      return { ok: false, errors: [{ path: '(file)', message: `the store refused the configuration: ${err.message}` }] };
    }
    throw err;
  }
}

/** The stored configuration, or undefined when a damaged row makes it unreadable: applying a file repairs that. */
function readSiteIfSound(db: Database): SiteFile | undefined {
  try {
    return readSite(db);
  } catch (err) {
    if (err instanceof ConfigStoreError) return undefined;
    throw err;
  }
}

function write(db: Database, site: SiteFile, extensions: ExtensionConfig[], existingUsers: Map<string, { passwordHash: string; mustChangePassword: boolean }>): void {
  setSite(db, site.site);
  replaceExtensions(db, extensions);
  replacePhones(db, site.phones);
  replacePauseReasons(db, site.pause_reasons);
  replaceQueues(db, site.queues);
  replaceIvrFlows(db, site.ivr);
  replaceHours(db, site.hours);
  replaceTrunks(db, site.trunks);
  replaceRoutes(db, site.routes.inbound, site.routes.outbound);
  setRecordingPolicy(db, site.recording);
  setSbcPolicy(db, site.sbc);
  setQosPolicy(db, site.qos);
  setFeatureCodes(db, site.feature_codes);
  replaceSnmpConfig(db, site.snmp);
  for (const u of site.users) {
    const existing = existingUsers.get(u.username);
    const passwordHash = u.password !== undefined ? hashPassword(u.password) : (u.password_hash ?? existing?.passwordHash);
    if (passwordHash === undefined) throw new Error(`user ${u.username} has no password`);
    upsertUser(db, {
      username: u.username,
      ...(u.name === undefined ? {} : { name: u.name }),
      role: u.role,
      passwordHash,
      // A password written in a file has been seen by whoever wrote the file: its owner must replace it.
      mustChangePassword: u.must_change_password ?? (u.password !== undefined ? true : (existing?.mustChangePassword ?? true)),
      ...(u.extension === undefined ? {} : { extension: u.extension }),
      queues: u.queues,
    });
  }
}
