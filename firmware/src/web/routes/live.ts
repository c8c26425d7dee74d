import { PassThrough } from 'node:stream';
import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { addDisposition, listDispositions } from '../../config/repositories/call-dispositions.ts';
import { queryCdrs } from '../../config/repositories/cdr-queries.ts';
import { readSite } from '../../config/site-export.ts';
import { nameSchema, numberSchema } from '../../config/site-schema.ts';
import type { Api, Caller } from '../api.ts';
import { ApiError, forbidden } from '../http/errors.ts';
import { AgentControlError, LIVE_TOPICS, type LiveState, type LiveTopic } from '../live-state.ts';
import { liveView } from '../live-view.ts';

export interface EventStreamOptions {
  /** Each stream sends a topic at most this often (changes in between are coalesced into one event). */
  minIntervalMs: number;
  /** Open streams at most, box-wide; more are refused with 503 so a runaway client cannot exhaust memory. */
  maxStreams: number;
  heartbeatMs: number;
}

export const DEFAULT_STREAM_OPTIONS: EventStreamOptions = { minIntervalMs: 250, maxStreams: 64, heartbeatMs: 15_000 };

/** Queue membership from the configuration, for scoping supervisors and agents. */
function membersOf(db: Database): Map<string, string[]> {
  return new Map(readSite(db).queues.map((q) => [q.number, q.members.map((m) => (typeof m === 'string' ? m : m.extension))]));
}

