import path from 'node:path';
import type Database from 'better-sqlite3';
import type { ConfigChanges } from './config/change-watcher.ts';
import { currentRevision } from './config/revision.ts';
import { getSnmpConfig } from './config/repositories/snmp.ts';
import type { Env } from './env.ts';
import type { Logger } from './log.ts';
import { HealthSampler } from './platform/health.ts';
import type { HealthSummary } from './platform/led-patterns.ts';
import { startPlatform, type Platform } from './platform/platform.ts';
import { engineIdFromFile } from './snmp/engine-id.ts';
import { healthDataSource } from './snmp/health-source.ts';
import { startSnmp, type SnmpService } from './snmp/service.ts';
import { ServiceDataSource } from './snmp/service-source.ts';
import type { ComponentHealth, HealthReport } from './supervisor/component-health.ts';
import { markBootGood, updateContext } from './update/apply.ts';
import { buildInfo } from './version.ts';

type Stops = Array<() => Promise<void> | void>;

/** What a factory reset wipes: configuration, users, keys; recordings only when the owner chose so. */
export function factoryResetPlan(dataDir: string) {
  return {
    wipe: ['callbox.db', 'callbox.db-wal', 'callbox.db-shm', 'tls', 'snmp-engine-id'].map((f) => path.join(dataDir, f)),
    recordings: [path.join(dataDir, 'recordings')],
    requestedBy: 'front-panel button',
  };
}

/**
 * After an update the new slot counts as good only once the whole box is healthy; until then the boot loader
 * keeps its fallback to the previous slot. Checked on every health change until it first succeeds.
 */
function markGoodWhenHealthy(env: Env, health: ComponentHealth, log: Logger, stops: Stops): void {
  let done = false;
  const check = () => {
    if (done || health.report().status !== 'ok') return;
    done = true;
    unsubscribe();
    markBootGood(updateContext({ dataDir: env.dataDir, profile: env.CALLBOX_PROFILE })).then(
      (line) => log.info(line),
      (err: Error) => log.error({ err: err.message }, 'could not mark this boot good'),
    );
  };
  const unsubscribe = health.onChange(check);
  stops.push(unsubscribe);
  check();
}

/** The LEDs follow the same report as /health. */
function summary(report: HealthReport): HealthSummary {
  const down = Object.entries(report.components)
    .filter(([, c]) => c.state === 'down')
    .map(([name, c]) => `${name}: ${c.detail}`);
  if (report.status === 'fault') return { state: 'fault', reasons: down };
  if (report.status === 'starting') return { state: 'booting', reasons: [] };
  return { state: 'healthy', reasons: [] };
}

/**
 * The box itself: board, front panel and watchdog, the health sampler, and the SNMP agent fed from both. The
 * watchdog is petted only while rtpengine and the SIP engine are up, so a wedged box reboots itself.
 */
export async function startBoxServices(
  env: Env,
  db: Database.Database,
  health: ComponentHealth,
  log: Logger,
  stops: Stops,
  configChanges: ConfigChanges,
): Promise<{ platform: Platform; sampler: HealthSampler; snmp: SnmpService; snmpSource: ServiceDataSource }> {
  const sampler = new HealthSampler({ disks: [{ path: env.dataDir, mustBeMountPoint: env.CALLBOX_PROFILE === 'appliance' }], log });
  await sampler.start();
  stops.push(() => sampler.stop());

  const platform = await startPlatform({
    log,
    stateDir: env.dataDir,
    resetPlan: () => factoryResetPlan(env.dataDir),
    // The reset itself happens at the next start (completePendingFactoryReset); the service manager restarts us.
    restart: () => process.kill(process.pid, 'SIGTERM'),
    watchdogChecks: ['rtpengine', 'sip-engine', 'db'].map((name) => ({ name, ok: () => health.get(name)?.state === 'up' })),
  });
  stops.push(() => platform.stop());
  platform.setHealth(summary(health.report()));
  const unsubscribe = health.onChange(() => platform.setHealth(summary(health.report())));
  stops.push(unsubscribe);

  const engine = (name: string) => () => {
    const s = health.get(name)?.state;
    return s === 'up' ? 'up' : s === 'down' ? 'down' : 'unknown';
  };
  const { engineId, created } = engineIdFromFile(path.join(env.dataDir, 'snmp-engine-id'));
  // The calls app attaches its counters, trunks and queues once it runs (it starts after the agent).
  const snmpSource = new ServiceDataSource(
    healthDataSource({
      health: () => sampler.latest(),
      firmwareVersion: buildInfo().version,
      boardModel: platform.detected.board.name,
      configRevision: () => currentRevision(db),
      rtpengine: engine('rtpengine'),
      sipEngine: engine('sip-engine'),
    }),
  );
  const snmp = await startSnmp({ config: getSnmpConfig(db), bind: env.CALLBOX_BIND, port: env.CALLBOX_SNMP_PORT, engineId, source: snmpSource, log });
  stops.push(() => snmp.close());
  const snmpDetail = () => `${snmp.mode} udp ${env.CALLBOX_BIND}:${env.CALLBOX_SNMP_PORT}, engine id ${engineId}`;
  // Users, communities, receivers and mode changed in the console or by `callbox config apply` apply at once.
  const unwatch = configChanges.watch('snmp', getSnmpConfig, (config) =>
    snmp.reconfigure(config).then(
      () => health.set('snmp', 'up', snmpDetail()),
      (err: Error) => {
        health.set('snmp', 'down', `the changed SNMP configuration did not start: ${err.message}`);
        throw err;
      },
    ),
  );
  stops.push(unwatch);
  log.info({ engineId, created, mode: snmp.mode, port: env.CALLBOX_SNMP_PORT }, 'snmp agent up');
  markGoodWhenHealthy(env, health, log, stops);
  health.set('snmp', 'up', snmpDetail());
  return { platform, sampler, snmp, snmpSource };
}
