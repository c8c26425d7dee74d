import type { Binding } from '../config/repositories/registrations.ts';
import type { ComponentHealth } from '../supervisor/component-health.ts';
import type { LiveRegistration } from '../web/live-state.ts';
import type { Registrar } from './registrar.ts';

/** The part of the web's live state the registrar feeds. */
export interface RegistrationSink {
  setRegistration(r: LiveRegistration): void;
  removeRegistration(extension: string, contact: string): void;
}

const toLive = (b: Binding): LiveRegistration => ({
  extension: b.extension,
  contact: b.contact,
  userAgent: b.userAgent ?? '',
  source: `${b.receivedProto}/${b.receivedAddress}:${b.receivedPort}`,
  expiresAt: new Date(b.expiresAt).toISOString(),
});

/** Mirrors the registrar's bindings (those already stored, then every change) into the live pages. */
export function feedRegistrations(registrar: Registrar, sink: RegistrationSink, current: readonly Binding[]): () => void {
  for (const b of current) sink.setRegistration(toLive(b));
  const set = (b: Binding) => sink.setRegistration(toLive(b));
  const remove = (b: Binding) => sink.removeRegistration(b.extension, b.contact);
  registrar.on('register', set);
  registrar.on('refresh', set);
  registrar.on('unregister', remove);
  registrar.on('expire', remove);
  return () => {
    registrar.off('register', set);
    registrar.off('refresh', set);
    registrar.off('unregister', remove);
    registrar.off('expire', remove);
  };
}

/** rtpengine's state as the appliance's health sees it (the ng ping loop there). */
export function mediaStateFromHealth(health: ComponentHealth): { mediaUp(): boolean; onMediaChange(l: (up: boolean) => void): () => void } {
  return {
    mediaUp: () => health.get('rtpengine')?.state === 'up',
    onMediaChange: (l) => health.onChange((name, s) => name === 'rtpengine' && l(s.state === 'up')),
  };
}
