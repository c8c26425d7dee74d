/** The ACD's contract with its adapter: what goes in (inputs), what comes out (commands and events). */

export type AgentState = 'logged-out' | 'available' | 'reserved' | 'ringing' | 'on-call' | 'wrap-up' | 'paused';

export type Destination =
  | { kind: 'queue'; target: string }
  | { kind: 'extension'; target: string }
  | { kind: 'external'; target: string }
  | { kind: 'ivr'; target: string }
  | { kind: 'callback' }
  | { kind: 'hangup'; prompt?: string };

/** Parses a destination already validated by `destinationSchema`. */
export function parseDestination(text: string): Destination {
  if (text === 'callback') return { kind: 'callback' };
  if (text === 'hangup') return { kind: 'hangup' };
  const colon = text.indexOf(':');
  const kind = text.slice(0, colon);
  const target = text.slice(colon + 1);
  switch (kind) {
    case 'queue':
    case 'extension':
    case 'external':
    case 'ivr':
      return { kind, target };
    case 'hangup':
      return { kind: 'hangup', prompt: target };
    default:
      throw new Error(`not a destination: ${text}`);
  }
}

export type OfferFailure = 'no-answer' | 'busy' | 'rejected' | 'error';
export type CallbackFailure = 'no-answer' | 'busy' | 'rejected' | 'no-confirm' | 'hangup' | 'error';

export type AcdInput =
  | {
      type: 'caller-entered';
      callId: string;
      queue: string;
      callerNumber?: string;
      callerName?: string;
      /** Higher is served first; 0 is a normal caller. */
      priority?: number;
      /** Requirements from the IVR; replace the queue's own. */
      skills?: Record<string, number>;
      /** Set when the call already has an interaction (transfer from another queue or an IVR). */
      interactionId?: string;
    }
  | { type: 'caller-hangup'; callId: string }
  | { type: 'dtmf'; callId: string; key: string }
  | { type: 'agent-ringing'; agentId: string; callId: string }
  | { type: 'agent-answered'; agentId: string; callId: string }
  | { type: 'offer-failed'; agentId: string; callId: string; reason: OfferFailure }
  | { type: 'agent-hangup'; agentId: string }
  | { type: 'transfer'; callId: string; to: string }
  | { type: 'callback-failed'; callId: string; reason: CallbackFailure }
  | { type: 'agent-login'; agentId: string; paused?: string }
  | { type: 'agent-logout'; agentId: string }
  | { type: 'agent-pause'; agentId: string; reason: string }
  | { type: 'agent-unpause'; agentId: string }
  | { type: 'agent-wrapup-end'; agentId: string };

/**
 * What the adapter must do, in order:
 * - offer: ring the agent's phone for this call (show caller and queue), for at most `timeoutS`; report
 *   `agent-ringing`, then `agent-answered` or `offer-failed`.
 * - cancel-offer: stop ringing that agent for that call; if its leg was answered anyway, hang that leg up.
 * - bridge: connect the caller with the agent who answered.
 * - announce: play the position / wait estimate, or the callback offer (press `key`).
 * - route: take the caller out of the queue to the destination (for `callback`: confirm and hang up).
 * - dial-callback: call the customer back; after they press `confirmKey` send it as `dtmf`, otherwise
 *   report `callback-failed`. cancel-callback: stop that attempt.
 */
export type AcdCommand =
  | {
      type: 'offer';
      callId: string;
      agentId: string;
      queue: string;
      interactionId: string;
      callerNumber?: string;
      callerName?: string;
      timeoutS: number;
    }
  /** Stop ringing the agent, or hang up the agent's leg if it answered too late. */
  | { type: 'cancel-offer'; callId: string; agentId: string }
  | { type: 'bridge'; callId: string; agentId: string }
  | { type: 'announce'; callId: string; prompt: 'position' | 'callback-offer'; position?: number; ewtS?: number | null; key?: string }
  /** The caller leaves the queue (overflow, timeout, exit key, empty queue, callback registered). */
  | { type: 'route'; callId: string; to: Destination; reason: ExitReason }
  | { type: 'dial-callback'; callId: string; number: string; agentId: string; attempt: number; confirmKey: string; timeoutS: number }
  | { type: 'cancel-callback'; callId: string };

export type ExitReason = 'timeout' | 'overflow' | 'full' | 'empty' | 'key' | 'callback';

interface Base {
  at: number;
}
interface CallBase extends Base {
  callId: string;
  interactionId: string;
  queue: string;
}
interface AgentBase extends Base {
  agentId: string;
}

export type AcdEvent =
  | (CallBase & { type: 'enter'; position: number; priority: number; resumed: boolean })
  | (CallBase & { type: 'offer'; agentId: string })
  | (CallBase & { type: 'ring-no-answer'; agentId: string; ringMs: number })
  | (CallBase & { type: 'offer-failed'; agentId: string; reason: Exclude<OfferFailure, 'no-answer'> })
  | (CallBase & { type: 'connect'; agentId: string; waitMs: number; callback: boolean })
  | (CallBase & { type: 'complete'; agentId: string; by: 'agent' | 'caller' | 'transfer'; talkMs: number; waitMs: number })
  | (CallBase & { type: 'abandon'; waitMs: number; position: number })
  | (CallBase & { type: 'exit'; reason: ExitReason; to: string; waitMs: number })
  | (CallBase & { type: 'callback-requested'; number: string; position: number })
  | (CallBase & { type: 'callback-placed'; agentId: string; attempt: number })
  | (CallBase & { type: 'callback-connected'; agentId: string; attempt: number })
  | (CallBase & { type: 'callback-failed'; reason: CallbackFailure; attempt: number; final: boolean; waitMs: number })
  | (AgentBase & { type: 'agent-login' })
  | (AgentBase & { type: 'agent-logout' })
  | (AgentBase & { type: 'agent-pause'; reason: string })
  | (AgentBase & { type: 'agent-unpause' })
  | (AgentBase & { type: 'agent-wrapup'; untilAt: number })
  | (AgentBase & { type: 'agent-available' });

export type AcdEventType = AcdEvent['type'];
export type AcdCallEvent = Extract<AcdEvent, { callId: string }>;

/** True for the events that end one caller's visit to a queue: every `enter` is followed by exactly one. */
export function isOutcome(e: AcdEvent): e is AcdCallEvent {
  return e.type === 'complete' || e.type === 'abandon' || e.type === 'exit' || (e.type === 'callback-failed' && e.final);
}

export interface AcdOutput {
  commands: AcdCommand[];
  events: AcdEvent[];
}
