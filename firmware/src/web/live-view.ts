import type { Caller } from './api.ts';
import { allowed } from './auth/roles.ts';
import type { LiveSnapshot, LiveTopic } from './live-state.ts';

/**
 * The part of the live state a caller may see, topic by topic: agents see themselves, their own calls and the
 * queues they work; supervisors their queues and those queues' agents and calls; undefined = not allowed.
 * `members` are the configured queue members, so a supervisor also sees their logged-out agents.
 */
export function liveView(caller: Caller, snap: LiveSnapshot, topic: LiveTopic, members: ReadonlyMap<string, readonly string[]>): unknown {
  const { role, extension, queues } = caller.user;
  const inQueues = (qs: readonly string[]) => (ext: string) => qs.some((q) => members.get(q)?.includes(ext));
  switch (topic) {
    case 'registrations':
    case 'trunks':
    case 'leds':
      return allowed(role, 'live.read') ? snap[topic] : undefined;
    case 'health':
      return snap.health;
    case 'calls':
      if (role === 'agent') return snap.calls.filter((c) => c.extension !== undefined && c.extension === extension);
      if (role === 'supervisor') {
        const mine = inQueues(queues);
        return snap.calls.filter((c) => (c.queue !== undefined && queues.includes(c.queue)) || (c.extension !== undefined && mine(c.extension)));
      }
      return allowed(role, 'live.read') ? snap.calls : undefined;
    case 'queues':
      if (role === 'agent') {
        const own = snap.agents.find((a) => a.extension === extension)?.queues ?? [];
        return snap.queues.filter((q) => own.includes(q.number) || (extension !== undefined && members.get(q.number)?.includes(extension)));
      }
      if (role === 'supervisor') return snap.queues.filter((q) => queues.includes(q.number));
      return allowed(role, 'live.queues') ? snap.queues : undefined;
    case 'agents':
      if (role === 'agent') return snap.agents.filter((a) => a.extension === extension);
      if (role === 'supervisor') {
        const mine = inQueues(queues);
        return snap.agents.filter((a) => mine(a.extension) || a.queues.some((q) => queues.includes(q)));
      }
      return allowed(role, 'live.queues') ? snap.agents : undefined;
  }
}
