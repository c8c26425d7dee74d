import { randomUUID } from 'node:crypto';
import { Acd, type AcdCommand, type AcdEvent, type AcdInput, type AcdOutput, type QueueView } from '../acd/index.ts';
import type { CallDeps, QueueService } from '../calls/call-deps.ts';
import type { InviteContext } from '../calls/invite-context.ts';
import { currentRevision } from '../config/revision.ts';
import { DtmfListener, type DtmfDigit } from '../media/dtmf-listener.ts';
import type { AdapterContext } from './adapter-context.ts';
import { agentAction, agentCode } from './agent-codes.ts';
import { followRegistrations, loginRegistered } from './agent-presence.ts';
import { announce } from './announce.ts';
import { CallbackDials, dialCallback } from './dial-callback.ts';
import { bridgeAgent, settleEndedBridges } from './connect-caller.ts';
import { enterQueue } from './queue-entry.ts';
import type { QueuedCaller } from './queued-caller.ts';
import { cancelOffer, ringAgent } from './ring-agent.ts';
import { routeOut } from './route-out.ts';
import { QueueLog, type TodayCounts } from './queue-log.ts';
import { readQueueSite, type QueueSite } from './site-config.ts';

export interface QueueCallsOptions {
  /** Where rtpengine sends DTMF events (its --dtmf-log-dest); without it key presses are not heard. */
  dtmf?: { host: string; port: number };
  /** How often the distributor's timers and the configuration revision are checked (default 500 ms). */
  tickMs?: number;
  now?: () => number;
}

export interface QueueCalls extends QueueService {
  /** Runs one input (e.g. an agent action from the console) and executes what the distributor answers. */
  submit(input: AcdInput): void;
  /** Called after every change of the distributor's state (the console's live pages publish then). */
  onChange(listener: () => void): () => void;
  /**
   * Hears every event the distributor emits (from inputs, ticks and configuration changes), in order, after the
   * queue log has it (the SNMP queue table counts from these). Returns the function that stops listening.
   */
  onEvents(listener: (events: readonly AcdEvent[]) => void): () => void;
  /** Display names of agents and queues, and queue members, from the configuration. */
  names(): { agents: ReadonlyMap<string, string>; queues: ReadonlyMap<string, string> };
  members(): ReadonlyMap<string, readonly string[]>;
  /** Today's answered and abandoned calls and service level per queue, answered calls per agent (the queue log). */
  today(): TodayCounts;
}

/**
 * The ACD call adapter: drives the pure distributor (acd/) with real calls. It answers calls for queues (music in
 * rtpengine), rings agents' phones for the distributor's offers, bridges the first to answer, plays
 * announcements, routes callers out of the queue, calls customers back, and turns hang-ups, key presses, agent
 * feature codes and registrations into inputs. A timer drives the distributor's deadlines.
 */
