import type { QueueOptions } from './queue-options-schema.ts';
import type { Requirement } from './skills.ts';
import type { DeadlineHeap } from './timers.ts';
import type { AcdCommand, AcdEvent, AgentState } from './types.ts';

/** Internal records of the engine. Modules of the core share them; the adapter only sees snapshots. */

export interface AgentRec {
  id: string;
  skills: ReadonlyMap<string, number>;
  state: AgentState;
  since: number;
  pauseReason?: string;
  /** The one call this agent is offered (or reserved for, for a callback). Never more than one. */
  offer?: { call: CallRec; kind: 'call' | 'callback' };
  /** The call this agent talks on (state on-call). */
  call?: CallRec;
  /** A pause or logout asked for during a call: applied when the call and its wrap-up end. */
  pending?: { type: 'pause'; reason: string } | { type: 'logout' };
  memberOf: MemberRec[];
  /** Busy/reject/no-answer delay: no offer before this time. */
  notBefore: number;
  wrapUntil: number;
  /** For longest-idle: when the agent last finished a call (or logged in). */
  idleSince: number;
  unanswered: number;
  calls: number;
  talkMs: number;
  /** Changes on every state change; deadlines compare it to know whether they are still meant. */
  token: number;
}

export interface MemberRec {
  agent: AgentRec;
  queue: QueueRec;
  penalty: number;
  weight: number;
  /** Position in the queue's member list (linear, round-robin, ring-progressively). */
  order: number;
  calls: number;
  talkMs: number;
}

export interface QueueRec {
  id: string;
  options: QueueOptions;
  members: MemberRec[];
  /** Waiting callers and pending callbacks, by priority (high first), then by `seq`. */
  entries: CallRec[];
  /** Round-robin memory: order of the member offered last. */
  rrLast: number;
  /** Whether each of the last `priority_window` routing decisions served a priority caller. */
  recent: boolean[];
  /** Measured handle time (talk + wrap-up), smoothed; seeds from `expected_handle_s`. */
  handleMs: number;
  /** What changed since routing last ran here; swapped with `spareWake` so routing allocates nothing. */
  wake: Wake;
  spareWake: Wake;
}

export type CallPhase = 'waiting' | 'callback' | 'callback-dialing' | 'connected' | 'gone';

export interface CallbackState {
  number: string;
  attempts: number;
  notBefore: number;
  agent?: AgentRec;
  /** True once the customer pressed the confirm key: from then on it is a live caller again. */
  confirmed: boolean;
}

export interface CallRec {
  callId: string;
  interactionId: string;
  queue: QueueRec;
  callerNumber?: string;
  callerName?: string;
  priority: number;
  skills?: Readonly<Record<string, number>>;
  /** Global order of arrival; kept on abandoned-resume and callbacks so the caller keeps their place. */
  seq: number;
  /** Start of the wait that counts for widening, overflow and statistics (kept on resume). */
  enteredAt: number;
  phase: CallPhase;
  offers: Map<AgentRec, { at: number }>;
  /** The requirement after widening, valid from `from` until the next widening step. */
  requirement?: { req: Requirement; from: number; until: number };
  /** Agents that let this call ring out or refused it: others are tried first. */
  tried: Set<AgentRec>;
  firstOfferAt?: number;
  agent?: AgentRec;
  connectedAt?: number;
  callback?: CallbackState;
  /** Changes every time the call enters a queue; deadlines of an earlier visit then do nothing. */
  visit: number;
  /** Queues entered through overflow so far. */
  hops: number;
}

/**
 * What changed in a queue since routing last ran there. Routing keeps the queue "settled" (no waiting
 * caller has an available agent that could take it), so afterwards only these members and callers need a
 * look: this keeps a decision cheap with a thousand callers waiting.
 */
export interface Wake {
  /** Members that became available (or whose delay ended). */
  members: MemberRec[];
  /** Callers that entered, widened, became due or lost their offer. */
  calls: Set<CallRec>;
}

export interface AbandonRec {
  seq: number;
  enteredAt: number;
  interactionId: string;
  priority: number;
  at: number;
}

export interface State {
  now: number;
  agents: Map<string, AgentRec>;
  queues: Map<string, QueueRec>;
  calls: Map<string, CallRec>;
  /** Recently abandoned callers by `queue|number`, for abandoned-resume. */
  abandoned: Map<string, AbandonRec>;
  deadlines: DeadlineHeap;
  /** Queues where something changed that may allow a new offer (see `QueueRec.wake`). */
  dirty: Set<QueueRec>;
  seq: number;
  visits: number;
  rng: () => number;
  newId: () => string;
  commands: AcdCommand[];
  events: AcdEvent[];
}

export const SECOND = 1000;
