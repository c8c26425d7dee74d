import { once } from 'node:events';
import type { Database } from 'better-sqlite3';
import Srf from 'drachtio-srf';
import { closeOpenCdrs } from '../config/repositories/cdrs.ts';
import type { Logger } from '../log.ts';
import { listMediaCalls } from '../media/call-media.ts';
import type { NgClient } from '../media/ng-client.ts';
import { PromptLibrary, uploadedPromptsDir } from '../media/prompt-library.ts';
import { getSettings } from '../config/repositories/settings.ts';
import { assetPath } from '../assets.ts';
import path from 'node:path';
import { TrunkRegistry } from '../trunks/trunk-registry.ts';
import { TrunkRegistrations } from '../trunks/trunk-registrations.ts';
import { TrunkHealth } from '../trunks/trunk-health.ts';
import { srfOptionsPing } from '../trunks/options-ping.ts';
import type { ConfigChanges } from '../config/change-watcher.ts';
import { listTrunks } from '../config/repositories/trunks.ts';
import { BruteForceDetector, type BruteForceOptions } from './brute-force.ts';
import type { CallDeps, QueueService } from './call-deps.ts';
import { CdrLog } from './cdr-log.ts';
import { DEFAULT_DIGEST_ALGORITHMS } from './digest/algorithms.ts';
import { NonceIssuer } from './digest/nonce.ts';
import type { DigestAlgorithm } from './digest/verify.ts';
import { inviteHandler } from './invite-handler.ts';
import { LiveCalls } from './live-calls.ts';
import { feedRegistrations, type RegistrationSink } from './live-feed.ts';
import { listAllBindings } from '../config/repositories/registrations.ts';
import { hangUpOrphanLegs, LegStore } from './orphan-legs.ts';
import { PickupBoard } from './pickup-board.ts';
import { Registrar } from './registrar.ts';
import { SipCounters } from './sip-counters.ts';

export interface CallServicesOptions {
  db: Database;
  ng: NgClient;
  log: Logger;
  /** The SIP engine's drachtio admin port. */
  engine: { host: string; port: number; secret: string };
  /** Digest realm phones see. */
  realm?: string;
  /** Digest algorithms offered in 401/407 to extensions without their own list (default MD5, see digest/algorithms.ts). */
  digestAlgorithms?: readonly DigestAlgorithm[];
  mohFile: string;
  /** The built prompt library (default: the firmware's) and where uploaded prompts are (default: beside the store). */
  promptsDir?: string;
  uploadedPromptsDir?: string;
  /** Current rtpengine state, and a way to hear when it changes (the appliance's health). */
  mediaUp(): boolean;
  onMediaChange(listener: (up: boolean) => void): () => void;
  reconcileIntervalMs?: number;
  /** How long rtpengine may stay unreachable before its calls are ended (default 5 s). */
  mediaLostGraceMs?: number;
  /** The web's live state, fed with registrations. */
  liveState?: RegistrationSink;
  registrar?: { minExpiresS?: number; maxExpiresS?: number; expiryCheckMs?: number };
  /** Configuration changes made while running (the trunk registrations follow them). */
  configChanges?: ConfigChanges;
  bruteForce?: BruteForceOptions;
  /** Starts the queue app (acd-calls) on these services; it gets queue calls and agent codes, and stops first. */
  queueCalls?(deps: CallDeps): Promise<QueueService>;
}

