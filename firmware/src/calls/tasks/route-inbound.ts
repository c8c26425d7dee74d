import { listInboundRoutes } from '../../config/repositories/routes.ts';
import { getSettings } from '../../config/repositories/settings.ts';
import { parseTarget } from '../../config/site-schema.ts';
import { toE164 } from '../../trunks/number-format.ts';
import type { InviteStep } from '../invite-context.ts';
import { uriUser } from '../sip-types.ts';

/**
 * A call from a trunk: its DID (Request-URI user, else To user) in E.164 picks the inbound route; exact DIDs
 * win over `*`. A route bound to another trunk does not match. A trunk already carrying `max_calls` gets 503.
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
  // The slot is freed when the caller's leg (its Call-ID) ends.
  const slot = deps.trunkHealth.tryAcquire(caller.trunk);
  if (!slot) {
    deps.log.warn({ trunk: caller.trunk }, 'inbound call refused: the trunk carries max_calls already');
    res.send(503, { headers: { 'Retry-After': '10' } });
    return 'done';
  }
  slot.bind(req.get('Call-ID') ?? '');
  ctx.destination = { kind: 'target', target: parseTarget(route.to) };
  return 'next';
};
