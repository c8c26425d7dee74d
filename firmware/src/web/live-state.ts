import type { GpioSnapshot } from '../platform/gpio.ts';
import type { ComponentHealth, HealthReport } from '../supervisor/component-health.ts';

/*
 * What the live pages show, behind one interface: the calls, ACD and trunk code feed it, the API and the SSE
 * streams read it. The web never reaches into those services directly, so they can change without the UI.
 */

import type { LiveAgent, LiveCall, LiveQueue, LiveRegistration, LiveTrunk } from './live-types.ts';

export type { AgentStateName, LiveAgent, LiveCall, LiveQueue, LiveRegistration, LiveTrunk } from './live-types.ts';

export interface LiveSnapshot {
  registrations: LiveRegistration[];
  calls: LiveCall[];
  queues: LiveQueue[];
  agents: LiveAgent[];
  trunks: LiveTrunk[];
  health: HealthReport;
  leds: GpioSnapshot | null;
}

export const LIVE_TOPICS = ['registrations', 'calls', 'queues', 'agents', 'trunks', 'health', 'leds'] as const;
export type LiveTopic = (typeof LIVE_TOPICS)[number];

/** What supervisors and agents do to agents from the console; the ACD implements it for real. */
export interface AgentControl {
  login(extension: string, queues: readonly string[]): void;
  logout(extension: string): void;
  pause(extension: string, reason: string): void;
  unpause(extension: string): void;
  /** Ends after-call work early (the disposition itself is stored by the API). */
  endWrapUp(extension: string): void;
}

export class AgentControlError extends Error {}

export interface LiveState {
  snapshot(): LiveSnapshot;
  /** Called with the topic whenever its data changes; returns the unsubscribe function. */
  subscribe(listener: (topic: LiveTopic) => void): () => void;
  readonly agents: AgentControl;
}

/**
 * The in-memory live state: services push their changes with the setters, readers get copies. Health comes from
 * the component registry, the LEDs from the front panel's snapshot (polled: the LED driver blinks faster than
 * anyone needs to be told).
 */
export class InMemoryLiveState implements LiveState {
  readonly #registrations = new Map<string, LiveRegistration>();
  readonly #calls = new Map<string, LiveCall>();
  readonly #queues = new Map<string, LiveQueue>();
  readonly #agents = new Map<string, LiveAgent>();
  readonly #trunks = new Map<string, LiveTrunk>();
  readonly #listeners = new Set<(topic: LiveTopic) => void>();
  readonly #health: ComponentHealth;
  readonly #leds: (() => GpioSnapshot) | undefined;
  #lastLeds = '';
  readonly #stops: Array<() => void> = [];
  #control: AgentControl;

  constructor(o: { health: ComponentHealth; leds?: () => GpioSnapshot; ledPollMs?: number; now?: () => Date }) {
    this.#health = o.health;
    this.#leds = o.leds;
    const now = o.now ?? (() => new Date());
    this.#stops.push(o.health.onChange(() => this.#emit('health')));
    if (o.leds !== undefined) {
      const poll = setInterval(() => {
        const text = JSON.stringify(this.#leds?.());
        if (text !== this.#lastLeds) {
          this.#lastLeds = text;
          this.#emit('leds');
        }
      }, o.ledPollMs ?? 250);
      poll.unref();
      this.#stops.push(() => clearInterval(poll));
    }
    this.#control = this.#memoryAgentControl(now);
  }

  get agents(): AgentControl {
    return this.#control;
  }

  /** The ACD takes over the console's agent actions (see acd-bridge.ts). */
  setAgentControl(control: AgentControl): void {
    this.#control = control;
  }

  snapshot(): LiveSnapshot {
    return structuredClone({
      registrations: [...this.#registrations.values()],
      calls: [...this.#calls.values()],
      queues: [...this.#queues.values()],
      agents: [...this.#agents.values()],
      trunks: [...this.#trunks.values()],
      health: this.#health.report(),
      leds: this.#leds?.() ?? null,
    });
  }

  subscribe(listener: (topic: LiveTopic) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  setRegistration(r: LiveRegistration): void {
    this.#registrations.set(`${r.extension} ${r.contact}`, { ...r });
    this.#emit('registrations');
  }

  removeRegistration(extension: string, contact: string): void {
    if (this.#registrations.delete(`${extension} ${contact}`)) this.#emit('registrations');
  }

  setCall(c: LiveCall): void {
    this.#calls.set(c.id, { ...c });
    this.#emit('calls');
  }

  removeCall(id: string): void {
    if (this.#calls.delete(id)) this.#emit('calls');
  }

  setQueue(q: LiveQueue): void {
    this.#queues.set(q.number, structuredClone(q));
    this.#emit('queues');
  }

  removeQueue(number: string): void {
    if (this.#queues.delete(number)) this.#emit('queues');
  }

  setAgent(a: LiveAgent): void {
    this.#agents.set(a.extension, structuredClone(a));
    this.#emit('agents');
  }

  removeAgent(extension: string): void {
    if (this.#agents.delete(extension)) this.#emit('agents');
  }

  setTrunk(t: LiveTrunk): void {
    this.#trunks.set(t.name, { ...t });
    this.#emit('trunks');
  }

  removeTrunk(name: string): void {
    if (this.#trunks.delete(name)) this.#emit('trunks');
  }

  close(): void {
    for (const s of this.#stops) s();
    this.#listeners.clear();
  }

  #emit(topic: LiveTopic): void {
    for (const l of [...this.#listeners]) l(topic);
  }

  /** Until the ACD takes over, console actions change the agent records here, so the pages work end to end. */
  #memoryAgentControl(now: () => Date): AgentControl {
    const update = (extension: string, change: Partial<LiveAgent>) => {
      const a = this.#agents.get(extension);
      if (a === undefined) throw new AgentControlError(`agent ${extension} is not known to the call center`);
      const { pauseReason: _old, ...rest } = a;
      this.setAgent({ ...(change.state === 'paused' ? a : rest), ...change, since: now().toISOString() });
    };
    return {
      login: (extension, queues) => update(extension, { state: 'idle', queues: [...queues] }),
      logout: (extension) => update(extension, { state: 'logged-out', queues: [] }),
      pause: (extension, reason) => update(extension, { state: 'paused', pauseReason: reason }),
      unpause: (extension) => update(extension, { state: 'idle' }),
      endWrapUp: (extension) => update(extension, { state: 'idle' }),
    };
  }
}
