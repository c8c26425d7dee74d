import type { Database } from 'better-sqlite3';

export interface CdrRow {
  id: number;
  interaction_id: string;
  leg_id: string;
  direction: 'inbound' | 'outbound' | 'internal';
  caller: string;
  callee: string;
  trunk: string | null;
  extension: string | null;
  queue: string | null;
  started_at: string;
  answered_at: string | null;
  ended_at: string | null;
  disposition: string | null;
  hangup_cause: string | null;
}

export interface CdrFilter {
  from?: string;
  to?: string;
  /** Only legs of these queues (a supervisor's view). */
  queues?: readonly string[];
  extension?: string;
  caller?: string;
  limit: number;
  beforeId?: number;
}

/** Newest first. */
export function queryCdrs(db: Database, f: CdrFilter): CdrRow[] {
  const where: string[] = ['id < @beforeId'];
  const params: Record<string, unknown> = { beforeId: f.beforeId ?? Number.MAX_SAFE_INTEGER, limit: f.limit };
  if (f.from !== undefined) {
    where.push('started_at >= @from');
    params['from'] = f.from;
  }
  if (f.to !== undefined) {
    where.push('started_at < @to');
    params['to'] = f.to;
  }
  if (f.extension !== undefined) {
    where.push('extension = @extension');
    params['extension'] = f.extension;
  }
  if (f.caller !== undefined) {
    where.push('caller = @caller');
    params['caller'] = f.caller;
  }
  if (f.queues !== undefined) {
    where.push(`queue IN (SELECT value FROM json_each(@queues))`);
    params['queues'] = JSON.stringify(f.queues);
  }
  return db.prepare(`SELECT * FROM cdrs WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT @limit`).all(params) as CdrRow[];
}

export interface DayCounts {
  offered: number;
  answered: number;
  abandoned: number;
}

/** Queue calls since `since`: offered = entered a queue, answered, abandoned = ended without an answer. */
export function queueCallCounts(db: Database, since: string, queues?: readonly string[]): DayCounts {
  const scope = queues === undefined ? '' : 'AND queue IN (SELECT value FROM json_each(@queues))';
  const r = db
    .prepare(
      `SELECT count(DISTINCT interaction_id) AS offered,
              count(DISTINCT CASE WHEN answered_at IS NOT NULL THEN interaction_id END) AS answered,
              count(DISTINCT CASE WHEN answered_at IS NULL AND ended_at IS NOT NULL THEN interaction_id END) AS abandoned
       FROM cdrs WHERE queue IS NOT NULL AND started_at >= @since ${scope}`,
    )
    .get({ since, ...(queues === undefined ? {} : { queues: JSON.stringify(queues) }) }) as DayCounts;
  return r;
}

export function allCdrs(db: Database): CdrRow[] {
  return db.prepare('SELECT * FROM cdrs ORDER BY id').all() as CdrRow[];
}

export function replaceCdrs(db: Database, rows: readonly CdrRow[]): void {
  db.prepare('DELETE FROM cdrs').run();
  const ins = db.prepare(
    `INSERT INTO cdrs (id, interaction_id, leg_id, direction, caller, callee, trunk, extension, queue, started_at, answered_at, ended_at, disposition, hangup_cause)
     VALUES (@id, @interaction_id, @leg_id, @direction, @caller, @callee, @trunk, @extension, @queue, @started_at, @answered_at, @ended_at, @disposition, @hangup_cause)`,
  );
  for (const r of rows) ins.run(r);
}
