import type { Database } from 'better-sqlite3';
import type { Acd, QueueView } from '../acd/index.ts';
import type Srf from 'drachtio-srf';
import type { Logger } from '../log.ts';
import type { NgClient } from '../media/ng-client.ts';
import type { PromptLibrary } from '../media/prompt-library.ts';
import type { TrunkHealth } from '../trunks/trunk-health.ts';
import type { TrunkRegistry } from '../trunks/trunk-registry.ts';
import type { CdrLog } from './cdr-log.ts';
import type { NonceIssuer } from './digest/nonce.ts';
import type { DigestAlgorithm } from './digest/verify.ts';
import type { InviteContext } from './invite-context.ts';
import type { LiveCalls } from './live-calls.ts';
import type { LegStore } from './orphan-legs.ts';
import type { PickupBoard } from './pickup-board.ts';
import type { Registrar } from './registrar.ts';

/** What every call-flow step may use; built once by the call services. */
export interface CallDeps {
  srf: Srf;
  db: Database;
  ng: NgClient;
  log: Logger;
  registrar: Registrar;
  trunks: TrunkRegistry;
  /** Trunk states (down trunks are skipped) and their call counts against max_calls. */
  trunkHealth: TrunkHealth;
  cdrs: CdrLog;
  live: LiveCalls;
  legs: LegStore;
  pickups: PickupBoard;
  nonces: NonceIssuer;
  realm: string;
  /** The digest algorithms challenges offer, in order of preference. */
  digestAlgorithms: readonly DigestAlgorithm[];
  /** False while rtpengine does not answer: new calls are refused with 503. */
  mediaUp(): boolean;
  /** The music-on-hold file rtpengine plays to a held party. */
  mohFile: string;
  /** Prompt names (built-in phrases, `moh/default`, uploaded `custom/NAME`) as files rtpengine plays. */
  prompts: PromptLibrary;
  /** The queue app (acd-calls), when started: calls to queues and the agent feature codes go there. */
  queues?: QueueService;
}

/** The queue app as the call flow and the other services see it (it lives in acd-calls/, started by the services). */
export interface QueueService {
  /** Takes over an INVITE that is its business (a queue target, a queue number, an agent feature code). */
  handle(ctx: InviteContext): Promise<'next' | 'done'>;
  /** The distributor itself (its agent and queue views, and inputs such as agent actions). */
  acd: Acd;
  /** Every queue as the distributor sees it now (the SNMP queue table and the wallboard read this). */
  queues(): QueueView[];
  stop(): Promise<void>;
}

/** Who is calling: an extension (authenticated) or a trunk (matched by source address). */
export interface Party {
  number: string;
  name?: string | undefined;
  extension?: string | undefined;
  trunk?: string | undefined;
}
