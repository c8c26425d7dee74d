import type { SiteError } from './site-errors.ts';

/** One line per error, as `callbox config apply` prints them: `queues[2].strategy: must be one of ... (line 40)`. */
export function formatSiteErrors(errors: readonly SiteError[]): string[] {
  return errors.map((e) => `${e.path}: ${e.message}${e.line === undefined ? '' : ` (line ${e.line})`}`);
}
