import type { Database } from 'better-sqlite3';
import { stringify } from 'yaml';
import { applySiteFile } from '../config/site-apply.ts';
import { readSite } from '../config/site-export.ts';
import type { SiteFile } from '../config/site-schema.ts';
import { ApiError, type FieldError } from './http/errors.ts';

/**
 * Every configuration change from the API goes through the site file's own apply: the whole configuration after
 * the change is validated (shape and every cross-reference) and written in one transaction with a new revision,
 * exactly as `callbox config apply` would. So the API cannot store anything a site file could not express.
 *
 * `at` names where the changed item sits in the site file (`queues[3]`); errors inside it are given relative to
 * the request body (`members[1]`), errors elsewhere (a route still pointing at a deleted queue) with their full
 * site-file path.
 */
export function changeSite(db: Database, actor: string, mutate: (site: SiteFile) => void, at?: string): number {
  const site = readSite(db);
  mutate(site);
  const result = applySiteFile(db, stringify(site, { lineWidth: 0 }), actor);
  if (result.ok) return result.revision;
  const errors: FieldError[] = result.errors.map((e) => {
    if (at !== undefined && (e.path === at || e.path.startsWith(`${at}.`) || e.path.startsWith(`${at}[`))) {
      const rest = e.path.slice(at.length).replace(/^\./, '');
      return { path: rest === '' ? '(body)' : rest, message: e.message };
    }
    return { path: e.path, message: e.message };
  });
  throw new ApiError(409, 'conflict', 'the change does not fit the rest of the configuration', errors);
}