/** Live state, Server-Sent Events, and the agent actions of the agents page and the agent view. */
export function liveRoutes(api: Api, db: Database, live: LiveState, streams: EventStreamOptions = DEFAULT_STREAM_OPTIONS): void {
  const view = (caller: Caller, topic: LiveTopic) => liveView(caller, live.snapshot(), topic, membersOf(db));

  api.add({
    method: 'get',
    path: '/live',
    summary: 'Everything live this user may see: registrations, calls, queues, agents, trunks, health, LEDs',
    tag: 'live',
    access: 'system.read',
    handler: ({ caller }) => {
      const snap = live.snapshot();
      const members = membersOf(db);
      return Object.fromEntries(LIVE_TOPICS.flatMap((t) => {
        const v = liveView(caller, snap, t, members);
        return v === undefined ? [] : [[t, v]];
      }));
    },
  });
  for (const topic of LIVE_TOPICS) {
    api.add({
      method: 'get',
      path: `/live/${topic}`,
      summary: `Live ${topic}`,
      tag: 'live',
      access: topic === 'queues' || topic === 'agents' ? 'live.queues' : topic === 'health' ? 'system.read' : topic === 'calls' ? 'system.read' : 'live.read',
      handler: ({ caller }) => {
        const v = view(caller, topic);
        if (v === undefined) throw forbidden();
        return v;
      },
    });
  }

  let open = 0;
  api.add({
    method: 'get',
    path: '/live/events',
    summary: 'Server-Sent Events: one event per changed topic (event name = topic, data = that topic as /live/TOPIC shows it), coalesced',
    tag: 'live',
    access: 'system.read',
    query: z.strictObject({ topics: z.string().regex(/^[a-z,]+$/, 'must be a comma-separated list of topics').optional() }),
    produces: 'text/event-stream',
    handler: ({ ctx, caller, query }) => {
      const wanted = new Set((query.topics?.split(',') ?? LIVE_TOPICS).filter((t): t is LiveTopic => (LIVE_TOPICS as readonly string[]).includes(t)));
      const topics = [...wanted].filter((t) => view(caller, t) !== undefined);
      if (topics.length === 0) throw forbidden('none of these topics is visible to your role');
      if (open >= streams.maxStreams) throw new ApiError(503, 'busy', 'too many live streams are open; close other console tabs');
      open++;

      const out = new PassThrough();
      const dirty = new Set<LiveTopic>();
      let timer: NodeJS.Timeout | undefined;
      let last = 0;
      const flush = () => {
        timer = undefined;
        last = Date.now();
        const snap = live.snapshot();
        const members = membersOf(db);
        for (const t of dirty) out.write(`event: ${t}\ndata: ${JSON.stringify(liveView(caller, snap, t, members))}\n\n`);
        dirty.clear();
      };
      const unsubscribe = live.subscribe((t) => {
        if (!topics.includes(t)) return;
        dirty.add(t);
        timer ??= setTimeout(flush, Math.max(0, last + streams.minIntervalMs - Date.now()));
      });
      const heartbeat = setInterval(() => out.write(': keep-alive\n\n'), streams.heartbeatMs);
      const close = () => {
        if (timer !== undefined) clearTimeout(timer);
        clearInterval(heartbeat);
        unsubscribe();
        open--;
        out.end();
      };
      ctx.req.once('close', close);

      ctx.req.socket.setTimeout(0);
      ctx.set('Content-Type', 'text/event-stream; charset=utf-8');
      ctx.set('X-Accel-Buffering', 'no');
      ctx.status = 200;
      out.write('retry: 3000\n\n');
      for (const t of topics) dirty.add(t);
      flush();
      return out;
    },
  });

  // Agent actions. Agents act on themselves; supervisors on agents of their queues; admins on anyone.
  const mayControl = (caller: Caller, ext: string) => {
    const { role, extension, queues } = caller.user;
    if (role === 'admin') return true;
    if (role === 'agent') return extension === ext;
    if (role === 'supervisor') {
      const members = membersOf(db);
      return queues.some((q) => members.get(q)?.includes(ext)) || (live.snapshot().agents.find((a) => a.extension === ext)?.queues ?? []).some((q) => queues.includes(q));
    }
    return false;
  };
  const act = (caller: Caller, ext: string, f: () => void) => {
    if (!mayControl(caller, ext)) throw forbidden(caller.user.role === 'agent' ? 'agents act only on their own extension' : `agent ${ext} is not in your queues`);
    try {
      f();
    } catch (err) {
      if (err instanceof AgentControlError) throw new ApiError(409, 'conflict', err.message);
      throw err;
    }
    return live.snapshot().agents.find((a) => a.extension === ext);
  };

  api.add({
    method: 'post',
    path: '/agents/:extension/login',
    summary: 'Log an agent in to queues (all their queues when none are given)',
    tag: 'agent-actions',
    access: 'agents.control',
    body: z.strictObject({ queues: z.array(numberSchema).optional() }).optional(),
    action: 'agent.login',
    handler: (call) => {
      const ext = call.params['extension'] ?? '';
      const members = membersOf(db);
      const mine = [...members].filter(([, m]) => m.includes(ext)).map(([q]) => q);
      const queues = call.body?.queues ?? mine;
      queues.forEach((q, i) => {
        if (!members.has(q)) throw new ApiError(400, 'validation', 'unknown queue', [{ path: `queues[${i}]`, message: `queue ${q} does not exist` }]);
      });
      return act(call.caller, ext, () => live.agents.login(ext, queues));
    },
  });
  api.add({
    method: 'post',
    path: '/agents/:extension/logout',
    summary: 'Log an agent out of all queues',
    tag: 'agent-actions',
    access: 'agents.control',
    action: 'agent.logout',
    handler: (call) => act(call.caller, call.params['extension'] ?? '', () => live.agents.logout(call.params['extension'] ?? '')),
  });
  api.add({
    method: 'post',
    path: '/agents/:extension/pause',
    summary: 'Pause an agent with a reason code (one of the pause reasons, when any are configured)',
    tag: 'agent-actions',
    access: 'agents.control',
    body: z.strictObject({ reason: nameSchema }),
    action: 'agent.pause',
    handler: (call) => {
      const reasons = readSite(db).pause_reasons.map((r) => r.code);
      if (reasons.length > 0 && !reasons.includes(call.body.reason)) {
        throw new ApiError(400, 'validation', 'unknown pause reason', [{ path: 'reason', message: `must be one of ${reasons.join(', ')}` }]);
      }
      return act(call.caller, call.params['extension'] ?? '', () => live.agents.pause(call.params['extension'] ?? '', call.body.reason));
    },
  });
  api.add({
    method: 'post',
    path: '/agents/:extension/unpause',
    summary: 'End a pause',
    tag: 'agent-actions',
    access: 'agents.control',
    action: 'agent.unpause',
    handler: (call) => act(call.caller, call.params['extension'] ?? '', () => live.agents.unpause(call.params['extension'] ?? '')),
  });
  api.add({
    method: 'post',
    path: '/agents/:extension/wrap-up',
    summary: 'Finish after-call work with a disposition code and a note',
    tag: 'agent-actions',
    access: 'agents.control',
    body: z.strictObject({ interaction_id: z.string().min(1).max(100), disposition: nameSchema, note: z.string().max(2000).default('') }),
    action: 'agent.wrap-up',
    handler: (call) => {
      const ext = call.params['extension'] ?? '';
      const result = act(call.caller, ext, () => live.agents.endWrapUp(ext));
      addDisposition(db, { interactionId: call.body.interaction_id, extension: ext, code: call.body.disposition, note: call.body.note, at: new Date().toISOString(), actor: call.caller.user.username });
      return result;
    },
  });
  api.add({
    method: 'get',
    path: '/agents/:extension/caller-history',
    summary: "A caller's previous interactions with their dispositions, for the agent's current call",
    tag: 'agent-actions',
    access: 'agents.control',
    query: z.strictObject({ number: z.string().min(1).max(64) }),
    handler: ({ caller, params, query }) => {
      if (!mayControl(caller, params['extension'] ?? '')) throw forbidden();
      const legs = queryCdrs(db, { caller: query.number, limit: 50 });
      const dispositions = listDispositions(db, [...new Set(legs.map((l) => l.interaction_id))]);
      return legs.map((l) => ({ ...l, dispositions: dispositions.filter((d) => d.interactionId === l.interaction_id) }));
    },
  });
}
