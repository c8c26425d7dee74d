// ACD routing benchmark: 500 agents, 50 queues, 20 skills, 1,000 waiting callers.
// A "routing decision" is one agent finishing a call while 1,000 callers wait: the engine ends the call,
// scans the agent's queues in order, checks skills/widening/penalties and offers the next caller.
// Usage: node firmware/bench/acd.bench.ts [out.json]   (bounded: stops after ROUNDS decisions or 45 s)
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Acd, isOutcome, STRATEGIES } from '../src/acd/index.ts';
import type { AcdConfig, AcdInput } from '../src/acd/index.ts';

const AGENTS = 500;
const QUEUES = 50;
const SKILLS = 20;
const WAITING = 1_000;
const QUEUES_PER_AGENT = 5;
const ROUNDS = 20_000;
const WARMUP = 2_000;
const STEP_MS = 360;
const TIME_LIMIT_MS = 45_000;

let seed = 12345;
const rng = (): number => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = (n: number): number => Math.floor(rng() * n);
const skill = (i: number): string => `s${i}`;

/** Queue q asks for skill q mod 20 (even queues) or nothing; agents have the skills of their queues. */
function config(): AcdConfig {
  const queueSkill = (q: number): string | undefined => (q % 2 === 0 ? skill(q % SKILLS) : undefined);
  const members: Array<Array<{ agentId: string; penalty: number }>> = Array.from({ length: QUEUES }, () => []);
  const agents = Array.from({ length: AGENTS }, (_, i) => {
    const id = `${1000 + i}`;
    const skills: Record<string, number> = {};
    for (let k = 0; k < 3; k++) skills[skill(pick(SKILLS))] = 1 + pick(5);
    const mine = new Set<number>();
    while (mine.size < QUEUES_PER_AGENT) mine.add(pick(QUEUES));
    for (const q of mine) {
      members[q]?.push({ agentId: id, penalty: i % 3 === 0 ? 1 : 0 });
      const needed = queueSkill(q);
      if (needed !== undefined) skills[needed] = 2 + pick(4);
    }
    return { id, skills };
  });
  const queues = members.map((m, q) => {
    const needed = queueSkill(q);
    const strategy = STRATEGIES[q % STRATEGIES.length] ?? 'longest-idle';
    return {
      id: `${500 + q}`,
      members: m,
      options: {
        // Ring-all offers a call to every idle member at once; it would not measure one decision.
        strategy: strategy === 'ring-all' ? ('longest-idle' as const) : strategy,
        wrapup_s: 0,
        skills: needed === undefined ? {} : { [needed]: 2 },
        widening: [{ after_s: 30, min_proficiency: 1 }, { after_s: 120, any_member: true }],
        callback: { enabled: true, offer_after_s: 60 },
      },
    };
  });
  return { agents, queues };
}

