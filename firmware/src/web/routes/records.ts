import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { listAudit } from '../../config/repositories/audit.ts';
import { queryCdrs, queueCallCounts } from '../../config/repositories/cdr-queries.ts';
import type { Api, Caller } from '../api.ts';

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be a date or time such as 2026-12-01 or 2026-12-01T08:00:00Z');
const limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);

const auditQuery = z.strictObject({ limit: limit(1000, 100), before: z.coerce.number().int().min(1).optional() });
const cdrQuery = z.strictObject({
  from: isoDate.optional(),
  to: isoDate.optional(),
  extension: z.string().regex(/^[0-9]{2,10}$/, 'must be an extension number').optional(),
  caller: z.string().max(64).optional(),
  limit: limit(5000, 200),
  before: z.coerce.number().int().min(1).optional(),
  format: z.enum(['json', 'csv']).default('json'),
});

const CDR_COLUMNS = ['id', 'interaction_id', 'leg_id', 'direction', 'caller', 'callee', 'trunk', 'extension', 'queue', 'started_at', 'answered_at', 'ended_at', 'disposition', 'hangup_cause'] as const;

/**
 * RFC 4180: every field quoted, quotes doubled. A field a spreadsheet would run as a formula (=, @, or + and -
 * not followed by digits only) gets a leading apostrophe; phone numbers such as +4930111 stay as they are.
 */
function csv(rows: readonly Record<string, unknown>[]): string {
  const cell = (v: unknown) => {
    const text = v === null || v === undefined ? '' : String(v);
    return `"${(/^[=@]|^[+-](?![0-9]+$)/.test(text) ? `'${text}` : text).replace(/"/g, '""')}"`;
  };
  return [CDR_COLUMNS.join(','), ...rows.map((r) => CDR_COLUMNS.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}

const supervised = (caller: Caller) => (caller.user.role === 'supervisor' ? caller.user.queues : undefined);

/** The audit log, call detail records and today's queue counts. */
export function recordRoutes(api: Api, db: Database): void {
  api.add({
    method: 'get',
    path: '/audit',
    summary: 'The audit log, newest first (page with ?before=ID)',
    tag: 'audit',
    access: 'audit.read',
    query: auditQuery,
    handler: ({ query }) => listAudit(db, query.limit, query.before),
  });

  api.add({
    method: 'get',
    path: '/cdrs',
    summary: "Call detail records, newest first; supervisors see their queues' calls; ?format=csv for a spreadsheet",
    tag: 'cdrs',
    access: 'cdrs.read',
    query: cdrQuery,
    handler: ({ ctx, query, caller }) => {
      const queues = supervised(caller);
      const rows = queryCdrs(db, {
        limit: query.limit,
        ...(query.from === undefined ? {} : { from: new Date(query.from).toISOString() }),
        ...(query.to === undefined ? {} : { to: new Date(query.to).toISOString() }),
        ...(query.extension === undefined ? {} : { extension: query.extension }),
        ...(query.caller === undefined ? {} : { caller: query.caller }),
        ...(query.before === undefined ? {} : { beforeId: query.before }),
        ...(queues === undefined ? {} : { queues }),
      });
      if (query.format === 'json') return rows;
      ctx.type = 'text/csv';
      ctx.set('Content-Disposition', `attachment; filename="callbox-cdrs-${new Date().toISOString().slice(0, 10)}.csv"`);
      return csv(rows as unknown as Record<string, unknown>[]);
    },
  });

  api.add({
    method: 'get',
    path: '/stats/today',
    summary: "Today's queue calls: offered, answered, abandoned (since local midnight)",
    tag: 'stats',
    access: 'live.read',
    response: z.object({ since: z.string(), offered: z.number(), answered: z.number(), abandoned: z.number() }),
    handler: ({ caller }) => {
      const midnight = new Date();
      midnight.setHours(0, 0, 0, 0);
      const since = midnight.toISOString();
      const queues = supervised(caller);
      return { since, ...queueCallCounts(db, since, queues) };
    },
  });
}
