import type { EventEmitter } from 'node:events';
import { listInboundRoutes } from '../../config/repositories/routes.ts';
import { listHours } from '../../config/repositories/hours.ts';
import { getSettings } from '../../config/repositories/settings.ts';
import { parseTarget } from '../../config/site-schema.ts';
import { toE164 } from '../../trunks/number-format.ts';
import { isOpen } from '../open-hours.ts';
import type { InviteContext, InviteStep } from '../invite-context.ts';
import { uriUser } from '../sip-types.ts';

/**
 * A call from a trunk: its DID (Request-URI user, else To user) in E.164 picks the inbound route; exact DIDs
 * win over `*`. A route bound to another trunk does not match. Outside the route's `hours` the call goes to
 * `closed_to`. A trunk already carrying `max_calls` gets 503.
 */
export const routeInbound: InviteStep = (ctx) => {
  const { req, res, deps, caller } = ctx;
  if (!caller?.trunk) return 'next';
  const country = getSettings(deps.db).site.country;
  const raw = ctx.dialled || uriUser(req.get('To')) || '';
  const did = toE164(raw, country) ?? raw;
  const routes = listInboundRoutes(deps.db).filter((r) => r.trunk === undefined || r.trunk === caller.trunk);
  const route = routes.find((r) => r.did !== '*' && (toE164(r.did, country) ?? r.did) === did) ?? routes.find((r) => r.did === '*');
  if (!route) {
    deps.log.info({ did, trunk: caller.trunk }, 'inbound call to a DID with no route');
    res.send(404);
    return 'done';
  }
  // The slot is freed when the caller's leg (its Call-ID) ends, or when the call is refused by whichever step.
  const slot = deps.trunkHealth.tryAcquire(caller.trunk);
  if (!slot) {
    deps.log.warn({ trunk: caller.trunk }, 'inbound call refused: the trunk carries max_calls already');
    res.send(503, { headers: { 'Retry-After': '10' } });
    return 'done';
  }
  slot.bind(req.get('Call-ID') ?? '');
  // srf's Response is an EventEmitter that says 'end' with the final status (its types leave that out).
  (res as unknown as EventEmitter).once('end', ({ status }: { status: number }) => {
    if (status >= 300) slot.release();
  });
  ctx.destination = { kind: 'target', target: parseTarget(route.hours === undefined || routeOpen(ctx, route.hours) ? route.to : (route.closed_to ?? route.to)) };
  return 'next';
};

/** Hours the site file names always exist (site-validate checks it); a missing set is logged and taken as open. */
function routeOpen(ctx: InviteContext, name: string): boolean {
  const { deps } = ctx;
  const hours = listHours(deps.db).find((h) => h.name === name);
  if (!hours) {
    deps.log.warn({ hours: name }, 'inbound route names hours that do not exist: treated as open');
    return true;
  }
  const open = isOpen(hours, getSettings(deps.db).site.timezone, new Date());
  if (!open) deps.log.info({ hours: name }, 'inbound call outside hours: sent to closed_to');
  return open;
}
