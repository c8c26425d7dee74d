import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { allCdrs, replaceCdrs, type CdrRow } from '../../config/repositories/cdr-queries.ts';
import { deleteUsersExcept } from '../../config/repositories/user-admin.ts';
import { listTotp, replaceTotp } from '../../config/repositories/user-totp.ts';
import { getWebSettings, setWebSettings } from '../../config/repositories/web-settings.ts';
import { getSettings, setDrachtioSecret } from '../../config/repositories/settings.ts';
import { appendAudit } from '../../config/repositories/audit.ts';
import { applySiteFile } from '../../config/site-apply.ts';
import { exportSiteFile } from '../../config/site-export.ts';
import { parseSiteFile } from '../../config/site-parse.ts';
import { ApiError, type FieldError } from '../http/errors.ts';
import { zodFieldErrors } from '../http/validate.ts';
import { validatePair, type TlsFiles } from './tls.ts';

const cdrSchema = z.strictObject({
  id: z.number().int().min(1),
  interaction_id: z.string(),
  leg_id: z.string(),
  direction: z.enum(['inbound', 'outbound', 'internal']),
  caller: z.string(),
  callee: z.string(),
  trunk: z.string().nullable(),
  extension: z.string().nullable(),
  queue: z.string().nullable(),
  started_at: z.string(),
  answered_at: z.string().nullable(),
  ended_at: z.string().nullable(),
  disposition: z.string().nullable(),
  hangup_cause: z.string().nullable(),
});

/** A backup file: the whole configuration as a site file (users with their hashes), the keys, optionally CDRs. */
export const backupSchema = z.strictObject({
  format: z.literal('callbox-backup'),
  format_version: z.literal(1),
  created_at: z.string(),
  firmware: z.string(),
  site_yaml: z.string().min(1).describe('the site file, as `callbox config export` writes it'),
  keys: z.strictObject({
    drachtio_secret: z.string().min(8).nullable(),
    tls: z.strictObject({ cert: z.string(), key: z.string() }).nullable(),
  }),
  totp: z.array(z.strictObject({ username: z.string(), secret: z.string().regex(/^[A-Z2-7]+$/, 'must be base32'), enabled: z.boolean(), lastStep: z.number().int() })),
  console: z.strictObject({ totpRequiredForAdmins: z.boolean(), sipTrace: z.boolean() }),
  cdrs: z.array(cdrSchema).optional(),
});
export type Backup = z.infer<typeof backupSchema>;

export function makeBackup(db: Database, o: { firmware: string; tls: TlsFiles | undefined; withCdrs: boolean }): Backup {
  const read = db.transaction(() => ({
    site_yaml: exportSiteFile(db),
    secret: getSettings(db).drachtioSecret,
    totp: listTotp(db),
    console: getWebSettings(db),
    cdrs: o.withCdrs ? allCdrs(db) : undefined,
  }));
  const r = read();
  return {
    format: 'callbox-backup',
    format_version: 1,
    created_at: new Date().toISOString(),
    firmware: o.firmware,
    site_yaml: r.site_yaml,
    keys: { drachtio_secret: r.secret, tls: o.tls ?? null },
    totp: r.totp,
    console: r.console,
    ...(r.cdrs === undefined ? {} : { cdrs: r.cdrs }),
  };
}

/**
 * Checks everything a restore will write, and writes nothing: the site file (shape and references), that it
 * keeps an administrator, that second factors belong to users of the backup, and the TLS pair.
 */
export function checkBackup(value: unknown): Backup {
  const shape = backupSchema.safeParse(value, { reportInput: true });
  if (!shape.success) throw new ApiError(400, 'validation', 'this is not a valid Callbox backup', zodFieldErrors(shape.error.issues));
  const b = shape.data;
  const errors: FieldError[] = [];
  const site = parseSiteFile(b.site_yaml);
  if (!site.ok) errors.push(...site.errors.map((e) => ({ path: `site_yaml: ${e.path}`, message: `${e.message}${e.line === undefined ? '' : ` (line ${e.line})`}` })));
  else {
    const users = new Set(site.site.users.map((u) => u.username));
    if (!site.site.users.some((u) => u.role === 'admin' && u.password_hash !== undefined)) errors.push({ path: 'site_yaml: users', message: 'must keep an administrator with a password hash' });
    b.totp.forEach((t, i) => {
      if (!users.has(t.username)) errors.push({ path: `totp[${i}].username`, message: `user ${t.username} is not in the backup` });
    });
  }
  if (b.keys.tls !== null) {
    try {
      validatePair(b.keys.tls);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      errors.push(...(err.errors ?? []).map((e) => ({ path: `keys.tls.${e.path}`, message: e.message })));
    }
  }
  if (errors.length > 0) throw new ApiError(400, 'validation', 'the backup cannot be restored; nothing was changed', errors);
  return b;
}

/** Writes a checked backup in one transaction (the TLS files are the caller's, after the commit). */
export function restoreBackup(db: Database, b: Backup, actor: string): number {
  const run = db.transaction(() => {
    const result = applySiteFile(db, b.site_yaml, actor);
    if (!result.ok) throw new ApiError(400, 'validation', 'the backup cannot be restored; nothing was changed', result.errors);
    const parsed = parseSiteFile(b.site_yaml);
    if (parsed.ok) deleteUsersExcept(db, parsed.site.users.map((u) => u.username));
    replaceTotp(db, b.totp);
    setWebSettings(db, b.console);
    if (b.keys.drachtio_secret !== null) setDrachtioSecret(db, b.keys.drachtio_secret);
    if (b.cdrs !== undefined) replaceCdrs(db, b.cdrs as CdrRow[]);
    appendAudit(db, { actor, action: 'system.restore', detail: { created_at: b.created_at, firmware: b.firmware, cdrs: b.cdrs?.length ?? null, tls: b.keys.tls !== null } });
    return result.revision;
  });
  return run.immediate();
}
