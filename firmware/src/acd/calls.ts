import { isStaffed } from './agent-state.ts';
import { requestCallback } from './callbacks.ts';
import { estimateWaitMs } from './estimates.ts';
import { complete, withdrawAllOffers } from './offers.ts';
import { at, callEvent, command, wakeCall } from './out.ts';
import { insertEntry, positionOf, removeEntry } from './queue.ts';
import { nextWideningAt } from './skills.ts';
import { SECOND } from './state.ts';
import type { AbandonRec, CallRec, QueueRec, State } from './state.ts';
import { parseDestination } from './types.ts';
import type { ExitReason } from './types.ts';

export interface EnterRequest {
  callId: string;
  queue: QueueRec;
  callerNumber?: string;
  callerName?: string;
  priority?: number;
  skills?: Record<string, number>;
  interactionId?: string;
  /** Queues this call already overflowed through; stops overflow loops between full or empty queues. */
  hops?: number;
}

const MAX_HOPS = 8;

function resumeKey(queue: QueueRec, number: string): string {
  return `${queue.id}|${number}`;
}

/** The place a caller with this number abandoned in the queue, if they may still resume it at `now`. */
export function abandonedPlace(s: State, queue: QueueRec, callerNumber: string, now: number): AbandonRec | undefined {
  const earlier = s.abandoned.get(resumeKey(queue, callerNumber));
  return earlier !== undefined && now - earlier.at <= queue.options.abandoned_resume_s * SECOND ? earlier : undefined;
}

/** A caller joins a queue: resumes an abandoned place if they just hung up, or is turned away (full, empty). */
export function enterQueue(s: State, req: EnterRequest): void {
  const queue = req.queue;
  const options = queue.options;
  const earlier = req.callerNumber === undefined ? undefined : abandonedPlace(s, queue, req.callerNumber, s.now);
  const resumed = earlier !== undefined;
  if (req.callerNumber !== undefined) s.abandoned.delete(resumeKey(queue, req.callerNumber));
  const call: CallRec = {
    callId: req.callId,
    interactionId: req.interactionId ?? earlier?.interactionId ?? s.newId(),
    queue,
    ...(req.callerNumber !== undefined && { callerNumber: req.callerNumber }),
    ...(req.callerName !== undefined && { callerName: req.callerName }),
    priority: Math.max(req.priority ?? 0, earlier?.priority ?? 0),
    ...(req.skills !== undefined && { skills: req.skills }),
    seq: earlier?.seq ?? ++s.seq,
    enteredAt: earlier?.enteredAt ?? s.now,
    phase: 'waiting',
    offers: new Map(),
    tried: new Set(),
    visit: ++s.visits,
    hops: req.hops ?? 0,
  };
  s.calls.set(call.callId, call);
  insertEntry(queue, call);
  callEvent(s, call, { type: 'enter', position: positionOf(queue, call), priority: call.priority, resumed });
  if (options.max_len !== null && queue.entries.length > options.max_len) {
    leaveQueue(s, call, 'full', options.max_len_to);
    return;
  }
  if (!options.join_empty && !queue.members.some((m) => isStaffed(m.agent))) {
    leaveQueue(s, call, 'empty', options.empty_to);
    return;
  }
  scheduleVisit(s, call);
  wakeCall(s, call);
}

/** Deadlines of one visit: limits, overflow, widening steps, announcements and the callback offer. */
function scheduleVisit(s: State, call: CallRec): void {
  const options = call.queue.options;
  const visit = call.visit;
  const live = (): boolean => call.visit === visit && call.phase === 'waiting' && call.callback === undefined;
  if (options.max_wait_s !== null) {
    at(s, call.enteredAt + options.max_wait_s * SECOND, () => {
      if (live()) leaveQueue(s, call, 'timeout', options.max_wait_to);
    });
  }
  if (options.overflow !== null) {
    const { after_s, to } = options.overflow;
    at(s, call.enteredAt + after_s * SECOND, () => {
      if (live()) leaveQueue(s, call, 'overflow', to);
    });
  }
  scheduleWidening(s, call);
  const every = options.announce_every_s;
  if (every !== null) {
    const announce = (): void => {
      if (!live()) return;
      if (call.offers.size === 0) {
        const ewt = estimateWaitMs(call.queue, call, s.now);
        command(s, {
          type: 'announce',
          callId: call.callId,
          prompt: 'position',
          position: positionOf(call.queue, call),
          ewtS: ewt === null ? null : Math.round(ewt / SECOND),
        });
      }
      at(s, s.now + every * SECOND, announce);
    };
    at(s, s.now + every * SECOND, announce);
  }
  const cb = options.callback;
  if (cb.enabled && call.callerNumber !== undefined) {
    at(s, Math.max(s.now, call.enteredAt + cb.offer_after_s * SECOND), () => {
      if (live() && call.offers.size === 0) command(s, { type: 'announce', callId: call.callId, prompt: 'callback-offer', key: cb.key });
    });
  }
}

