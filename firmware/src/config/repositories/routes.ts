import type { Database } from 'better-sqlite3';
import { outboundRouteSchema, type InboundRoute, type OutboundRoute } from '../site-schema.ts';
import { readJson } from './json-column.ts';

interface InboundRow {
  did: string;
  target: string;
  trunk: string | null;
  hours: string | null;
  closed_target: string | null;
}

/** In file order; the inbound router matches exact DIDs before the `*` catch-all. */
export function listInboundRoutes(db: Database): InboundRoute[] {
  const rows = db.prepare('SELECT * FROM inbound_routes ORDER BY position').all() as InboundRow[];
  return rows.map((r) => ({
    did: r.did,
    to: r.target,
    ...(r.trunk === null ? {} : { trunk: r.trunk }),
    ...(r.hours === null ? {} : { hours: r.hours }),
    ...(r.closed_target === null ? {} : { closed_to: r.closed_target }),
  }));
}

const outboundOptions = outboundRouteSchema.omit({ pattern: true, trunks: true });

/** In file order: the first route whose pattern matches the dialled number wins. */
export function listOutboundRoutes(db: Database): OutboundRoute[] {
  const trunks = db.prepare('SELECT route, trunk FROM outbound_route_trunks ORDER BY route, position').all() as { route: number; trunk: string }[];
  const rows = db.prepare('SELECT * FROM outbound_routes ORDER BY position').all() as { position: number; pattern: string; options: string }[];
  return rows.map((r) => ({
    pattern: r.pattern,
    trunks: trunks.filter((t) => t.route === r.position).map((t) => t.trunk),
    ...readJson(outboundOptions, r.options, `outbound route ${r.pattern}`),
  }));
}

export function replaceRoutes(db: Database, inbound: readonly InboundRoute[], outbound: readonly OutboundRoute[]): void {
  db.prepare('DELETE FROM inbound_routes').run();
  db.prepare('DELETE FROM outbound_route_trunks').run();
  db.prepare('DELETE FROM outbound_routes').run();
  const insertIn = db.prepare('INSERT INTO inbound_routes (position, did, target, trunk, hours, closed_target) VALUES (?, ?, ?, ?, ?, ?)');
  inbound.forEach((r, i) => insertIn.run(i, r.did, r.to, r.trunk ?? null, r.hours ?? null, r.closed_to ?? null));
  const insertOut = db.prepare('INSERT INTO outbound_routes (position, pattern, options) VALUES (?, ?, ?)');
  const insertTrunk = db.prepare('INSERT INTO outbound_route_trunks (route, trunk, position) VALUES (?, ?, ?)');
  outbound.forEach((r, i) => {
    const { pattern, trunks, ...options } = r;
    insertOut.run(i, pattern, JSON.stringify(options));
    trunks.forEach((t, j) => insertTrunk.run(i, t, j));
  });
}
