import type { Logger } from '../log.ts';
import { startSnmpAgent, type SnmpAgentCounters } from './agent.ts';
import { watchConditions, type Thresholds } from './conditions.ts';
import type { SnmpConfig } from '../config/snmp-schema.ts';
import type { SnmpDataSource } from './data-source.ts';
import type { Notification, RateLimit } from './notifier.ts';
import type { NotificationName } from './oids.ts';
import { startSnmpSubagent } from './subagent.ts';

/** What the appliance composes: the agent in the configured mode plus the watcher that turns state into notifications. */
export interface SnmpService {
  readonly mode: SnmpConfig['mode'];
  readonly engineId: string;
  readonly counters: SnmpAgentCounters;
  sendNotification<N extends NotificationName>(name: N, n: Omit<Notification<N>, 'name'>, family?: string): void;
  close(): Promise<void>;
}

export interface SnmpServiceOptions {
  config: SnmpConfig;
  /** Standalone mode: address and UDP port (CALLBOX_BIND, CALLBOX_SNMP_PORT). */
  bind: string;
  port: number;
  /** See engineIdFromFile(). */
  engineId: string;
  source: SnmpDataSource;
  log: Logger;
  thresholds?: Partial<Thresholds>;
  rateLimit?: Partial<RateLimit>;
  /** How often conditions are checked (default 5 s). */
  watchIntervalMs?: number;
}

export async function startSnmp(opts: SnmpServiceOptions): Promise<SnmpService> {
  const common = { config: opts.config, engineId: opts.engineId, source: opts.source, log: opts.log, ...(opts.rateLimit ? { rateLimit: opts.rateLimit } : {}) };
  // In AgentX mode snmpd may start after us (or restart): the subagent connects in the background.
  const agent = opts.config.mode === 'agentx' ? await startSnmpSubagent(common) : await startSnmpAgent({ ...common, bind: opts.bind, port: opts.port });
  const watcher = watchConditions({
    source: opts.source,
    notify: agent.sendNotification,
    log: opts.log,
    ...(opts.thresholds ? { thresholds: opts.thresholds } : {}),
    ...(opts.watchIntervalMs ? { intervalMs: opts.watchIntervalMs } : {}),
  });
  try {
    watcher.check();
  } catch (err) {
    opts.log.error({ err }, 'checking SNMP notification conditions failed');
  }
  return {
    mode: opts.config.mode,
    engineId: agent.engineId,
    get counters() {
      const c = agent.counters;
      return { requests: c.requests, authFailures: c.authFailures, notificationsSent: c.notificationsSent, notificationsSuppressed: c.notificationsSuppressed };
    },
    sendNotification: agent.sendNotification,
    close: async () => {
      watcher.stop();
      await agent.close();
    },
  };
}
