import { mkdirSync, accessSync, constants as fsConstants, readFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { assetPath } from './assets.ts';
import { openDatabase } from './config/database.ts';
import { ensureFirstBoot } from './config/first-boot.ts';
import { ConfigChangeWatcher } from './config/change-watcher.ts';
import { applySiteFile } from './config/site-apply.ts';
import { currentRevision } from './config/revision.ts';
import { getWebSettings } from './config/repositories/web-settings.ts';
import { startBoxServices } from './appliance-platform.ts';
import { mediaStateFromHealth } from './calls/live-feed.ts';
import { startQueueCalls, type QueueCalls } from './acd-calls/queue-calls.ts';
import { startCallServices } from './calls/services.ts';
import { completePendingFactoryReset } from './platform/factory-reset.ts';
import type { Env } from './env.ts';
import { logDir, logToFile, type Logger } from './log.ts';
import { NgClient } from './media/ng-client.ts';
import { rtpengineCommand } from './media/rtpengine-process.ts';
import { ComponentHealth } from './supervisor/component-health.ts';
import { sipEngineEnv } from './sip-engine/node-options.ts';
import { selfCommand, tcpReachable } from './supervisor/probes.ts';
import { SupervisedProcess } from './supervisor/supervised-process.ts';
import { startQueueFeed } from './snmp/queue-figures.ts';
import { startConsole } from './web/start.ts';
import { ensureCertificate, tlsPaths } from './web/system/tls.ts';
import { feedTrunks } from './web/trunk-feed.ts';
import { acdBridge } from './web/acd-bridge.ts';
import type { InMemoryLiveState } from './web/live-state.ts';

export class StartupError extends Error {}

export interface Appliance {
  health: ComponentHealth;
  /** What the live pages and the API show: the calls, ACD and trunk services feed it. */
  live: InMemoryLiveState;
  webUrl: string;
  /** Set on first boot only: the generated admin password, to print once. */
  firstBootAdminPassword: string | undefined;
  stop(): Promise<void>;
}

/** The data dir must exist (created if possible) and be writable before anything else starts. */
function prepareDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, fsConstants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new StartupError(
      `data directory ${dir} is not usable (${code}): create it and make it writable, or set CALLBOX_DATA_DIR to one that is`,
    );
  }
}

/**
 * Composes the box: store, first boot, rtpengine, SIP engine, web. Start order is the dependency order; stop is the
 * reverse, and a failure half-way stops what had started so no child process is left behind.
 */
