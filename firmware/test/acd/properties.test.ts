import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Acd, isOutcome, STRATEGIES } from '../../src/acd/index.ts';
import type { AcdCommand, AcdConfig, AcdEvent, AcdInput, QueueOptionsInput } from '../../src/acd/index.ts';

/**
 * Random sequences of inputs and clock steps against random queue setups. After every step we check what
 * a user of the box would notice: no agent is offered two calls at once (as seen by the adapter), no agent
 * is left reserved or ringing for nothing, every caller's visit ends in exactly one outcome, and callers of
 * one priority class are served in order.
 */

const AGENTS = ['a1', 'a2', 'a3', 'a4', 'a5'];
const QUEUES = ['100', '200', '300'];
const SKILLS = ['en', 'de', 'billing'];

type Action =
  | { kind: 'wait'; ms: number }
  | { kind: 'enter'; queue: number; priority: number; number: number; skills: boolean }
  | { kind: 'hangup'; call: number }
  | { kind: 'dtmf'; call: number; key: string }
  | { kind: 'ringing' | 'answer' | 'fail' | 'agent-hangup' | 'login' | 'logout' | 'pause' | 'unpause' | 'wrapup-end'; agent: number; stale: boolean }
  | { kind: 'callback-failed'; call: number }
  | { kind: 'transfer'; agent: number; queue: number }
  | { kind: 'reconfigure' };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 4_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 60_000 }) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('enter' as const),
      queue: fc.nat(2),
      priority: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 2 })),
      number: fc.nat(5),
      skills: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('hangup' as const), call: fc.nat(40) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('dtmf' as const), call: fc.nat(40), key: fc.constantFrom('0', '1', '1', '2') }) },
  {
    weight: 10,
    arbitrary: fc.record({
      kind: fc.constantFrom(
        'ringing' as const,
        'answer' as const,
        'answer' as const,
        'answer' as const,
        'fail' as const,
        'agent-hangup' as const,
        'agent-hangup' as const,
        'login' as const,
        'login' as const,
        'logout' as const,
        'pause' as const,
        'unpause' as const,
        'wrapup-end' as const,
      ),
      agent: fc.nat(AGENTS.length - 1),
      stale: fc.integer({ min: 0, max: 9 }).map((n) => n < 2),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('callback-failed' as const), call: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('transfer' as const), agent: fc.nat(AGENTS.length - 1), queue: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reconfigure' as const) }) },
);

const queueOptions = (plain: boolean): fc.Arbitrary<QueueOptionsInput> =>
  fc.record<QueueOptionsInput>({
    strategy: fc.constantFrom(...STRATEGIES),
    ring_timeout_s: fc.integer({ min: 5, max: 30 }),
    wrapup_s: fc.constantFrom(0, 5, 30),
    autopause_after: fc.constantFrom(null, 1, 3),
    no_answer_delay_s: fc.constantFrom(0, 10),
    max_wait_s: fc.constantFrom(null, 120),
    max_len: fc.constantFrom(null, 3),
    max_len_to: fc.constantFrom('hangup', 'queue:200', 'queue:100'),
    join_empty: fc.constantFrom(true, true, true, false),
    leave_when_empty: fc.constantFrom(false, false, false, true),
    empty_to: fc.constantFrom('hangup', 'queue:300'),
    overflow: fc.constantFrom(null, { after_s: 90, to: 'queue:300' }, { after_s: 60, to: 'callback' }),
    exit_keys: fc.constantFrom<Record<string, string>>({}, { '0': 'extension:100' }),
    skills: plain ? fc.constant({}) : fc.constantFrom({}, { en: 3 }, { de: 4, billing: 2 }),
    widening: plain ? fc.constant([]) : fc.constantFrom([], [{ after_s: 30, min_proficiency: 2 }, { after_s: 60, any_member: true }]),
    priority_share_max: fc.constantFrom(0.5, 0.8, 1),
    priority_window: fc.constantFrom(2, 10),
    progressive_step_s: fc.constantFrom(3, 10),
    announce_every_s: fc.constantFrom(null, 20),
    abandoned_resume_s: fc.constantFrom(0, 60),
    callback: fc.record({ enabled: fc.constant(true), offer_after_s: fc.constantFrom(0, 20), attempts: fc.constantFrom(1, 2), retry_after_s: fc.constantFrom(10, 60) }),
  });

const setup = (plain: boolean): fc.Arbitrary<AcdConfig> =>
  fc
    .record({
      options: fc.tuple(queueOptions(plain), queueOptions(plain), queueOptions(plain)),
      membership: fc.array(fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), { minLength: 5, maxLength: 5 }),
      skills: fc.array(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 3, maxLength: 3 }), { minLength: 5, maxLength: 5 }),
      penalties: fc.array(fc.integer({ min: 0, max: plain ? 0 : 2 }), { minLength: 5, maxLength: 5 }),
    })
    .map(({ options, membership, skills, penalties }) => ({
      agents: AGENTS.map((id, i) => ({
        id,
        skills: Object.fromEntries(SKILLS.flatMap((s, k) => ((skills[i]?.[k] ?? 0) > 0 ? [[s, skills[i]?.[k] as number]] : []))),
      })),
      queues: QUEUES.map((id, q) => ({
        id,
        options: options[q] as QueueOptionsInput,
        members: AGENTS.flatMap((agentId, i) => (membership[i]?.[q] ? [{ agentId, penalty: penalties[i] ?? 0 }] : [])),
      })),
    }));

