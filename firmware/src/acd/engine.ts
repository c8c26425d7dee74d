import { isAvailable, isStaffed, moveAgent } from './agent-state.ts';
import { endWrapUp, login, logout, pause, unpause } from './agents.ts';
import { callbackFailed, confirmCallback } from './callbacks.ts';
import { abandonedPlace, callerHangup, callerKey, enterQueue } from './calls.ts';
import { applyConfig } from './configure.ts';
import { estimate, estimateWaitMs } from './estimates.ts';
import type { Estimate } from './estimates.ts';
import { complete, connect, failOffer } from './offers.ts';
import { command } from './out.ts';
import type { QueueOptions, QueueOptionsInput } from './queue-options-schema.ts';
import { positionOf } from './queue.ts';
import { dispatch, unserved } from './routing.ts';
import type { AgentRec, CallPhase, QueueRec, State } from './state.ts';
import { DeadlineHeap } from './timers.ts';
import type { AcdInput, AcdOutput, AgentState } from './types.ts';

export interface AcdAgentConfig {
  id: string;
  /** Proficiency 1-5 per skill. */
  skills?: Record<string, number>;
}

export interface AcdQueueConfig {
  id: string;
  options?: QueueOptionsInput | QueueOptions;
  members: ReadonlyArray<{ agentId: string; penalty?: number; weight?: number }>;
}

export interface AcdConfig {
  agents: readonly AcdAgentConfig[];
  queues: readonly AcdQueueConfig[];
}

export interface AcdDeps {
  /** Random numbers in [0, 1) for the random strategies. */
  rng?: () => number;
  /** Creates interaction ids; must be unique across restarts (the adapter injects UUIDs). */
  newId?: () => string;
  /** Engine clock at creation (ms). */
  now?: number;
}

export interface AgentView {
  id: string;
  state: AgentState;
  since: number;
  pauseReason?: string;
  offeredCallId?: string;
  callId?: string;
  unanswered: number;
  calls: number;
  talkMs: number;
}

export interface EntryView {
  callId: string;
  interactionId: string;
  position: number;
  priority: number;
  phase: CallPhase;
  waitMs: number;
  ringing: string[];
  callbackNumber?: string;
}

export interface QueueView {
  id: string;
  entries: EntryView[];
  staffed: number;
  available: number;
  handleMs: number;
  /** Estimated wait of a caller joining now (null: nobody staffed). */
  ewtMs: number | null;
  longestWaitMs: number;
}

/**
 * The ACD core. Feed it inputs with `handle(input, now)` and call `tick(now)` at `nextDeadline()`; both
 * return the commands for the adapter to execute and the events to record, in order. It never reads a
 * clock: every time comes from the caller, so tests replay exactly.
 */
export class Acd {
  #s: State;

  constructor(config: AcdConfig, deps: AcdDeps = {}) {
    let ids = 0;
    this.#s = {
      now: deps.now ?? 0,
      agents: new Map(),
      queues: new Map(),
      calls: new Map(),
      abandoned: new Map(),
      deadlines: new DeadlineHeap(),
      dirty: new Set(),
      seq: 0,
      visits: 0,
      rng: deps.rng ?? Math.random,
      newId: deps.newId ?? (() => `i${++ids}`),
      commands: [],
      events: [],
    };
    applyConfig(this.#s, config);
  }

