import type { InviteStep } from '../invite-context.ts';

/** With rtpengine down a call could not carry audio: refuse it and tell the sender when to try again. */
export const refuseWithoutMedia: InviteStep = ({ deps, res }) => {
  if (deps.mediaUp()) return 'next';
  deps.log.warn('INVITE refused: rtpengine is down');
  res.send(503, { headers: { 'Retry-After': '30' } });
  return 'done';
};
