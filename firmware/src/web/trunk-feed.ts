import type { TrunkStatus } from '../trunks/trunk-health.ts';
import type { InMemoryLiveState, LiveTrunk } from './live-state.ts';

/** What the feed needs of the trunk health monitor (trunks/trunk-health.ts). */
export interface TrunkStatusSource {
  list(): TrunkStatus[];
  on(event: 'change', listener: () => void): unknown;
  off(event: 'change', listener: () => void): unknown;
}

export function liveTrunk(s: TrunkStatus): LiveTrunk {
  const state: LiveTrunk['state'] =
    s.registration === 'registering' && s.state !== 'up' ? 'registering' : !s.monitored && s.registration === undefined ? 'unmonitored' : s.state;
  const detail = [
    s.reason,
    s.lastRttMs === undefined ? undefined : `RTT ${Math.round(s.lastRttMs)} ms`,
    s.registration === undefined ? undefined : `registration ${s.registration}`,
    s.callsFailedOver > 0 ? `${s.callsFailedOver} calls failed over` : undefined,
  ].filter((x) => x !== undefined && x !== '');
  return { name: s.name, state, detail: detail.join(' · '), activeCalls: s.activeCalls, maxCalls: s.maxCalls, since: s.lastChange };
}

/**
 * Trunk health into the live state (dashboard, SSE): at once on every state change, and every few seconds for
 * what changes without an event (calls on the trunk, round trip). Only trunks whose view changed are re-sent.
 */
export function feedTrunks(source: TrunkStatusSource, live: InMemoryLiveState, refreshMs = 3000): () => void {
  let last = new Map<string, string>();
  const publish = () => {
    const next = new Map<string, string>();
    for (const s of source.list()) {
      const v = liveTrunk(s);
      const text = JSON.stringify(v);
      next.set(v.name, text);
      if (last.get(v.name) !== text) live.setTrunk(v);
    }
    for (const name of last.keys()) if (!next.has(name)) live.removeTrunk(name);
    last = next;
  };
  source.on('change', publish);
  const timer = setInterval(publish, refreshMs);
  publish();
  return () => {
    clearInterval(timer);
    source.off('change', publish);
  };
}
