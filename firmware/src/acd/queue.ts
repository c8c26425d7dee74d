import type { CallRec, QueueRec } from './state.ts';

/**
 * The waiting line of one queue: live callers and pending callbacks in one list, ordered by priority
 * (high first) and then by arrival `seq`. A callback or a resumed caller keeps its `seq`, so it keeps its
 * place among the others.
 */
function before(a: CallRec, b: CallRec): boolean {
  return a.priority > b.priority || (a.priority === b.priority && a.seq < b.seq);
}

export function insertEntry(queue: QueueRec, call: CallRec): void {
  const list = queue.entries;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(list[mid] as CallRec, call)) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, call);
}

export function removeEntry(queue: QueueRec, call: CallRec): void {
  const i = queue.entries.indexOf(call);
  if (i >= 0) queue.entries.splice(i, 1);
}

/** 1-based position in the line, callbacks included (they hold a place too). */
export function positionOf(queue: QueueRec, call: CallRec): number {
  return queue.entries.indexOf(call) + 1;
}

export function recordDecision(queue: QueueRec, call: CallRec): void {
  queue.recent.push(call.priority > 0);
  if (queue.recent.length > queue.options.priority_window) queue.recent.shift();
}

/**
 * True when priority callers already took their maximum share of the last `priority_window` routing
 * decisions. The share is over the whole window (decisions not made yet count as normal), so a burst of
 * priority callers after a quiet time is served first, up to the cap.
 */
export function priorityCapReached(queue: QueueRec): boolean {
  const max = queue.options.priority_share_max;
  if (max >= 1) return false;
  let priority = 0;
  for (const p of queue.recent) if (p) priority++;
  return priority / queue.options.priority_window >= max;
}
