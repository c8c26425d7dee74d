import type { Database } from 'better-sqlite3';

/*
 * What a desk phone may change about its own extension (feature codes): DND and forward-always. Written into the
 * extension's stored options, so the console, `callbox config export` and the next call all see the change. Only
 * these keys are touched; a site file applied later sets them again as it says.
 */

export function setDnd(db: Database, extension: string, on: boolean): void {
  db.prepare("UPDATE extensions SET options = json_set(options, '$.dnd', json(?)) WHERE number = ?").run(on ? 'true' : 'false', extension);
}

/** Forward every call to `target` (a route target such as extension:1002), or stop forwarding them (undefined). */
export function setForwardAlways(db: Database, extension: string, target: string | undefined): void {
  if (target === undefined) db.prepare("UPDATE extensions SET options = json_remove(options, '$.forward.always') WHERE number = ?").run(extension);
  else db.prepare("UPDATE extensions SET options = json_set(options, '$.forward', json_set(coalesce(json_extract(options, '$.forward'), json('{}')), '$.always', ?)) WHERE number = ?").run(target, extension);
}
