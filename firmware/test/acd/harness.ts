import { Acd } from '../../src/acd/index.ts';
import type { AcdCommand, AcdConfig, AcdEvent, AcdInput, QueueOptionsInput } from '../../src/acd/index.ts';

/**
 * Drives the ACD with a fake clock: `at(t)` advances time (running every deadline on the way, as the
 * adapter's timer would), and every command and event is recorded in order.
 */
export class Harness {
  readonly acd: Acd;
  now = 0;
  commands: AcdCommand[] = [];
  events: AcdEvent[] = [];

  constructor(config: AcdConfig, rng?: () => number) {
    this.acd = new Acd(config, { ...(rng !== undefined && { rng }), now: 0 });
  }

  /** Advances the clock to `t` ms, firing deadlines in between at their own times. */
  at(t: number): this {
    for (let next = this.acd.nextDeadline(); next !== null && next <= t; next = this.acd.nextDeadline()) {
      this.#record(this.acd.tick(next));
    }
    this.now = Math.max(this.now, t);
    this.#record(this.acd.tick(this.now));
    return this;
  }

  /** Advances by `s` seconds. */
  wait(s: number): this {
    return this.at(this.now + s * 1000);
  }

  send(input: AcdInput): this {
    this.#record(this.acd.handle(input, this.now));
    return this;
  }

  login(...ids: string[]): this {
    for (const agentId of ids) this.send({ type: 'agent-login', agentId });
    return this;
  }

  enter(callId: string, queue: string, extra: Partial<Extract<AcdInput, { type: 'caller-entered' }>> = {}): this {
    return this.send({ type: 'caller-entered', callId, queue, callerNumber: `+49${callId.replace(/\D/g, '') || '1'}00`, ...extra });
  }

  answer(agentId: string, callId = this.offeredTo(agentId)): this {
    if (callId === undefined) throw new Error(`agent ${agentId} has no offer`);
    return this.send({ type: 'agent-answered', agentId, callId });
  }

  hangupAgent(agentId: string): this {
    return this.send({ type: 'agent-hangup', agentId });
  }

  offeredTo(agentId: string): string | undefined {
    return this.acd.agent(agentId).offeredCallId;
  }

  state(agentId: string): string {
    return this.acd.agent(agentId).state;
  }

  /** Agents offered a call, in order, since `from` (an index into `events`). */
  offers(from = 0): Array<{ callId: string; agentId: string }> {
    return this.events.slice(from).flatMap((e) => (e.type === 'offer' ? [{ callId: e.callId, agentId: e.agentId }] : []));
  }

  eventsOf<T extends AcdEvent['type']>(type: T): Array<Extract<AcdEvent, { type: T }>> {
    return this.events.filter((e): e is Extract<AcdEvent, { type: T }> => e.type === type);
  }

  commandsOf<T extends AcdCommand['type']>(type: T): Array<Extract<AcdCommand, { type: T }>> {
    return this.commands.filter((c): c is Extract<AcdCommand, { type: T }> => c.type === type);
  }

  /** Offers one call to whoever is chosen, has it answered, talked for `talkS` and hung up. */
  serve(callId: string, queue: string, talkS = 10): string {
    this.enter(callId, queue);
    const agent = this.acd.queue(queue).entries.find((e) => e.callId === callId)?.ringing[0];
    if (agent === undefined) throw new Error(`${callId} was not offered`);
    this.answer(agent, callId).wait(talkS).hangupAgent(agent);
    return agent;
  }

  #record(out: { commands: AcdCommand[]; events: AcdEvent[] }): void {
    this.commands.push(...out.commands);
    this.events.push(...out.events);
  }
}

/** One queue `q` with agents a1..aN as members in that order. */
export function oneQueue(n: number, options: QueueOptionsInput = {}, skills: Record<string, Record<string, number>> = {}): AcdConfig {
  const agents = Array.from({ length: n }, (_, i) => ({ id: `a${i + 1}`, skills: skills[`a${i + 1}`] ?? {} }));
  return { agents, queues: [{ id: 'q', options, members: agents.map((a) => ({ agentId: a.id })) }] };
}
