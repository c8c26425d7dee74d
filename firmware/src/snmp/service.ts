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
  /** Since the service started, across reconfigurations. */
  readonly counters: SnmpAgentCounters;
  sendNotification<N extends NotificationName>(name: N, n: Omit<Notification<N>, 'name'>, family?: string): void;
  /**
   * Puts a changed configuration (users, communities, receivers, mode, contact) into force without a restart:
   * the agent is re-created with the same engine ID and data source, so v3 receivers keep working, counters
   * keep counting and the notification watcher keeps what it already reported. A no-op when nothing changed.
   * Rejects when the new agent cannot start (the port is taken, say); the service then serves nothing until a
   * later configuration starts.
   */
  reconfigure(config: SnmpConfig): Promise<void>;
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

type RunningAgent = Awaited<ReturnType<typeof startSnmpAgent>> | Awaited<ReturnType<typeof startSnmpSubagent>>;

const ZERO: SnmpAgentCounters = { requests: 0, authFailures: 0, notificationsSent: 0, notificationsSuppressed: 0 };

function add(a: SnmpAgentCounters, b: SnmpAgentCounters): SnmpAgentCounters {
  return {
    requests: a.requests + b.requests,
    authFailures: a.authFailures + b.authFailures,
    notificationsSent: a.notificationsSent + b.notificationsSent,
    notificationsSuppressed: a.notificationsSuppressed + b.notificationsSuppressed,
  };
}

export async function startSnmp(opts: SnmpServiceOptions): Promise<SnmpService> {
  const startAgent = (config: SnmpConfig): Promise<RunningAgent> => {
    const common = { config, engineId: opts.engineId, source: opts.source, log: opts.log, ...(opts.rateLimit ? { rateLimit: opts.rateLimit } : {}) };
    // In AgentX mode snmpd may start after us (or restart): the subagent connects in the background.
    return config.mode === 'agentx' ? startSnmpSubagent(common) : startSnmpAgent({ ...common, bind: opts.bind, port: opts.port });
  };
  let config = opts.config;
  let agent: RunningAgent | null = await startAgent(config);
  const engineId = agent.engineId;
  /** What agents replaced by a reconfiguration counted. */
  let before = ZERO;

  const sendNotification: SnmpService['sendNotification'] = (name, n, family) => {
    if (agent) agent.sendNotification(name, n, family);
    else opts.log.warn({ notification: name }, 'notification not sent: the SNMP agent is not running');
  };
  const watcher = watchConditions({
    source: opts.source,
    notify: sendNotification,
    log: opts.log,
    ...(opts.thresholds ? { thresholds: opts.thresholds } : {}),
    ...(opts.watchIntervalMs ? { intervalMs: opts.watchIntervalMs } : {}),
  });
  try {
    watcher.check();
  } catch (err) {
    opts.log.error({ err }, 'checking SNMP notification conditions failed');
  }
  let reconfiguring: Promise<void> = Promise.resolve();

  const swap = async (next: SnmpConfig) => {
    if (JSON.stringify(next) === JSON.stringify(config) && agent) return;
    const old = agent;
    agent = null;
    if (old) {
      before = add(before, old.counters);
      // Standalone mode re-binds the same port, so the old socket must be closed first.
      await old.close();
    }
    config = next;
    agent = await startAgent(next);
    opts.log.info({ mode: next.mode, v3Users: next.users.map((u) => u.name), communities: next.communities.length, trapReceivers: next.trap_receivers.length }, 'SNMP configuration changed: agent restarted with the same engine ID');
  };

  return {
    get mode() {
      return config.mode;
    },
    engineId,
    get counters() {
      return agent ? add(before, agent.counters) : before;
    },
    sendNotification,
    reconfigure: (next) => {
      reconfiguring = reconfiguring.catch(() => undefined).then(() => swap(next));
      return reconfiguring;
    },
    close: async () => {
      watcher.stop();
      await reconfiguring.catch(() => undefined);
      const a = agent;
      agent = null;
      await a?.close();
    },
  };
}
