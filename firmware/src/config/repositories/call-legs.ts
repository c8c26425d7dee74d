import type { Database } from 'better-sqlite3';

/** A connected call's SIP dialog with one party, enough to send it a BYE without the dialog state. */
export interface StoredLeg {
  legId: string;
  interactionId: string;
  callId: string;
  localTag: string;
  remoteTag: string;
  localUri: string;
  remoteUri: string;
  /** The party's Contact: where a BYE goes. */
  remoteTarget: string;
  /** The address the party's requests came from (behind NAT), as an outbound proxy URI. */
  nextHop: string | null;
  startedAt: string;
}

interface Row {
  leg_id: string;
  interaction_id: string;
  call_id: string;
  local_tag: string;
  remote_tag: string;
  local_uri: string;
  remote_uri: string;
  remote_target: string;
  next_hop: string | null;
  started_at: string;
}

export function saveLeg(db: Database, l: StoredLeg): void {
  db.prepare(
    `INSERT OR REPLACE INTO call_legs (leg_id, interaction_id, call_id, local_tag, remote_tag, local_uri, remote_uri, remote_target, next_hop, started_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(l.legId, l.interactionId, l.callId, l.localTag, l.remoteTag, l.localUri, l.remoteUri, l.remoteTarget, l.nextHop, l.startedAt);
}

export function deleteLeg(db: Database, legId: string): void {
  db.prepare('DELETE FROM call_legs WHERE leg_id = ?').run(legId);
}

/** Removes and returns every stored leg (at start: they belong to a run that is gone). */
export function takeAllLegs(db: Database): StoredLeg[] {
  return (db.prepare('DELETE FROM call_legs RETURNING *').all() as Row[]).map((r) => ({
    legId: r.leg_id,
    interactionId: r.interaction_id,
    callId: r.call_id,
    localTag: r.local_tag,
    remoteTag: r.remote_tag,
    localUri: r.local_uri,
    remoteUri: r.remote_uri,
    remoteTarget: r.remote_target,
    nextHop: r.next_hop,
    startedAt: r.started_at,
  }));
}
