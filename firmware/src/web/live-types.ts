// The shapes of the live state, with no imports: the server and the browser UI (web-ui) both use this file.

export interface LiveRegistration {
  extension: string;
  contact: string;
  userAgent: string;
  source: string;
  expiresAt: string;
}

export interface LiveCall {
  id: string;
  /** Ties legs, transfers and callbacks of one customer contact together (as in the CDRs). */
  interactionId: string;
  direction: 'inbound' | 'outbound' | 'internal';
  caller: string;
  callerName?: string;
  callee: string;
  state: 'ringing' | 'ivr' | 'queued' | 'talking' | 'held';
  queue?: string;
  extension?: string;
  trunk?: string;
  startedAt: string;
  answeredAt?: string;
  /** What the caller entered in the IVR (collect nodes), shown to the agent. */
  ivrData?: Record<string, string>;
}

export type AgentStateName = 'logged-out' | 'idle' | 'ringing' | 'talking' | 'wrap-up' | 'paused';

export interface LiveAgent {
  extension: string;
  name: string;
  state: AgentStateName;
  since: string;
  /** Queues the agent is logged in to. */
  queues: string[];
  pauseReason?: string;
  /** The call the agent is on, rings with, or wraps up. */
  callId?: string;
  registered: boolean;
  answeredToday: number;
}

export interface LiveQueue {
  number: string;
  name: string;
  waiting: number;
  longestWaitS: number;
  estimatedWaitS: number;
  agents: Record<'idle' | 'busy' | 'paused' | 'wrap-up' | 'ringing', number>;
  answeredToday: number;
  abandonedToday: number;
  /** Percent of today's calls answered within the queue's service level. */
  serviceLevelPercent: number | null;
}

export interface LiveTrunk {
  name: string;
  /** From the OPTIONS pings and the outbound registration; `unmonitored` when neither watches the trunk. */
  state: 'up' | 'degraded' | 'down' | 'registering' | 'unmonitored';
  detail: string;
  activeCalls: number;
  /** 0 = no limit. */
  maxCalls: number;
  /** When the state last changed, ISO 8601. */
  since: string;
}