export interface CallServices {
  srf: Srf;
  registrar: Registrar;
  live: LiveCalls;
  trunkRegistrations: TrunkRegistrations;
  /** The queue app, when one was started (queueCalls). */
  queues: QueueService | undefined;
  /** Registrations, calls, failures and auth failures as counted since start (SNMP cbSip). */
  counters: SipCounters;
  /** Emits `detected` when one address keeps failing digest authentication (SNMP cbRegistrationBruteForce). */
  bruteForce: BruteForceDetector;
  /** Every trunk's state (OPTIONS, registration), calls and failovers; emits `change` (SNMP traps, console). */
  trunkHealth: TrunkHealth;
  /** Deletes rtpengine calls no live call owns; returns how many. */
  reconcile(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The calls app: connects to the SIP engine as a drachtio-srf app and serves REGISTER (registrar) and INVITE
 * (B2BUA with media in rtpengine), registers the trunks that need it, and keeps rtpengine free of orphans.
 */
export async function startCallServices(o: CallServicesOptions): Promise<CallServices> {
  const log = o.log;
  const closedAtStart = closeOpenCdrs(o.db, new Date().toISOString(), 'app restarted');
  if (closedAtStart > 0) log.warn({ legs: closedAtStart }, 'closed CDRs left open by the previous run');
  const nonces = new NonceIssuer();
  const realm = o.realm ?? 'callbox';
  const digestAlgorithms = o.digestAlgorithms ?? DEFAULT_DIGEST_ALGORITHMS;
  const registrar = new Registrar({ db: o.db, realm, nonces, log, digestAlgorithms, ...o.registrar });
  registrar.startExpiry(o.registrar?.expiryCheckMs);
  const unfeed = o.liveState ? feedRegistrations(registrar, o.liveState, listAllBindings(o.db, Date.now())) : () => undefined;
  const live = new LiveCalls();
  const counters = new SipCounters({ registrar, live, db: o.db });
  const bruteForce = new BruteForceDetector(o.bruteForce);
  bruteForce.watch(registrar);
  const trunks = new TrunkRegistry(o.db);

  const srf = new Srf();
  srf.on('error', (err: Error) => log.warn({ err: err.message }, 'SIP engine connection error'));
  srf.connect({ host: o.engine.host, port: o.engine.port, secret: o.engine.secret });
  await once(srf, 'connect');
  log.info({ engine: `${o.engine.host}:${o.engine.port}` }, 'calls app connected to the SIP engine');
  await hangUpOrphanLegs(srf, o.db, log);

  const trunkRegistrations = new TrunkRegistrations({ srf, trunks, log });
  const trunkHealth = new TrunkHealth({ trunks, ping: srfOptionsPing(srf), registration: (name) => trunkRegistrations.state(name), log });
  const cdrs = new CdrLog(o.db, log, (legId) => trunkHealth.legEnded(legId));
  const prompts = new PromptLibrary({
    builtDir: o.promptsDir ?? assetPath.prompts(),
    uploadDir: o.uploadedPromptsDir ?? uploadedPromptsDir(path.dirname(o.db.name)),
    language: () => getSettings(o.db).site.language,
  });
  const deps: CallDeps = { srf, db: o.db, ng: o.ng, log, registrar, trunks, trunkHealth, cdrs, live, legs: new LegStore(o.db, log), pickups: new PickupBoard(), nonces, realm, digestAlgorithms, mediaUp: o.mediaUp, mohFile: o.mohFile, prompts };
  if (o.queueCalls) deps.queues = await o.queueCalls(deps);
  srf.use('register', (req, res) => registrar.handle(req, res));
  srf.invite(counters.countInvites(inviteHandler(deps)));
  srf.use('options', (_req, res) => res.send(200));

  trunkRegistrations.start();
  const unwatchTrunks = o.configChanges?.watch('trunk registrations', listTrunks, () => trunkRegistrations.reconcile()) ?? (() => undefined);
  trunkHealth.start();

  // rtpengine lost: one missed ping (a busy box) must not end every call, so calls are ended only when it stays
  // down for the grace time; when it comes back, the reconcile ends the calls whose media it no longer has.
  let downTimer: NodeJS.Timeout | undefined;
  const offMedia = o.onMediaChange((up) => {
    clearTimeout(downTimer);
    if (up) {
      void reconcile().catch((err: Error) => log.warn({ err: err.message }, 'reconcile failed'));
      return;
    }
    downTimer = setTimeout(() => {
      if (o.mediaUp() || live.size === 0) return;
      log.error({ calls: live.size }, 'rtpengine is down: ending every call');
      void live.endAll('media server lost');
    }, o.mediaLostGraceMs ?? 5000);
  });

  /**
   * Both directions of "rtpengine and the dialogs disagree": media no live call owns is deleted (a crash of the
   * app left it), and connected calls whose media rtpengine no longer has (it restarted between two health
   * checks) are ended, since they are silent.
   */
  const reconcile = async () => {
    if (!o.mediaUp()) return 0;
    // Only calls connected before the list was taken can be judged by it.
    const connectedBefore = live.connectedCalls();
    const inEngine = new Set(await listMediaCalls(o.ng));
    let deleted = 0;
    for (const id of inEngine) {
      // Read the owned set per id: a call may have started since the list was taken.
      if (live.mediaCallIds().has(id)) continue;
      await o.ng.command('delete', { 'call-id': id }).catch(() => undefined);
      deleted++;
    }
    if (deleted > 0) log.warn({ deleted }, 'deleted rtpengine calls that no live call owned');
    const silent = connectedBefore.filter((c) => !inEngine.has(c.mediaCallId));
    if (silent.length > 0) log.error({ calls: silent.length }, 'rtpengine lost the media of connected calls: ending them');
    await Promise.allSettled(silent.map((c) => c.end('media server lost')));
    return deleted;
  };
  const reconcileTimer = setInterval(() => void reconcile().catch((err: Error) => log.warn({ err: err.message }, 'reconcile failed')), o.reconcileIntervalMs ?? 30_000);

  let stopped = false;
  return {
    srf,
    registrar,
    live,
    trunkRegistrations,
    queues: deps.queues,
    trunkHealth,
    counters,
    bruteForce,
    reconcile,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      clearInterval(reconcileTimer);
      clearTimeout(downTimer);
      offMedia();
      trunkHealth.stop();
      unwatchTrunks();
      await trunkRegistrations.stop();
      await deps.queues?.stop();
      await live.endAll('shutdown');
      registrar.stop();
      unfeed();
      counters.stop();
      bruteForce.stop();
      srf.disconnect();
    },
  };
}
