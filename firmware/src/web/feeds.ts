import type { Database } from 'better-sqlite3';
import { listAllBindings, type Binding } from '../config/repositories/registrations.ts';
import type { InMemoryLiveState, LiveRegistration } from './live-state.ts';

/** What the registrar tells about bindings (it is an EventEmitter with these events). */
export interface RegistrationEvents {
  on(event: 'register' | 'unregister' | 'expire', listener: (b: Binding) => void): unknown;
  off(event: 'register' | 'unregister' | 'expire', listener: (b: Binding) => void): unknown;
}

const toLive = (b: Binding): LiveRegistration => ({
  extension: b.extension,
  contact: b.contact,
  userAgent: b.userAgent ?? '',
  source: `${b.receivedProto}/${b.receivedAddress}:${b.receivedPort}`,
  expiresAt: new Date(b.expiresAt).toISOString(),
});

/**
 * Feeds the registrar's bindings into the live state: those in the store at start (they survive an app restart),
 * then every register, un-register and expiry as it happens. Returns the function that stops the feed.
 */
export function feedRegistrations(live: InMemoryLiveState, registrar: RegistrationEvents, db: Database, now = Date.now()): () => void {
  for (const b of listAllBindings(db, now)) live.setRegistration(toLive(b));
  const add = (b: Binding) => live.setRegistration(toLive(b));
  const remove = (b: Binding) => live.removeRegistration(b.extension, b.contact);
  registrar.on('register', add);
  registrar.on('unregister', remove);
  registrar.on('expire', remove);
  return () => {
    registrar.off('register', add);
    registrar.off('unregister', remove);
    registrar.off('expire', remove);
  };
}