class Run {
  readonly acd: Acd;
  now = 0;
  calls: string[] = [];
  events: AcdEvent[] = [];
  /** What the adapter believes: the agent legs ringing, and the agents talking. */
  ringingLegs = new Map<string, string>();
  talking = new Set<string>();
  violations: string[] = [];
  checkOrder: boolean;

  /** Configurations the run switches between (a live `config apply`). */
  configs: AcdConfig[];

  constructor(configs: AcdConfig[], seed: number, checkOrder: boolean) {
    this.configs = configs;
    const config = configs[0] as AcdConfig;
    let x = seed;
    const rng = (): number => {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      return x / 2 ** 31;
    };
    this.acd = new Acd(config, { rng });
    this.checkOrder = checkOrder;
  }

  call(i: number): string {
    return this.calls.length === 0 ? 'none' : (this.calls[i % this.calls.length] as string);
  }

  input(input: AcdInput): void {
    this.#step(() => this.acd.handle(input, this.now), input);
  }

  wait(ms: number): void {
    const until = this.now + ms;
    for (let next = this.acd.nextDeadline(); next !== null && next <= until; next = this.acd.nextDeadline()) {
      this.now = Math.max(this.now, next);
      this.#step(() => this.acd.tick(this.now));
    }
    this.now = until;
    this.#step(() => this.acd.tick(this.now));
  }

