import type { Database } from 'better-sqlite3';

export type CdrDirection = 'inbound' | 'outbound' | 'internal';

/** One call leg: written when the leg starts, completed when it is answered and when it ends. */
export interface CdrStart {
  interactionId: string;
  legId: string;
  direction: CdrDirection;
  caller: string;
  callee: string;
  trunk?: string | undefined;
  extension?: string | undefined;
  startedAt: string;
}

export interface Cdr extends CdrStart {
  answeredAt: string | null;
  endedAt: string | null;
  disposition: string | null;
  hangupCause: string | null;
}

interface Row {
  interaction_id: string;
  leg_id: string;
  direction: CdrDirection;
  caller: string;
  callee: string;
  trunk: string | null;
  extension: string | null;
  started_at: string;
  answered_at: string | null;
  ended_at: string | null;
  disposition: string | null;
  hangup_cause: string | null;
}

export function insertCdr(db: Database, c: CdrStart): void {
  db.prepare('INSERT INTO cdrs (interaction_id, leg_id, direction, caller, callee, trunk, extension, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    c.interactionId,
    c.legId,
    c.direction,
    c.caller,
    c.callee,
    c.trunk ?? null,
    c.extension ?? null,
    c.startedAt,
  );
}

export function markCdrAnswered(db: Database, legId: string, at: string): void {
  db.prepare('UPDATE cdrs SET answered_at = ? WHERE leg_id = ? AND answered_at IS NULL').run(at, legId);
}

/** Ends a leg once: a second end (both sides hanging up at once) keeps the first disposition. */
export function markCdrEnded(db: Database, legId: string, at: string, disposition: string, cause: string): void {
  db.prepare('UPDATE cdrs SET ended_at = ?, disposition = ?, hangup_cause = ? WHERE leg_id = ? AND ended_at IS NULL').run(at, disposition, cause, legId);
}

/** Legs a crash left open are closed at the next start, so no CDR stays incomplete forever. */
export function closeOpenCdrs(db: Database, at: string, cause: string): number {
  return db.prepare("UPDATE cdrs SET ended_at = ?, disposition = COALESCE(disposition, 'failed'), hangup_cause = ? WHERE ended_at IS NULL").run(at, cause).changes;
}

export function listCdrs(db: Database, interactionId?: string): Cdr[] {
  const rows = (
    interactionId === undefined ? db.prepare('SELECT * FROM cdrs ORDER BY id').all() : db.prepare('SELECT * FROM cdrs WHERE interaction_id = ? ORDER BY id').all(interactionId)
  ) as Row[];
  return rows.map((r) => ({
    interactionId: r.interaction_id,
    legId: r.leg_id,
    direction: r.direction,
    caller: r.caller,
    callee: r.callee,
    trunk: r.trunk ?? undefined,
    extension: r.extension ?? undefined,
    startedAt: r.started_at,
    answeredAt: r.answered_at,
    endedAt: r.ended_at,
    disposition: r.disposition,
    hangupCause: r.hangup_cause,
  }));
}
