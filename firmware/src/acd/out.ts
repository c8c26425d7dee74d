import type { AgentRec, CallRec, QueueRec, State, Wake } from './state.ts';
import type { AcdCommand, AcdEvent } from './types.ts';

type Distribute<T> = T extends unknown ? Omit<T, 'at' | 'callId' | 'interactionId' | 'queue'> : never;
type Distribute2<T> = T extends unknown ? Omit<T, 'at' | 'agentId'> : never;
type CallEvent = Extract<AcdEvent, { callId: string }>;
type AgentEvent = Exclude<AcdEvent, CallEvent>;

export function callEvent(s: State, call: CallRec, e: Distribute<CallEvent>): void {
  s.events.push({ ...e, at: s.now, callId: call.callId, interactionId: call.interactionId, queue: call.queue.id } as AcdEvent);
}

export function agentEvent(s: State, agent: AgentRec, e: Distribute2<AgentEvent>): void {
  s.events.push({ ...e, at: s.now, agentId: agent.id } as AcdEvent);
}

export function command(s: State, c: AcdCommand): void {
  s.commands.push(c);
}

function wakeOf(s: State, queue: QueueRec): Wake {
  s.dirty.add(queue);
  return queue.wake;
}

/** The agent may take a call now: its queues look for a caller it can serve. */
export function wakeAgentQueues(s: State, agent: AgentRec): void {
  for (const m of agent.memberOf) wakeOf(s, m.queue).members.push(m);
}

/** The caller may be served now (entered, widened, due, lost its offer): its queue looks for an agent. */
export function wakeCall(s: State, call: CallRec): void {
  wakeOf(s, call.queue).calls.add(call);
}

/** Runs `fn` once the engine's clock reaches `when`; `fn` must check that it is still meant. */
export function at(s: State, when: number, fn: () => void): void {
  s.deadlines.push(when, fn);
}
