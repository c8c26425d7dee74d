// The shapes of the box's live state (firmware/src/web/live-state.ts).
export interface LiveQueue {
  number: string;
  name: string;
  waiting: number;
  longestWaitS: number;
  estimatedWaitS: number;
  agents: Record<'idle' | 'busy' | 'paused' | 'wrap-up' | 'ringing', number>;
  answeredToday: number;
  abandonedToday: number;
  serviceLevelPercent: number | null;
}
export interface LiveAgent {
  extension: string;
  name: string;
  state: 'logged-out' | 'idle' | 'ringing' | 'talking' | 'wrap-up' | 'paused';
  since: string;
  queues: string[];
  pauseReason?: string;
  callId?: string;
  registered: boolean;
  answeredToday: number;
}
export interface LiveCall {
  id: string;
  interactionId: string;
  direction: string;
  caller: string;
  callerName?: string;
  callee: string;
  state: string;
  queue?: string;
  extension?: string;
  trunk?: string;
  startedAt: string;
  answeredAt?: string;
  ivrData?: Record<string, string>;
}
export interface LiveTrunk {
  name: string;
  state: string;
  detail: string;
  activeCalls: number;
}
export interface Health {
  status: 'ok' | 'starting' | 'fault';
  components: Record<string, { state: string; detail: string; since: string }>;
}
export interface Leds {
  backend: string;
  scene: string;
  leds: Record<string, { on: boolean; pattern: string }>;
  degraded: string | null;
}
export interface LiveRegistration {
  extension: string;
  contact: string;
  userAgent: string;
  source: string;
  expiresAt: string;
}
