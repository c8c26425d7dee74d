import type { Database } from 'better-sqlite3';
import { generateSecret, hashPassword } from './passwords.ts';
import { getSettings, markFirstBoot, setDrachtioSecret } from './repositories/settings.ts';
import { countUsersWithRole, upsertUser } from './repositories/users.ts';
import { appendAudit } from './repositories/audit.ts';

export interface FirstBootResult {
  createdAdmin: boolean;
  /** Only when the admin was created without a given password: print it once, it is not stored anywhere readable. */
  generatedAdminPassword?: string;
  drachtioSecret: string;
}

/**
 * Runs at every start and does the first-boot work only when it is missing, so it is safe after a factory reset
 * or a crash half-way: an `admin` user when no administrator exists (password given or generated, to be changed
 * at first login), and the drachtio shared secret (a given one, e.g. CALLBOX_DRACHTIO_SECRET, replaces the stored
 * one so the SIP engine and the apps agree).
 */
export function ensureFirstBoot(db: Database, opts: { adminPassword?: string; drachtioSecret?: string } = {}, now = new Date()): FirstBootResult {
  const run = db.transaction((): FirstBootResult => {
    const settings = getSettings(db);
    const drachtioSecret = opts.drachtioSecret ?? settings.drachtioSecret ?? generateSecret(32);
    if (drachtioSecret !== settings.drachtioSecret) setDrachtioSecret(db, drachtioSecret);
    if (settings.firstBootAt === null) markFirstBoot(db, now.toISOString());

    if (countUsersWithRole(db, 'admin') > 0) return { createdAdmin: false, drachtioSecret };
    const generated = opts.adminPassword === undefined ? generateSecret(16) : undefined;
    upsertUser(db, { username: 'admin', name: 'Administrator', role: 'admin', passwordHash: hashPassword(opts.adminPassword ?? generated ?? ''), mustChangePassword: true }, now);
    appendAudit(db, { actor: 'system', action: 'user.create', target: 'admin', detail: { reason: 'first boot' } }, now);
    return { createdAdmin: true, ...(generated === undefined ? {} : { generatedAdminPassword: generated }), drachtioSecret };
  });
  return run.immediate();
}
