import type { CallDeps } from './call-deps.ts';
import type { InviteContext, InviteStep } from './invite-context.ts';
import { uriUser, type SrfRequest, type SrfResponse } from './sip-types.ts';
import { checkSdp } from './tasks/check-sdp.ts';
import { connectCall } from './tasks/connect-call.ts';
import { deskToggles } from './tasks/desk-toggles.ts';
import { featureCodes } from './tasks/feature-codes.ts';
import { identifyCaller } from './tasks/identify-caller.ts';
import { refuseWithoutMedia } from './tasks/refuse-without-media.ts';
import { routeInbound } from './tasks/route-inbound.ts';
import { routeInternal } from './tasks/route-internal.ts';

/** Queue targets, queue numbers and the agent feature codes belong to the queue app (acd-calls) when it runs. */
const routeQueue: InviteStep = (ctx) => ctx.deps.queues?.handle(ctx) ?? 'next';

/** The steps of a new call, in order; each may answer the INVITE and stop the chain. */
const STEPS: readonly InviteStep[] = [refuseWithoutMedia, checkSdp, identifyCaller, featureCodes, deskToggles, routeInbound, routeQueue, routeInternal, connectCall];

export function inviteHandler(deps: CallDeps): (req: SrfRequest, res: SrfResponse) => void {
  return (req, res) => {
    const ctx: InviteContext = { req, res, deps, dialled: uriUser(req.uri) ?? '' };
    void (async () => {
      for (const step of STEPS) if ((await step(ctx)) === 'done') return;
    })().catch((err: Error) => {
      deps.log.error({ err }, 'INVITE handling failed');
      if (!res.finalResponseSent) res.send(500);
    });
  };
}
