import { parseTarget, type SiteFile } from './site-schema.ts';
import type { PathSegment } from './site-errors.ts';

export interface RefError {
  segments: PathSegment[];
  message: string;
}

/**
 * Checks what the shape cannot: unique names and numbers, and that every reference points at something the
 * same file defines (the file is the whole configuration, so nothing outside it counts).
 */
export function validateReferences(site: SiteFile): RefError[] {
  const errors: RefError[] = [];
  const err = (segments: PathSegment[], message: string) => errors.push({ segments, message });

  /** Records the first index of each key; a repeat is an error pointing back at the first. */
  const unique = <T>(items: readonly T[], key: (t: T) => string, at: (i: number) => PathSegment[], what: string, firstAt: (i: number) => string) => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const k = key(item);
      const first = seen.get(k);
      if (first === undefined) seen.set(k, i);
      else err(at(i), `duplicate ${what} ${k} (already used by ${firstAt(first)})`);
    });
    return seen;
  };

  const extensions = unique(site.extensions, (e) => e.number, (i) => ['extensions', i, 'number'], 'number', (i) => `extensions[${i}]`);
  const queues = unique(site.queues, (q) => q.number, (i) => ['queues', i, 'number'], 'queue number', (i) => `queues[${i}]`);
  site.queues.forEach((q, i) => {
    const e = extensions.get(q.number);
    if (e !== undefined) err(['queues', i, 'number'], `${q.number} is already extensions[${e}]: extension and queue numbers share one dial plan`);
  });
  const ivrs = unique(site.ivr, (f) => f.name, (i) => ['ivr', i, 'name'], 'IVR flow', (i) => `ivr[${i}]`);
  const hours = unique(site.hours, (h) => h.name, (i) => ['hours', i, 'name'], 'hours', (i) => `hours[${i}]`);
  const trunks = unique(site.trunks, (t) => t.name, (i) => ['trunks', i, 'name'], 'trunk', (i) => `trunks[${i}]`);
  unique(site.phones, (p) => p.mac.replace(/[:-]/g, '').toLowerCase(), (i) => ['phones', i, 'mac'], 'phone', (i) => `phones[${i}]`);
  unique(site.pause_reasons, (r) => r.code, (i) => ['pause_reasons', i, 'code'], 'pause reason', (i) => `pause_reasons[${i}]`);
  unique(site.routes.inbound, (r) => r.did, (i) => ['routes', 'inbound', i, 'did'], 'DID', (i) => `routes.inbound[${i}]`);
  unique(site.snmp.communities, (c) => c.name, (i) => ['snmp', 'communities', i, 'name'], 'community', (i) => `snmp.communities[${i}]`);
  unique(site.users, (u) => u.username, (i) => ['users', i, 'username'], 'user', (i) => `users[${i}]`);
  const codes = Object.entries(site.feature_codes);
  unique(codes, ([, code]) => code, (i) => ['feature_codes', codes[i]?.[0] ?? i], 'feature code', (i) => `feature_codes.${codes[i]?.[0]}`);

  const extensionExists = (segments: PathSegment[], n: string) => {
    if (!extensions.has(n)) err(segments, `extension ${n} does not exist (not in extensions)`);
  };
  const queueExists = (segments: PathSegment[], n: string) => {
    if (!queues.has(n)) err(segments, `queue ${n} does not exist (not in queues)`);
  };
  const target = (segments: PathSegment[], t: string, self?: string) => {
    const parsed = parseTarget(t);
    if (parsed.kind === 'extension') extensionExists(segments, parsed.number);
    else if (parsed.kind === 'queue') {
      queueExists(segments, parsed.number);
      if (parsed.number === self) err(segments, `queue ${self} cannot send callers to itself`);
    } else if (parsed.kind === 'ivr' && !ivrs.has(parsed.name)) err(segments, `IVR flow ${parsed.name} does not exist (not in ivr)`);
  };

  site.extensions.forEach((e, i) => {
    for (const [k, t] of Object.entries(e.forward ?? {})) if (t !== undefined) target(['extensions', i, 'forward', k], t);
  });
  site.phones.forEach((p, i) => extensionExists(['phones', i, 'extension'], p.extension));

  site.queues.forEach((q, i) => {
    const members = new Set<string>();
    q.members.forEach((m, j) => {
      const n = typeof m === 'string' ? m : m.extension;
      const at: PathSegment[] = typeof m === 'string' ? ['queues', i, 'members', j] : ['queues', i, 'members', j, 'extension'];
      const ext = site.extensions[extensions.get(n) ?? -1];
      if (ext === undefined) err(at, `extension ${n} does not exist (not in extensions)`);
      else if (ext.agent === undefined) err(at, `extension ${n} is not an agent: add "agent: {}" to it to let it take queue calls`);
      if (members.has(n)) err(at, `extension ${n} is listed twice`);
      members.add(n);
    });
    if (q.overflow !== null) target(['queues', i, 'overflow', 'to'], q.overflow.to, q.number);
    target(['queues', i, 'max_wait_to'], q.max_wait_to, q.number);
    target(['queues', i, 'max_len_to'], q.max_len_to, q.number);
    target(['queues', i, 'empty_to'], q.empty_to, q.number);
    for (const [key, to] of Object.entries(q.exit_keys)) target(['queues', i, 'exit_keys', key], to, q.number);
  });

  site.ivr.forEach((flow, i) => {
    const nodeIds = new Set(Object.keys(flow.nodes));
    if (!nodeIds.has(flow.start)) err(['ivr', i, 'start'], `node ${flow.start} does not exist in this flow's nodes`);
    const ivrTarget = (segments: PathSegment[], t: string) => {
      const parsed = parseTarget(t);
      if (parsed.kind === 'node') {
        if (!nodeIds.has(parsed.id)) err(segments, `node ${parsed.id} does not exist in this flow's nodes`);
      } else target(segments, t);
    };
    for (const [id, node] of Object.entries(flow.nodes)) {
      const at = (...rest: PathSegment[]): PathSegment[] => ['ivr', i, 'nodes', id, ...rest];
      switch (node.type) {
        case 'announce':
          ivrTarget(at('next'), node.next);
          break;
        case 'menu':
          for (const [key, t] of Object.entries(node.options)) ivrTarget(at('options', key), t);
          ivrTarget(at('on_fail'), node.on_fail);
          break;
        case 'collect':
          if (node.min_digits > node.max_digits) err(at('min_digits'), 'must not be more than max_digits');
          ivrTarget(at('next'), node.next);
          break;
        case 'schedule':
          if (!hours.has(node.hours)) err(at('hours'), `hours ${node.hours} do not exist (not in hours)`);
          ivrTarget(at('open'), node.open);
          ivrTarget(at('closed'), node.closed);
          if (node.holiday !== undefined) ivrTarget(at('holiday'), node.holiday);
          break;
        case 'route':
          target(at('to'), node.to);
          break;
        case 'hangup':
          break;
      }
    }
  });

  site.hours.forEach((h, i) => {
    unique(h.holidays, (d) => d.date, (j) => ['hours', i, 'holidays', j, 'date'], 'holiday date', (j) => `hours[${i}].holidays[${j}]`);
  });

  site.routes.inbound.forEach((r, i) => {
    target(['routes', 'inbound', i, 'to'], r.to);
    if (r.closed_to !== undefined) target(['routes', 'inbound', i, 'closed_to'], r.closed_to);
    if (r.trunk !== undefined && !trunks.has(r.trunk)) err(['routes', 'inbound', i, 'trunk'], `trunk ${r.trunk} does not exist (not in trunks)`);
    if (r.hours !== undefined && !hours.has(r.hours)) err(['routes', 'inbound', i, 'hours'], `hours ${r.hours} do not exist (not in hours)`);
  });
  site.routes.outbound.forEach((r, i) => {
    r.trunks.forEach((t, j) => {
      if (!trunks.has(t)) err(['routes', 'outbound', i, 'trunks', j], `trunk ${t} does not exist (not in trunks)`);
      if (r.trunks.indexOf(t) !== j) err(['routes', 'outbound', i, 'trunks', j], `trunk ${t} is listed twice`);
    });
  });

  site.recording.queues.forEach((n, i) => queueExists(['recording', 'queues', i], n));
  site.recording.extensions.forEach((n, i) => extensionExists(['recording', 'extensions', i], n));

  site.users.forEach((u, i) => {
    if (u.extension !== undefined) extensionExists(['users', i, 'extension'], u.extension);
    u.queues.forEach((n, j) => queueExists(['users', i, 'queues', j], n));
  });

  return errors;
}