/** Wakes the caller's queue at each widening step, when more agents become eligible. */
export function scheduleWidening(s: State, call: CallRec): void {
  const visit = call.visit;
  const widen = (): void => {
    if (call.visit !== visit || (call.phase !== 'waiting' && call.phase !== 'callback')) return;
    wakeCall(s, call);
    const next = nextWideningAt(call, s.now);
    if (next !== null) at(s, next, widen);
  };
  const first = nextWideningAt(call, s.now);
  if (first !== null) at(s, first, widen);
}

/** The caller leaves the queue without an agent. A queue in this engine is entered directly. */
export function leaveQueue(s: State, call: CallRec, reason: ExitReason, to: string): void {
  const dest = parseDestination(to);
  if (dest.kind === 'callback' && call.callerNumber !== undefined) {
    requestCallback(s, call, call.callerNumber);
    return;
  }
  withdrawAllOffers(s, call);
  callEvent(s, call, { type: 'exit', reason, to, waitMs: s.now - call.enteredAt });
  removeEntry(call.queue, call);
  call.phase = 'gone';
  s.calls.delete(call.callId);
  const next = dest.kind === 'queue' ? s.queues.get(dest.target) : undefined;
  if (next !== undefined && call.hops < MAX_HOPS) {
    enterQueue(s, {
      callId: call.callId,
      queue: next,
      ...(call.callerNumber !== undefined && { callerNumber: call.callerNumber }),
      ...(call.callerName !== undefined && { callerName: call.callerName }),
      priority: call.priority,
      interactionId: call.interactionId,
      hops: call.hops + 1,
    });
  } else {
    // A callback needs a number to call; an overflow loop ends here too.
    const to = dest.kind === 'callback' || next !== undefined ? ({ kind: 'hangup' } as const) : dest;
    command(s, { type: 'route', callId: call.callId, to, reason });
  }
}

/** The caller hung up: a waiting caller abandons (and may resume), a connected call completes. */
export function callerHangup(s: State, call: CallRec): void {
  if (call.phase === 'connected') {
    complete(s, call, 'caller');
    return;
  }
  if (call.phase !== 'waiting') return;
  const queue = call.queue;
  withdrawAllOffers(s, call);
  callEvent(s, call, { type: 'abandon', waitMs: s.now - call.enteredAt, position: positionOf(queue, call) });
  removeEntry(queue, call);
  call.phase = 'gone';
  s.calls.delete(call.callId);
  if (call.callerNumber !== undefined && queue.options.abandoned_resume_s > 0) {
    s.abandoned.set(resumeKey(queue, call.callerNumber), {
      seq: call.seq,
      enteredAt: call.enteredAt,
      interactionId: call.interactionId,
      priority: call.priority,
      at: s.now,
    });
    const key = resumeKey(queue, call.callerNumber);
    const rec = s.abandoned.get(key);
    at(s, s.now + queue.options.abandoned_resume_s * SECOND + 1, () => {
      if (s.abandoned.get(key) === rec) s.abandoned.delete(key);
    });
  }
}

/** A key pressed by a waiting caller: an exit key, or the callback key once the callback is offered. */
export function callerKey(s: State, call: CallRec, key: string): void {
  if (call.phase !== 'waiting') return;
  const options = call.queue.options;
  const exitTo = options.exit_keys[key];
  if (exitTo !== undefined) {
    leaveQueue(s, call, 'key', exitTo);
    return;
  }
  const cb = options.callback;
  const waited = s.now - call.enteredAt;
  if (
    cb.enabled &&
    key === cb.key &&
    call.callerNumber !== undefined &&
    call.callback === undefined &&
    call.offers.size === 0 &&
    waited >= cb.offer_after_s * SECOND
  ) {
    requestCallback(s, call, call.callerNumber);
  }
}

/** leave_when_empty: once no member is logged in and unpaused, live waiting callers leave. */
export function leaveIfEmpty(s: State, queue: QueueRec): void {
  const options = queue.options;
  if (!options.leave_when_empty || queue.members.some((m) => isStaffed(m.agent))) return;
  for (const call of [...queue.entries]) {
    if (call.phase === 'waiting') leaveQueue(s, call, 'empty', options.empty_to);
  }
}
