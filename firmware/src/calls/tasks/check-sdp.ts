import { isUsableSdp } from '../../media/call-media.ts';
import type { InviteStep } from '../invite-context.ts';

/** Calls without a usable SDP offer (or a late offer, which the B2BUA does not take) get 488. */
export const checkSdp: InviteStep = ({ req, res }) => {
  if (isUsableSdp(req.body)) return 'next';
  res.send(488);
  return 'done';
};
