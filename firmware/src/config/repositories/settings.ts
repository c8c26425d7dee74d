import type { Database } from 'better-sqlite3';
import type { SiteSettings } from '../site-schema.ts';

export interface SystemSettings {
  site: SiteSettings;
  /** Bumped by every change to the configuration; services reload when it moves. */
  revision: number;
  drachtioSecret: string | null;
  firstBootAt: string | null;
}

interface Row {
  site_name: string;
  timezone: string;
  country: string;
  language: string;
  drachtio_secret: string | null;
  revision: number;
  first_boot_at: string | null;
}

export function getSettings(db: Database): SystemSettings {
  const r = db.prepare('SELECT * FROM settings WHERE id = 1').get() as Row;
  return {
    site: { name: r.site_name, timezone: r.timezone, country: r.country, language: r.language },
    revision: r.revision,
    drachtioSecret: r.drachtio_secret,
    firstBootAt: r.first_boot_at,
  };
}

export function getRevision(db: Database): number {
  return (db.prepare('SELECT revision FROM settings WHERE id = 1').get() as { revision: number }).revision;
}

export function setSite(db: Database, site: SiteSettings): void {
  db.prepare('UPDATE settings SET site_name = ?, timezone = ?, country = ?, language = ? WHERE id = 1').run(site.name, site.timezone, site.country, site.language);
}

/** Call inside the transaction that made the change, so the revision and the change commit together. */
export function bumpRevision(db: Database): number {
  return (db.prepare('UPDATE settings SET revision = revision + 1 WHERE id = 1 RETURNING revision').get() as { revision: number }).revision;
}

export function setDrachtioSecret(db: Database, secret: string): void {
  db.prepare('UPDATE settings SET drachtio_secret = ? WHERE id = 1').run(secret);
}

export function markFirstBoot(db: Database, at: string): void {
  db.prepare('UPDATE settings SET first_boot_at = ? WHERE id = 1').run(at);
}