/** One caller in five asks for a language on top of the queue's skill (from the IVR). */
function callerSkills(): Record<string, number> | undefined {
  return pick(5) === 0 ? { [skill(pick(SKILLS))]: 3 } : undefined;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

const acd = new Acd(config(), { rng, now: 0 });
const queueIds = acd.queueIds();
let now = 0;
let callSeq = 0;
let events = 0;
let waiting = 0;
const talking: string[] = [];

/** Feeds one input and plays the phones: every offer is answered at once. Keeps `waiting` and `talking` current. */
function send(input: AcdInput): ReturnType<Acd['handle']> {
  events++;
  const out = acd.handle(input, now);
  observe(out);
  return out;
}
function observe(out: ReturnType<Acd['handle']>): void {
  for (const e of out.events) {
    if (e.type === 'enter') waiting++;
    else if (e.type === 'connect' || (e.type !== 'complete' && isOutcome(e))) waiting--;
  }
  for (const c of out.commands) {
    if (c.type === 'offer') {
      talking.push(c.agentId);
      send({ type: 'agent-answered', agentId: c.agentId, callId: c.callId });
    }
  }
}
const newCaller = (): void => {
  const skills = callerSkills();
  send({
    type: 'caller-entered',
    callId: `c${callSeq++}`,
    queue: queueIds[pick(QUEUES)] as string,
    callerNumber: `+49${callSeq}`,
    ...(skills !== undefined && { skills }),
  });
};

// Every agent logs in; callers arrive until the agents are busy and 1,000 callers wait.
for (let i = 0; i < AGENTS; i++) send({ type: 'agent-login', agentId: `${1000 + i}` });
while (waiting < WAITING) {
  now += 100;
  newCaller();
}

// Measured loop: a talking agent hangs up, which is the routing decision (end the call, look through the
// agent's queues for the first caller it may serve, offer it); the line is topped up to 1,000 callers.
const decisions = new Float64Array(ROUNDS);
let n = 0;
let offered = 0;
let cpu0 = process.cpuUsage();
let warmup = WARMUP;
events = 0;
let started = performance.now();
while (n < ROUNDS && talking.length > 0 && performance.now() - started < TIME_LIMIT_MS) {
  if (warmup-- === 0) {
    // The first decisions also compile the code; measure from here on.
    n = 0;
    offered = 0;
    cpu0 = process.cpuUsage();
    events = 0;
    started = performance.now();
  }
  // The simulated clock runs as in a real center: 500 agents with 3-minute calls finish one every 360 ms.
  now += STEP_MS;
  // Timers due by now (widening, announcements, ring timeouts) run first: they count as events, not as this decision.
  events++;
  observe(acd.tick(now));
  const i = pick(talking.length);
  const agentId = talking[i] as string;
  talking[i] = talking[talking.length - 1] as string;
  talking.pop();
  const t0 = process.hrtime.bigint();
  events++;
  const out = acd.handle({ type: 'agent-hangup', agentId }, now);
  decisions[n++] = Number(process.hrtime.bigint() - t0) / 1000;
  if (out.commands.some((c) => c.type === 'offer')) offered++;
  observe(out);
  while (waiting < WAITING) newCaller();
}
const elapsedMs = performance.now() - started;
const cpu = process.cpuUsage(cpu0);
const sorted = decisions.slice(0, n).sort();
const result = {
  agents: AGENTS,
  queues: QUEUES,
  skills: SKILLS,
  waitingCallers: waiting,
  decisions: n,
  offersMade: offered,
  decisionP50Us: Number(percentile(sorted, 0.5).toFixed(1)),
  decisionP99Us: Number(percentile(sorted, 0.99).toFixed(1)),
  decisionMaxUs: Number((sorted[sorted.length - 1] ?? 0).toFixed(1)),


  targetP99Us: 100,
  eventsPerSecond: Math.round(events / (elapsedMs / 1000)),
  cpuPerEventUs: Number(((cpu.user + cpu.system) / Math.max(1, events)).toFixed(1)),
  simulatedMinutes: Math.round(now / 60_000),
  // Wall-clock percentiles include time the OS gives to other processes: read them with the load.
  loadAverage1m: Number((os.loadavg()[0] ?? 0).toFixed(2)),
  cpus: os.availableParallelism(),
  events,
  elapsedMs: Math.round(elapsedMs),
};

const rows: Array<[string, string]> = [
  ['setup', `${AGENTS} agents, ${QUEUES} queues, ${SKILLS} skills, ${result.waitingCallers} waiting`],
  ['routing decisions', `${n} (${offered} led to an offer)`],
  ['decision p50 (wall)', `${result.decisionP50Us} µs`],
  ['decision p99 (wall)', `${result.decisionP99Us} µs (target < 100 µs)`],
  ['decision max', `${result.decisionMaxUs} µs`],

  ['CPU per event (mean)', `${result.cpuPerEventUs} µs (user+system time over the measured loop)`],
  ['machine load', `${result.loadAverage1m} (1-minute load average) on ${result.cpus} CPUs`],
  ['events sustained', `${result.eventsPerSecond.toLocaleString('en')} /s (${events} events in ${result.elapsedMs} ms, ${result.simulatedMinutes} simulated minutes)`],
];
const width = Math.max(...rows.map(([k]) => k.length));
for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);

const out = process.argv[2] ?? path.join('bench-results', 'acd.json');
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
