import type { Database } from 'better-sqlite3';

/** One registered contact of an extension, and the address the REGISTER really came from. */
export interface Binding {
  extension: string;
  contact: string;
  receivedProto: string;
  receivedAddress: string;
  receivedPort: number;
  callId: string;
  cseq: number;
  /** Epoch milliseconds. */
  expiresAt: number;
  registeredAt: number;
  userAgent: string | null;
}

interface Row {
  extension: string;
  contact: string;
  received_proto: string;
  received_address: string;
  received_port: number;
  call_id: string;
  cseq: number;
  expires_at: number;
  registered_at: number;
  user_agent: string | null;
}

const fromRow = (r: Row): Binding => ({
  extension: r.extension,
  contact: r.contact,
  receivedProto: r.received_proto,
  receivedAddress: r.received_address,
  receivedPort: r.received_port,
  callId: r.call_id,
  cseq: r.cseq,
  expiresAt: r.expires_at,
  registeredAt: r.registered_at,
  userAgent: r.user_agent,
});

/** Live bindings of an extension, newest first (the registrar rings them all; the newest is the tie-break). */
export function listBindings(db: Database, extension: string, now: number): Binding[] {
  const rows = db.prepare('SELECT * FROM registrations WHERE extension = ? AND expires_at > ? ORDER BY registered_at DESC').all(extension, now) as Row[];
  return rows.map(fromRow);
}

export function listAllBindings(db: Database, now: number): Binding[] {
  return (db.prepare('SELECT * FROM registrations WHERE expires_at > ? ORDER BY extension, registered_at DESC').all(now) as Row[]).map(fromRow);
}

export function upsertBinding(db: Database, b: Binding): void {
  db.prepare(
    `INSERT INTO registrations (extension, contact, received_proto, received_address, received_port, call_id, cseq, expires_at, registered_at, user_agent)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (extension, contact) DO UPDATE SET received_proto = excluded.received_proto, received_address = excluded.received_address,
       received_port = excluded.received_port, call_id = excluded.call_id, cseq = excluded.cseq, expires_at = excluded.expires_at,
       registered_at = excluded.registered_at, user_agent = excluded.user_agent`,
  ).run(b.extension, b.contact, b.receivedProto, b.receivedAddress, b.receivedPort, b.callId, b.cseq, b.expiresAt, b.registeredAt, b.userAgent);
}

export function deleteBinding(db: Database, extension: string, contact: string): boolean {
  return db.prepare('DELETE FROM registrations WHERE extension = ? AND contact = ?').run(extension, contact).changes > 0;
}

export function deleteBindings(db: Database, extension: string): number {
  return db.prepare('DELETE FROM registrations WHERE extension = ?').run(extension).changes;
}

/** Removes and returns the bindings that expired by `now`. */
export function takeExpiredBindings(db: Database, now: number): Binding[] {
  return (db.prepare('DELETE FROM registrations WHERE expires_at <= ? RETURNING *').all(now) as Row[]).map(fromRow);
}
