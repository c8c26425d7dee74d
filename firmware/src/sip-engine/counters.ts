/** What the engine has seen and holds, for SNMP and the web UI. */
export interface EngineCounters {
  requestsIn: Record<string, number>;
  requestsOut: Record<string, number>;
  responsesIn: Record<string, number>;
  responsesOut: Record<string, number>;
  retransmissions: number;
  parseErrors: number;
  dropped: number;
  liveTransactions: number;
  liveDialogs: number;
  appConnections: number;
}

export function newCounters(): EngineCounters {
  return { requestsIn: {}, requestsOut: {}, responsesIn: {}, responsesOut: {}, retransmissions: 0, parseErrors: 0, dropped: 0, liveTransactions: 0, liveDialogs: 0, appConnections: 0 };
}

export function bump(rec: Record<string, number>, key: string): void {
  rec[key] = (rec[key] ?? 0) + 1;
}

export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}