export async function startQueueCalls(deps: CallDeps, o: QueueCallsOptions): Promise<QueueCalls> {
  const now = o.now ?? Date.now;
  const log = deps.log.child({ svc: 'acd' });
  let site: QueueSite;
  try {
    site = readQueueSite(deps.db);
  } catch (err) {
    // The calls must run even when the queues cannot: the error is logged and a fixed configuration is reloaded.
    log.error({ err: (err as Error).message }, 'queue configuration refused by the distributor; no queues until it is fixed');
    site = { acd: { agents: [], queues: [] }, queues: new Map(), extensionNames: new Map() };
  }
  let revision = currentRevision(deps.db);
  const acd = new Acd(site.acd, { now: now(), newId: randomUUID });
  const listeners = new Set<() => void>();
  const eventListeners = new Set<(events: readonly AcdEvent[]) => void>();
  const callbacks = new CallbackDials();
  const queueLog = new QueueLog(deps.db, log);

  // Work that arrives while commands are being executed (inputs, ticks, a new configuration) waits its turn, so
  // the distributor's outputs are executed in the order it produced them.
  const work: Array<{ what: string; run: () => AcdOutput }> = [];
  let running = false;
  const enqueue = (what: string, run: () => AcdOutput) => {
    work.push({ what, run });
    if (running) return;
    running = true;
    try {
      for (let next = work.shift(); next !== undefined; next = work.shift()) {
        let out: AcdOutput;
        try {
          out = next.run();
        } catch (err) {
          log.warn({ err: (err as Error).message, work: next.what }, 'the distributor refused');
          continue;
        }
        execute(out);
      }
    } finally {
      running = false;
    }
  };
  const submit = (input: AcdInput) => enqueue(input.type, () => acd.handle(input, now()));

  const ctx: AdapterContext = { deps, acd, log, prompts: deps.prompts, callers: new Map<string, QueuedCaller>(), site: () => site, now, submit };

  const execute = (out: AcdOutput) => {
    queueLog.write(out.events);
    if (out.events.length > 0) {
      for (const l of eventListeners) {
        // A failing listener (statistics) must never keep the distributor's commands from running.
        try {
          l(out.events);
        } catch (err) {
          log.error({ err }, 'ACD event listener failed');
        }
      }
    }
    for (const c of out.commands) run(c);
    if (out.events.length > 0 || out.commands.length > 0) for (const l of listeners) l();
  };

  const run = (c: AcdCommand) => {
    const task = (() => {
      switch (c.type) {
        case 'offer':
          return ringAgent(ctx, c);
        case 'cancel-offer':
          cancelOffer(ctx, c.callId, c.agentId);
          return undefined;
        case 'bridge':
          return bridgeAgent(ctx, c.callId, c.agentId);
        case 'announce':
          return announce(ctx, c);
        case 'route':
          return routeOut(ctx, c);
        case 'dial-callback':
          return dialCallback(ctx, callbacks, c);
        case 'cancel-callback':
          callbacks.cancel(ctx, c.callId);
          return undefined;
      }
    })();
    // Each command runs on its own; a failure is logged and never stops the others.
    task?.catch((err: Error) => log.error({ err, command: c.type }, 'ACD command failed'));
  };

  const tick = () => {
    try {
      const rev = currentRevision(deps.db);
      if (rev !== revision) reload(rev);
      settleEndedBridges(ctx);
      enqueue('tick', () => acd.tick(now()));
    } catch (err) {
      log.error({ err }, 'ACD tick failed');
    }
  };

  /**
   * The configuration changed (site file applied, console edit): the distributor takes the new queues and agents
   * without dropping calls. Polling the revision is one indexed read per tick, cheaper than a change signal that
   * every writer must remember to raise.
   */
  const reload = (rev: number) => {
    revision = rev;
    const before = new Set(acd.agents().map((a) => a.id));
    enqueue('reconfigure', () => {
      try {
        const next = readQueueSite(deps.db);
        const out = acd.reconfigure(next.acd, now());
        site = next;
        log.info({ revision: rev }, 'queue configuration reloaded');
        return out;
      } catch (err) {
        log.error({ err: (err as Error).message }, 'new queue configuration refused by the distributor; the previous one stays in force');
        return { commands: [], events: [] };
      }
    });
    loginRegistered(ctx, new Set(acd.agents().map((a) => a.id).filter((id) => !before.has(id))));
  };

  const dtmf = o.dtmf ? await DtmfListener.listen(o.dtmf.host, o.dtmf.port, log) : undefined;
  // rtpengine names its own call: a called-back customer's media call is not the distributor's call id.
  const onDigit = (d: DtmfDigit) => {
    const caller = [...ctx.callers.values()].find((c) => c.media.callId === d.callId && c.callerTag === d.sourceTag);
    if (caller !== undefined && caller.phase === 'waiting') ctx.submit({ type: 'dtmf', callId: caller.callId, key: d.digit });
  };
  dtmf?.on('digit', onDigit);

  const unfollow = followRegistrations(ctx);
  loginRegistered(ctx);
  const timer = setInterval(tick, o.tickMs ?? 500);

  const names = () => ({
    agents: site.extensionNames,
    queues: new Map([...site.queues.values()].map((q) => [q.number, q.name])),
  });
  const members = () => new Map([...site.queues.values()].map((q) => [q.number, q.members.map((m) => m.extension)]));
  let stopped = false;
  return {
    acd,
    submit,
    queues: (): QueueView[] => acd.queueIds().map((id) => acd.queue(id)),
    onChange: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    onEvents: (l) => {
      eventListeners.add(l);
      return () => eventListeners.delete(l);
    },
    names,
    members,
    today: () => queueLog.today(site, now()),
    handle: async (invite: InviteContext) => {
      const { caller, dialled, destination } = invite;
      if (destination?.kind === 'target' && destination.target.kind === 'queue') {
        return queueCall(invite, destination.target.number);
      }
      if (destination !== undefined || caller?.extension === undefined) return 'next';
      const action = agentAction(ctx, dialled);
      if (action !== undefined) {
        await agentCode(ctx, invite, action);
        return 'done';
      }
      if (site.queues.has(dialled)) return queueCall(invite, dialled);
      return 'next';
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      unfollow();
      dtmf?.off('digit', onDigit);
      await dtmf?.close();
      await callbacks.stopAll(ctx);
    },
  };

  async function queueCall(invite: InviteContext, queue: string): Promise<'done'> {
    if (!acd.queueIds().includes(queue)) {
      invite.res.send(404);
      return 'done';
    }
    await enterQueue(ctx, invite, queue);
    return 'done';
  }
}
