import type { InviteStep } from '../invite-context.ts';
import { resolveDialled } from '../route-call.ts';

/** A call from a phone: an extension, else the first outbound route whose pattern matches, else 404. */
export const routeInternal: InviteStep = (ctx) => {
  if (ctx.destination) return 'next';
  const dest = resolveDialled(ctx, ctx.dialled);
  if (dest.kind === 'none') {
    ctx.res.send(404);
    return 'done';
  }
  ctx.destination = dest;
  return 'next';
};