  /**
   * Applies a new configuration at `now` without dropping calls (see `applyConfig`). Throws, changing
   * nothing, when the configuration is invalid.
   */
  reconfigure(config: AcdConfig, now: number): AcdOutput {
    this.#runDue(now);
    this.#s.now = Math.max(this.#s.now, now);
    applyConfig(this.#s, config);
    dispatch(this.#s);
    return this.#flush();
  }

  /** Applies one input at time `now` (deadlines due by then run first). */
  handle(input: AcdInput, now: number): AcdOutput {
    const s = this.#s;
    const agent = 'agentId' in input ? this.#agent(input.agentId) : undefined;
    const queue = input.type === 'caller-entered' ? this.#queue(input.queue) : undefined;
    this.#runDue(now);
    s.now = Math.max(s.now, now);
    const call = 'callId' in input ? s.calls.get(input.callId) : undefined;
    switch (input.type) {
      case 'caller-entered':
        if (call !== undefined) throw new Error(`call ${input.callId} is already in queue ${call.queue.id}`);
        enterQueue(s, {
          callId: input.callId,
          queue: queue as QueueRec,
          ...(input.callerNumber !== undefined && { callerNumber: input.callerNumber }),
          ...(input.callerName !== undefined && { callerName: input.callerName }),
          ...(input.priority !== undefined && { priority: input.priority }),
          ...(input.skills !== undefined && { skills: input.skills }),
          ...(input.interactionId !== undefined && { interactionId: input.interactionId }),
        });
        break;
      case 'caller-hangup':
        if (call?.phase === 'callback-dialing') callbackFailed(s, call, 'hangup', false);
        else if (call !== undefined) callerHangup(s, call);
        break;
      case 'dtmf':
        if (call?.phase === 'callback-dialing') {
          if (input.key === call.queue.options.callback.confirm_key) confirmCallback(s, call);
        } else if (call !== undefined) {
          callerKey(s, call, input.key);
        }
        break;
      case 'agent-ringing': {
        const a = agent as AgentRec;
        if (a.state === 'reserved' && a.offer?.kind === 'call' && a.offer.call === call) moveAgent(a, 'ringing', s.now);
        break;
      }
      case 'agent-answered': {
        const a = agent as AgentRec;
        if (call !== undefined && call.phase === 'waiting' && call.offers.has(a)) connect(s, call, a);
        // Answered an offer that no longer exists (the caller left, someone else answered): hang up that leg.
        else command(s, { type: 'cancel-offer', callId: input.callId, agentId: a.id });
        break;
      }
      case 'offer-failed':
        if (call !== undefined) failOffer(s, call, agent as AgentRec, input.reason, false);
        break;
      case 'agent-hangup': {
        const a = agent as AgentRec;
        if (a.call !== undefined) complete(s, a.call, 'agent');
        break;
      }
      case 'transfer':
        if (call?.phase === 'connected') {
          complete(s, call, 'transfer');
          const target = /^queue:(\d+)$/.exec(input.to)?.[1];
          const next = target === undefined ? undefined : s.queues.get(target);
          if (next !== undefined) {
            enterQueue(s, {
              callId: call.callId,
              queue: next,
              ...(call.callerNumber !== undefined && { callerNumber: call.callerNumber }),
              ...(call.callerName !== undefined && { callerName: call.callerName }),
              priority: call.priority,
              interactionId: call.interactionId,
            });
          }
        }
        break;
      case 'callback-failed':
        if (call !== undefined) callbackFailed(s, call, input.reason, false);
        break;
      case 'agent-login':
        login(s, agent as AgentRec, input.paused);
        break;
      case 'agent-logout':
        logout(s, agent as AgentRec);
        break;
      case 'agent-pause':
        pause(s, agent as AgentRec, input.reason);
        break;
      case 'agent-unpause':
        unpause(s, agent as AgentRec);
        break;
      case 'agent-wrapup-end':
        endWrapUp(s, agent as AgentRec);
        break;
    }
    dispatch(s);
    return this.#flush();
  }

  /** Runs every deadline due by `now`. */
  tick(now: number): AcdOutput {
    this.#runDue(now);
    this.#s.now = Math.max(this.#s.now, now);
    dispatch(this.#s);
    return this.#flush();
  }

  /** When `tick` should be called next (engine time, ms), or null when nothing is scheduled. */
  nextDeadline(): number | null {
    return this.#s.deadlines.peek();
  }

  /**
   * The interaction id a caller from this number resumes if they enter the queue at `now` (abandoned-resume), so
   * that an adapter can name the call's own records (CDRs) with it before the call enters; undefined for a new
   * interaction. Changes nothing.
   */
  resumableInteraction(queue: string, callerNumber: string, now: number): string | undefined {
    return abandonedPlace(this.#s, this.#queue(queue), callerNumber, Math.max(this.#s.now, now))?.interactionId;
  }

  /** Position and estimated wait of a waiting caller or pending callback. */
  estimate(callId: string): Estimate | null {
    const call = this.#s.calls.get(callId);
    if (call === undefined || call.phase === 'connected' || call.phase === 'gone') return null;
    return estimate(call, this.#s.now);
  }

  agent(id: string): AgentView {
    const a = this.#agent(id);
    return {
      id: a.id,
      state: a.state,
      since: a.since,
      ...(a.pauseReason !== undefined && { pauseReason: a.pauseReason }),
      ...(a.offer !== undefined && { offeredCallId: a.offer.call.callId }),
      ...(a.call !== undefined && { callId: a.call.callId }),
      unanswered: a.unanswered,
      calls: a.calls,
      talkMs: a.talkMs,
    };
  }

  agents(): AgentView[] {
    return [...this.#s.agents.keys()].map((id) => this.agent(id));
  }

  queue(id: string): QueueView {
    const q = this.#queue(id);
    const now = this.#s.now;
    return {
      id: q.id,
      entries: q.entries.map((c) => ({
        callId: c.callId,
        interactionId: c.interactionId,
        position: positionOf(q, c),
        priority: c.priority,
        phase: c.phase,
        waitMs: now - c.enteredAt,
        ringing: [...c.offers.keys()].map((a) => a.id),
        ...(c.callback !== undefined && { callbackNumber: c.callback.number }),
      })),
      staffed: q.members.filter((m) => isStaffed(m.agent)).length,
      available: q.members.filter((m) => isAvailable(m.agent, now)).length,
      handleMs: q.handleMs,
      ewtMs: estimateWaitMs(q, null, now),
      longestWaitMs: q.entries.reduce((max, c) => Math.max(max, now - c.enteredAt), 0),
    };
  }

  queueIds(): string[] {
    return [...this.#s.queues.keys()];
  }

  /**
   * Consistency of offers between agents and calls, and no caller left waiting next to an idle agent that
   * could take it. Empty in a healthy engine; the property tests run it after every input.
   */
  invariantViolations(): string[] {
    const s = this.#s;
    const out: string[] = [];
    for (const a of s.agents.values()) {
      const offered = a.state === 'reserved' || a.state === 'ringing';
      if (offered !== (a.offer !== undefined)) out.push(`agent ${a.id} is ${a.state} with${a.offer ? '' : 'out'} an offer`);
      const o = a.offer;
      if (o !== undefined) {
        const live = s.calls.get(o.call.callId) === o.call;
        const holds = o.kind === 'call' ? o.call.offers.has(a) : o.call.callback?.agent === a && o.call.phase === 'callback-dialing';
        if (!live || !holds) out.push(`agent ${a.id} holds a stale offer of ${o.call.callId}`);
      }
      if ((a.state === 'on-call') !== (a.call !== undefined)) out.push(`agent ${a.id} is ${a.state} with${a.call ? '' : 'out'} a call`);
    }
    for (const q of s.queues.values()) {
      for (const c of unserved(q, s.now)) out.push(`call ${c.callId} waits in ${q.id} although an available agent could take it`);
    }
    for (const c of s.calls.values()) {
      for (const a of c.offers.keys()) if (a.offer?.call !== c) out.push(`call ${c.callId} rings ${a.id}, whose offer is elsewhere`);
      if (c.offers.size > 0 && c.phase !== 'waiting') out.push(`call ${c.callId} is ${c.phase} with offers`);
    }
    return out;
  }

  #agent(id: string): AgentRec {
    const a = this.#s.agents.get(id);
    if (a === undefined) throw new Error(`unknown agent ${id}`);
    return a;
  }

  #queue(id: string): QueueRec {
    const q = this.#s.queues.get(id);
    if (q === undefined) throw new Error(`unknown queue ${id}`);
    return q;
  }

  /** Deadlines run at their own time, in order, each followed by routing, so results do not depend on tick spacing. */
  #runDue(now: number): void {
    const s = this.#s;
    for (;;) {
      const d = s.deadlines.popDue(now);
      if (d === undefined) break;
      s.now = Math.max(s.now, d.at);
      d.fire();
      dispatch(s);
    }
  }

  #flush(): AcdOutput {
    const s = this.#s;
    const out = { commands: s.commands, events: s.events };
    s.commands = [];
    s.events = [];
    return out;
  }
}
