import type { Acd, AcdInput } from '../acd/index.ts';
import type { CallDeps } from '../calls/call-deps.ts';
import type { Logger } from '../log.ts';
import type { PromptLibrary } from '../media/prompt-library.ts';
import type { QueuedCaller } from './queued-caller.ts';
import type { QueueSite } from './site-config.ts';

/** What every task of the adapter shares: the call services, the distributor and the callers it holds. */
export interface AdapterContext {
  deps: CallDeps;
  acd: Acd;
  log: Logger;
  prompts: PromptLibrary;
  /** Queued and connected callers by the caller's Call-ID (also the ACD's call id and rtpengine's call-id). */
  callers: Map<string, QueuedCaller>;
  site(): QueueSite;
  /** The adapter's clock (ms), the one the distributor is driven with. */
  now(): number;
  /** Runs one input through the distributor and executes the commands it answers. */
  submit(input: AcdInput): void;
}