export async function startAppliance(env: Env, log: Logger): Promise<Appliance> {
  const health = new ComponentHealth();
  // Every component is known from the start, so nothing reads "all up" (or marks an update good) half-way through boot.
  for (const name of ['db', 'rtpengine', 'sip-engine', 'snmp', 'web']) health.set(name, 'starting', 'not started yet');
  const stops: Array<() => Promise<void> | void> = [];
  // Every step runs even when one before it fails: a failing un-REGISTER must not leave rtpengine running.
  const stopAll = async () => {
    for (const s of stops.reverse()) {
      try {
        await s();
      } catch (err) {
        log.error({ err: (err as Error).message }, 'a service failed to stop cleanly; stopping the rest');
      }
    }
    stops.length = 0;
  };

  try {
    prepareDataDir(env.dataDir);
    // Also into a bounded file in the data dir: the console hands it out where there is no journal (make run).
    const logFile = logToFile(logDir(env.dataDir), 'callbox');
    stops.push(() => logFile.close());
    // A reset asked for before a restart (or cut short by a power cut) is finished before the data is opened.
    if (completePendingFactoryReset({ stateDir: env.dataDir, log })) log.warn('factory reset completed: configuration and users are back to first boot');
    const db: Database.Database = openDatabase(env.dataDir);
    stops.push(() => {
      db.close();
    });
    health.set('db', 'up', `${env.dataDir}/callbox.db`);

    const boot = ensureFirstBoot(db, { adminPassword: env.CALLBOX_ADMIN_PASSWORD, drachtioSecret: env.CALLBOX_DRACHTIO_SECRET });
    if (currentRevision(db) === 0 && env.CALLBOX_PROFILE === 'dev') {
      // A dev box with nothing configured yet gets the example call center so there is something to call.
      const result = applySiteFile(db, readFileSync(assetPath.exampleSite(), 'utf8'), 'first-boot');
      if (!result.ok) throw new StartupError(`the example site does not validate: ${result.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
      log.info({ revision: result.revision }, 'first boot: example site loaded');
    }

    // Changes from the console or from `callbox config apply` (another process on the same file) apply at once.
    const configChanges = new ConfigChangeWatcher({ db, log });
    configChanges.start();
    stops.push(() => configChanges.stop());

    const ng = await startRtpengine(env, log, health, stops);
    await startSipEngine(env, log, health, stops, boot.drachtioSecret, () => getWebSettings(db).sipTrace);
    const box = await startBoxServices(env, db, health, log, stops, configChanges);

    const web = await startConsole({ env, db, health, log, uiDir: assetPath.webUi(), leds: () => box.platform.snapshot() });
    stops.push(() => web.close());
    health.set('web', 'up', web.web.url);

    // Calls last: they need the SIP engine, rtpengine and the live pages they feed; stopped first.
    let queues: QueueCalls | undefined;
    const calls = await startCallServices({
      db,
      ng,
      log: log.child({ svc: 'calls' }),
      engine: { host: '127.0.0.1', port: env.CALLBOX_DRACHTIO_PORT, secret: boot.drachtioSecret },
      mohFile: path.join(assetPath.prompts(), 'moh', 'default.wav'),
      liveState: web.live,
      configChanges,
      ...mediaStateFromHealth(health),
      // rtpengine sends its DTMF events to the ng port + 1 (rtpengine-process.ts).
      queueCalls: async (deps) => (queues = await startQueueCalls(deps, { dtmf: { host: '127.0.0.1', port: env.CALLBOX_RTPENGINE_NG.port + 1 } })),
    });
    stops.push(() => calls.stop());
    if (queues) stops.push(showQueues(queues, web.live, (ext) => calls.registrar.lookup(ext).length > 0));
    stops.push(feedTrunks(calls.trunkHealth, web.live));
    const queueFeed = queues ? startQueueFeed({ acd: queues.acd, onEvents: queues.onEvents, members: queues.members, db, configChanges }) : undefined;
    const detachSnmp = box.snmpSource.attach({ sip: () => calls.counters.snapshot(), trunks: () => calls.trunkHealth.list(), ...(queueFeed ? { queues: queueFeed.list } : {}) });
    const reportBruteForce = (d: { address: string }) =>
      box.snmp.sendNotification('cbRegistrationBruteForce', { values: { cbNotifSourceAddress: d.address, cbSipAuthFailures: calls.counters.snapshot().authFailures } }, `bruteforce:${d.address}`);
    calls.bruteForce.on('detected', reportBruteForce);
    stops.push(() => {
      calls.bruteForce.off('detected', reportBruteForce);
      detachSnmp();
      queueFeed?.stop();
    });

    return { health, live: web.live, webUrl: web.web.url, firstBootAdminPassword: boot.generatedAdminPassword, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** The console's live queues and agents follow the distributor, and its agent actions become distributor inputs. */
function showQueues(q: QueueCalls, live: InMemoryLiveState, registered: (ext: string) => boolean): () => void {
  const board = acdBridge({ acd: q.acd, live, submit: q.submit, names: q.names, members: q.members, registered, today: q.today });
  live.setAgentControl(board.control);
  board.publish();
  const off = q.onChange(() => board.publish());
  // Waiting times grow without events: a periodic publish keeps them current (only changes reach the streams).
  const timer = setInterval(() => board.publish(), 1000);
  return () => {
    off();
    clearInterval(timer);
  };
}

async function startRtpengine(env: Env, log: Logger, health: ComponentHealth, stops: Array<() => Promise<void> | void>) {
  const ng = new NgClient({ host: env.CALLBOX_RTPENGINE_NG.host, port: env.CALLBOX_RTPENGINE_NG.port, timeoutMs: 1000, log });
  stops.push(() => ng.close());
  health.set('rtpengine', 'starting', `ng ${env.CALLBOX_RTPENGINE_NG.host}:${env.CALLBOX_RTPENGINE_NG.port}`);

  if (env.CALLBOX_RTPENGINE === 'spawn') {
    const { cmd, args } = rtpengineCommand({
      bin: env.CALLBOX_RTPENGINE_BIN,
      dataDir: env.dataDir,
      interfaceAddress: env.CALLBOX_BIND,
      ng: env.CALLBOX_RTPENGINE_NG,
      rtpPorts: env.CALLBOX_RTP_PORTS,
      dtmfLogDest: { host: '127.0.0.1', port: env.CALLBOX_RTPENGINE_NG.port + 1 },
    });
    const proc = new SupervisedProcess({ name: 'rtpengine', cmd, args, log, ready: () => ng.ping() });
    await proc.start();
    stops.push(() => proc.stop());
  } else if (!(await ng.ping())) {
    log.warn('rtpengine (external) does not answer ng ping yet; calls are refused until it does');
  }

  // The ping, not the process state, is the truth: a hung rtpengine is as dead as a crashed one.
  const check = async () => health.set('rtpengine', (await ng.ping()) ? 'up' : 'down', `ng ${ng.host}:${ng.port}`);
  await check();
  const timer = setInterval(() => void check(), 2000);
  stops.push(() => clearInterval(timer));
  return ng;
}

async function startSipEngine(env: Env, log: Logger, health: ComponentHealth, stops: Array<() => Promise<void> | void>, secret: string, traceOn: () => boolean) {
  const probe = () => tcpReachable('127.0.0.1', env.CALLBOX_DRACHTIO_PORT);
  // The console's "SIP trace" setting reaches the engine (another process) as a file it watches.
  const traceSwitch = path.join(env.dataDir, 'sip-trace.on');
  const syncTrace = () => {
    try {
      if (!traceOn()) rmSync(traceSwitch, { force: true });
      else if (!existsSync(traceSwitch)) writeFileSync(traceSwitch, '');
    } catch (err) {
      log.warn({ err }, 'could not switch the SIP trace');
    }
  };
  syncTrace();
  if (env.CALLBOX_SIP_ENGINE === 'spawn') {
    const [cmd, ...pre] = selfCommand() as [string, ...string[]];
    const host = env.CALLBOX_BIND.includes(':') ? `[${env.CALLBOX_BIND}]` : env.CALLBOX_BIND;
    const args = [...pre, 'sip-engine', '--address', '127.0.0.1', '--port', String(env.CALLBOX_DRACHTIO_PORT), '--contact', `sip:${host}:${env.CALLBOX_SIP_PORT};transport=udp,tcp`];
    args.push('--sip-trace', path.join(env.dataDir, 'sip-trace.txt'), '--sip-trace-switch', traceSwitch);
    // SIP over TLS on the next port (5061 beside 5060) with the box's certificate, the console's: generated on
    // first boot when there is none, replaced by the owner from the system page (the engine reads it when it starts).
    if (env.CALLBOX_SIP_PORT < 65535) {
      await ensureCertificate(env.dataDir, [env.CALLBOX_BIND]);
      const pair = tlsPaths(env.dataDir);
      args.push('--contact', `sip:${host}:${env.CALLBOX_SIP_PORT + 1};transport=tls`, '--tls-key-file', pair.key, '--tls-cert-file', pair.cert);
      // Browser phones: pages served over HTTPS may only open wss://, so there is no plain ws listen point.
      args.push('--contact', `sip:${host}:${env.CALLBOX_SIP_WSS_PORT};transport=wss`);
    }
    // The secret goes by environment, not argv, so `ps` does not show it.
    const proc = new SupervisedProcess({ name: 'sip-engine', cmd, args, env: sipEngineEnv({ ...process.env, CALLBOX_DRACHTIO_SECRET: secret }), log, ready: probe });
    await proc.start();
    stops.push(() => proc.stop());
  } else if (!(await probe())) {
    log.warn({ port: env.CALLBOX_DRACHTIO_PORT }, 'external SIP server (drachtio-server) does not accept connections yet');
  }
  // As with rtpengine, answering is the truth: a hung engine is as dead as a crashed one.
  const check = async () => {
    syncTrace();
    health.set('sip-engine', (await probe()) ? 'up' : 'down', `${env.CALLBOX_SIP_ENGINE === 'spawn' ? 'callbox-sip' : 'external'} on 127.0.0.1:${env.CALLBOX_DRACHTIO_PORT}`);
  };
  await check();
  const timer = setInterval(() => void check(), 2000);
  stops.push(() => clearInterval(timer));
}
