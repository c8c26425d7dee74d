import { getExtension, listExtensions } from '../../config/repositories/extensions.ts';
import { getFeatureCodes } from '../../config/repositories/policies.ts';
import type { InviteStep } from '../invite-context.ts';

/**
 * Feature codes dialled from a phone (site file `feature_codes`). Pickup (`*8`) takes a call ringing in the
 * caller's pickup group; `*8` followed by an extension takes a call ringing there (directed pickup).
 */
export const featureCodes: InviteStep = (ctx) => {
  const { deps, caller, dialled, req, res } = ctx;
  if (!caller?.extension || !/^[*#]/.test(dialled)) return 'next';
  const codes = getFeatureCodes(deps.db);
  if (dialled.startsWith(codes.pickup)) {
    const directed = dialled.slice(codes.pickup.length);
    let targets: Set<string>;
    if (directed) targets = new Set([directed]);
    else {
      const group = getExtension(deps.db, caller.extension)?.pickup_group;
      targets = new Set(group ? listExtensions(deps.db).filter((e) => e.pickup_group === group && e.number !== caller.extension).map((e) => e.number) : []);
    }
    const call = deps.pickups.find(targets);
    if (!call || !call.pickUp({ req, res, extension: caller.extension })) {
      res.send(404, 'Nothing To Pick Up', {});
    }
    return 'done';
  }
  return 'next';
};
