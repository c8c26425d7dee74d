import type { Database } from 'better-sqlite3';

/** Console settings the owner changes in the web UI; not part of the site file (they are not call-center config). */
export interface WebSettings {
  /** Administrators must sign in with a TOTP code as well as their password. */
  totpRequiredForAdmins: boolean;
  /** SIP message tracing in the logs (diagnostics). */
  sipTrace: boolean;
}

const DEFAULTS: WebSettings = { totpRequiredForAdmins: false, sipTrace: false };

export function getWebSettings(db: Database): WebSettings {
  const rows = db.prepare('SELECT key, value FROM web_settings').all() as { key: string; value: string }[];
  const stored = Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
  return {
    totpRequiredForAdmins: typeof stored['totpRequiredForAdmins'] === 'boolean' ? stored['totpRequiredForAdmins'] : DEFAULTS.totpRequiredForAdmins,
    sipTrace: typeof stored['sipTrace'] === 'boolean' ? stored['sipTrace'] : DEFAULTS.sipTrace,
  };
}

export function setWebSettings(db: Database, patch: Partial<WebSettings>): WebSettings {
  const up = db.prepare('INSERT INTO web_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) up.run(k, JSON.stringify(v));
  return getWebSettings(db);
}