  #step(run: () => { commands: AcdCommand[]; events: AcdEvent[] }, input?: AcdInput): void {
    const before = new Map(QUEUES.map((q) => [q, this.acd.queue(q).entries]));
    if (input?.type === 'offer-failed') this.ringingLegs.delete(input.agentId);
    const out = run();
    // A call that ended frees its agent before any new offer in the same step.
    for (const e of out.events) if (e.type === 'complete') this.talking.delete(e.agentId);
    for (const c of out.commands) {
      if (c.type === 'offer') {
        if (this.ringingLegs.has(c.agentId)) this.violations.push(`${c.agentId} offered ${c.callId} while ringing for ${this.ringingLegs.get(c.agentId)}`);
        if (this.talking.has(c.agentId)) this.violations.push(`${c.agentId} offered ${c.callId} while talking`);
        this.ringingLegs.set(c.agentId, c.callId);
      } else if (c.type === 'cancel-offer') {
        if (this.ringingLegs.get(c.agentId) === c.callId) this.ringingLegs.delete(c.agentId);
      } else if (c.type === 'bridge') {
        this.ringingLegs.delete(c.agentId);
        this.talking.add(c.agentId);
      }
    }
    this.violations.push(...this.acd.invariantViolations());
    if (this.checkOrder) this.#checkOrder(before, out.events);
    this.events.push(...out.events);
  }

  /** A caller receiving their first offer: nobody of their class ahead of them was left waiting unoffered. */
  #checkOrder(before: Map<string, ReturnType<Acd['queue']>['entries']>, events: AcdEvent[]): void {
    const served = new Set<string>();
    const left = new Set<string>();
    for (const e of events) {
      if (e.type === 'offer' || e.type === 'callback-placed' || e.type === 'callback-requested') served.add(e.callId);
      if (isOutcome(e)) left.add(e.callId);
    }
    for (const e of events) {
      if (e.type !== 'offer' && e.type !== 'callback-placed') continue;
      const line = before.get(e.queue) ?? [];
      const idx = line.findIndex((x) => x.callId === e.callId);
      const me = line[idx];
      // Ringing the agent reserved for a confirmed callback is not a new routing decision.
      if (idx < 0 || me === undefined || me.ringing.length > 0 || me.phase === 'callback-dialing') continue;
      for (const other of line.slice(0, idx)) {
        if (other.priority !== me.priority || other.phase !== 'waiting' || other.ringing.length > 0) continue;
        if (!served.has(other.callId) && !left.has(other.callId)) this.violations.push(`${e.callId} served before ${other.callId} in ${e.queue}`);
      }
    }
  }

  apply(a: Action): void {
    // Phone actions go to agents that have something to act on, so that calls really get answered and ended.
    const busy = this.acd.agents().filter((x) => (a.kind === 'agent-hangup' ? x.callId : x.offeredCallId) !== undefined);
    const phoneAction = a.kind === 'ringing' || a.kind === 'answer' || a.kind === 'fail' || a.kind === 'agent-hangup';
    const pool = phoneAction && busy.length > 0 ? busy.map((x) => x.id) : AGENTS;
    const agentId = 'agent' in a ? (pool[a.agent % pool.length] as string) : '';
    const offered = agentId === '' ? undefined : this.acd.agent(agentId).offeredCallId;
    const target = 'stale' in a && a.stale ? this.call(a.agent) : offered;
    switch (a.kind) {
      case 'wait':
        return this.wait(a.ms);
      case 'enter': {
        const callId = `c${this.calls.length}`;
        this.calls.push(callId);
        return this.input({
          type: 'caller-entered',
          callId,
          queue: QUEUES[a.queue] as string,
          priority: a.priority,
          ...(a.number > 0 && { callerNumber: `+4930${a.number}` }),
          // The order check assumes every agent can serve every caller.
          ...(a.skills && !this.checkOrder && { skills: { en: 2 } }),
        });
      }
      case 'hangup':
        return this.input({ type: 'caller-hangup', callId: this.call(a.call) });
      case 'dtmf': {
        // The confirm key goes to a customer being called back, when there is one.
        const dialing = QUEUES.flatMap((q) => this.acd.queue(q).entries.filter((e) => e.phase === 'callback-dialing'));
        const callId = a.key === '1' && dialing.length > 0 ? (dialing[a.call % dialing.length]?.callId as string) : this.call(a.call);
        return this.input({ type: 'dtmf', callId, key: a.key });
      }
      case 'callback-failed':
        return this.input({ type: 'callback-failed', callId: this.call(a.call), reason: 'no-answer' });
      case 'ringing':
        return target === undefined ? undefined : this.input({ type: 'agent-ringing', agentId, callId: target });
      case 'answer':
        return target === undefined ? undefined : this.input({ type: 'agent-answered', agentId, callId: target });
      case 'fail':
        return target === undefined ? undefined : this.input({ type: 'offer-failed', agentId, callId: target, reason: a.stale ? 'busy' : 'no-answer' });
      case 'agent-hangup':
        return this.input({ type: 'agent-hangup', agentId });
      case 'login':
        return this.input({ type: 'agent-login', agentId });
      case 'logout':
        return this.input({ type: 'agent-logout', agentId });
      case 'pause':
        return this.input({ type: 'agent-pause', agentId, reason: 'break' });
      case 'unpause':
        return this.input({ type: 'agent-unpause', agentId });
      case 'wrapup-end':
        return this.input({ type: 'agent-wrapup-end', agentId });
      case 'reconfigure': {
        this.configs.push(this.configs.shift() as AcdConfig);
        return this.#step(() => this.acd.reconfigure(this.configs[0] as AcdConfig, this.now));
      }
      case 'transfer': {
        const callId = this.acd.agent(agentId).callId;
        return callId === undefined ? undefined : this.input({ type: 'transfer', callId, to: `queue:${QUEUES[a.queue]}` });
      }
    }
  }

  /** Every visit (enter) has exactly one outcome, or the caller is still in the system. */
  checkOutcomes(): void {
    const present = new Set<string>();
    for (const q of QUEUES) for (const e of this.acd.queue(q).entries) present.add(e.callId);
    for (const a of this.acd.agents()) if (a.callId !== undefined) present.add(a.callId);
    const open = new Map<string, boolean>();
    for (const e of this.events) {
      if (e.type === 'enter') {
        if (open.get(e.callId)) this.violations.push(`${e.callId} entered ${e.queue} while still in a queue`);
        open.set(e.callId, true);
      } else if (isOutcome(e)) {
        if (!open.get(e.callId)) this.violations.push(`${e.callId}: ${e.type} without a visit`);
        open.set(e.callId, false);
      }
    }
    for (const [callId, isOpen] of open) {
      if (isOpen !== present.has(callId)) this.violations.push(`${callId}: ${isOpen ? 'no outcome although gone' : 'outcome although present'}`);
    }
  }
}

