import type { Acd, AcdInput, AgentState, AgentView, QueueView } from '../acd/index.ts';
import { AgentControlError, type AgentControl, type AgentStateName, type InMemoryLiveState, type LiveAgent, type LiveQueue } from './live-state.ts';

/*
 * Between the ACD core and the console: the ACD's agent and queue views become the live state the pages show,
 * and the console's agent actions become ACD inputs. The calls adapter owns the engine (it feeds calls in and
 * executes the commands); it hands this bridge its `submit` and calls publish() after every input and tick.
 */

const STATE: Record<AgentState, AgentStateName> = {
  'logged-out': 'logged-out',
  available: 'idle',
  reserved: 'ringing',
  ringing: 'ringing',
  'on-call': 'talking',
  'wrap-up': 'wrap-up',
  paused: 'paused',
};

export interface AcdBridgeOptions {
  acd: Acd;
  live: InMemoryLiveState;
  /** Runs one input through the engine and executes what it answers (the calls adapter's entry point). */
  submit(input: AcdInput): void;
  /** Display names of agents (extension number -> name) and queues (number -> name), from the configuration. */
  names(): { agents: ReadonlyMap<string, string>; queues: ReadonlyMap<string, string> };
  /** Queue membership from the configuration (queue -> member extensions). */
  members(): ReadonlyMap<string, readonly string[]>;
  /** Whether an extension has a registered phone. */
  registered?(extension: string): boolean;
  /** Today's answered and abandoned calls per queue and answered per agent (from the CDRs or event counters). */
  today?(): { queues: ReadonlyMap<string, { answered: number; abandoned: number; serviceLevelPercent: number | null }>; agents: ReadonlyMap<string, number> };
}

export interface AcdBridge {
  control: AgentControl;
  /** Copies the engine's current views into the live state (only what changed reaches the streams). */
  publish(): void;
}

export function acdBridge(o: AcdBridgeOptions): AcdBridge {
  const known = (ext: string) => {
    if (!o.acd.agents().some((a) => a.id === ext)) throw new AgentControlError(`extension ${ext} is not an agent`);
  };
  const run = (ext: string, input: AcdInput) => {
    known(ext);
    o.submit(input);
    publish();
  };
  const control: AgentControl = {
    login: (ext) => {
      const a = o.acd.agent(ext);
      if (a.state === 'logged-out') run(ext, { type: 'agent-login', agentId: ext });
    },
    logout: (ext) => run(ext, { type: 'agent-logout', agentId: ext }),
    pause: (ext, reason) => run(ext, { type: 'agent-pause', agentId: ext, reason }),
    unpause: (ext) => run(ext, { type: 'agent-unpause', agentId: ext }),
    endWrapUp: (ext) => {
      if (o.acd.agent(ext).state === 'wrap-up') run(ext, { type: 'agent-wrapup-end', agentId: ext });
    },
  };

  let last = new Map<string, string>();
  const publish = () => {
    const names = o.names();
    const members = o.members();
    const today = o.today?.();
    const agents = o.acd.agents();
    const byId = new Map(agents.map((a) => [a.id, a]));
    const next = new Map<string, string>();
    const put = (key: string, value: LiveAgent | LiveQueue, set: () => void) => {
      const text = JSON.stringify(value);
      next.set(key, text);
      if (last.get(key) !== text) set();
    };
    for (const a of agents) {
      const v = agentView(a, names.agents.get(a.id) ?? a.id, members, o.registered?.(a.id) ?? false, today?.agents.get(a.id) ?? a.calls);
      put(`a:${a.id}`, v, () => o.live.setAgent(v));
    }
    for (const id of o.acd.queueIds()) {
      const q = o.acd.queue(id);
      const v = queueView(q, names.queues.get(id) ?? id, (members.get(id) ?? []).map((m) => byId.get(m)).filter((a): a is AgentView => a !== undefined), o.acd, today?.queues.get(id));
      put(`q:${id}`, v, () => o.live.setQueue(v));
    }
    for (const key of last.keys()) {
      if (next.has(key)) continue;
      if (key.startsWith('a:')) o.live.removeAgent(key.slice(2));
      else o.live.removeQueue(key.slice(2));
    }
    last = next;
  };
  return { control, publish };
}

function agentView(a: AgentView, name: string, members: ReadonlyMap<string, readonly string[]>, registered: boolean, answeredToday: number): LiveAgent {
  return {
    extension: a.id,
    name,
    state: STATE[a.state],
    since: new Date(a.since).toISOString(),
    // The ACD logs an agent in to every queue they are a member of.
    queues: a.state === 'logged-out' ? [] : [...members].filter(([, m]) => m.includes(a.id)).map(([q]) => q),
    ...(a.pauseReason === undefined ? {} : { pauseReason: a.pauseReason }),
    ...((a.callId ?? a.offeredCallId) === undefined ? {} : { callId: a.callId ?? a.offeredCallId }),
    registered,
    answeredToday,
  };
}

function queueView(q: QueueView, name: string, agents: AgentView[], acd: Acd, today: { answered: number; abandoned: number; serviceLevelPercent: number | null } | undefined): LiveQueue {
  const waiting = q.entries.filter((e) => e.phase === 'waiting');
  const last = waiting.at(-1);
  const ewt = last === undefined ? null : acd.estimate(last.callId)?.ewtMs ?? null;
  const count = (states: AgentState[]) => agents.filter((a) => states.includes(a.state)).length;
  return {
    number: q.id,
    name,
    waiting: waiting.length,
    longestWaitS: Math.round(Math.max(0, ...waiting.map((e) => e.waitMs)) / 1000),
    estimatedWaitS: ewt === null ? 0 : Math.round(ewt / 1000),
    agents: { idle: count(['available']), ringing: count(['reserved', 'ringing']), busy: count(['on-call']), 'wrap-up': count(['wrap-up']), paused: count(['paused']) },
    answeredToday: today?.answered ?? 0,
    abandonedToday: today?.abandoned ?? 0,
    serviceLevelPercent: today?.serviceLevelPercent ?? null,
  };
}
