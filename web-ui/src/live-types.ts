// The shapes of the box's live state: the server's own definitions (type-only, so nothing of the server is bundled).
export type { AgentStateName, LiveAgent, LiveCall, LiveQueue, LiveRegistration, LiveTrunk } from '../../firmware/src/web/live-types.ts';
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