function property(plain: boolean, checkOrder: boolean) {
  return fc.property(fc.array(setup(plain), { minLength: 2, maxLength: 2 }), fc.integer({ min: 1, max: 2 ** 30 }), fc.nat(AGENTS.length), fc.array(action, { minLength: 10, maxLength: 120 }), (configs, seed, startLoggedIn, actions) => {
    const run = new Run(configs, seed, checkOrder);
    for (const agentId of AGENTS.slice(0, startLoggedIn)) run.input({ type: 'agent-login', agentId });
    for (const a of actions) run.apply(a);
    // A cooperative phase: customers confirm callbacks, agents answer and finish their calls.
    for (let round = 0; round < 10; round++) {
      for (const q of QUEUES) {
        for (const e of run.acd.queue(q).entries) if (e.phase === 'callback-dialing') run.input({ type: 'dtmf', callId: e.callId, key: '1' });
      }
      for (const a of run.acd.agents()) {
        if (a.offeredCallId !== undefined) run.input({ type: 'agent-answered', agentId: a.id, callId: a.offeredCallId });
      }
      run.wait(20_000);
      for (const a of run.acd.agents()) if (a.callId !== undefined) run.input({ type: 'agent-hangup', agentId: a.id });
    }
    // Let every timer play out: rings time out, wrap-ups end, callers overflow or time out.
    run.wait(600_000);
    run.checkOutcomes();
    assert.deepEqual(run.violations, []);
  });
}

test('random event sequences: one offer per agent, no stuck agents, exactly one outcome per visit', () => {
  fc.assert(property(false, false), { numRuns: 300 });
});

test('random event sequences without skills: within a priority class callers are served in order', () => {
  fc.assert(property(true, true), { numRuns: 300 });
});
