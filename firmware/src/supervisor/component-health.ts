export type ComponentState = 'up' | 'starting' | 'down';

export interface ComponentStatus {
  state: ComponentState;
  detail: string;
  since: string;
}

export interface HealthReport {
  status: 'ok' | 'starting' | 'fault';
  components: Record<string, ComponentStatus>;
}

/**
 * The one place every service reports its state; /health, SNMP, the LEDs and the web UI all read it,
 * so they can never disagree about whether the box is healthy.
 */
export class ComponentHealth {
  #components = new Map<string, ComponentStatus>();
  #listeners = new Set<(name: string, status: ComponentStatus) => void>();

  set(name: string, state: ComponentState, detail = ''): void {
    const prev = this.#components.get(name);
    if (prev && prev.state === state && prev.detail === detail) return;
    const status = { state, detail, since: prev?.state === state ? prev.since : new Date().toISOString() };
    this.#components.set(name, status);
    for (const l of this.#listeners) l(name, status);
  }

  get(name: string): ComponentStatus | undefined {
    return this.#components.get(name);
  }

  onChange(listener: (name: string, status: ComponentStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  report(): HealthReport {
    const components = Object.fromEntries(this.#components);
    const states = [...this.#components.values()].map((c) => c.state);
    const status = states.includes('down') ? 'fault' : states.includes('starting') ? 'starting' : 'ok';
    return { status, components };
  }
}
