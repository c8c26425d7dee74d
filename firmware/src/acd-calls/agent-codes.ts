import type { AcdInput } from '../acd/index.ts';
import { getFeatureCodes } from '../config/repositories/policies.ts';
import type { InviteContext } from '../calls/invite-context.ts';
import type { LiveCall } from '../calls/live-calls.ts';
import type { CallMedia } from '../media/call-media.ts';
import { playSequence } from '../media/prompt-player.ts';
import type { AdapterContext } from './adapter-context.ts';
import { answerInBox } from '../calls/answer-in-box.ts';

type AgentAction = 'agent_login' | 'agent_logout' | 'agent_pause' | 'agent_unpause';

const PROMPT: Record<AgentAction, string> = {
  agent_login: 'agent-logged-in',
  agent_logout: 'agent-logged-out',
  agent_pause: 'agent-paused',
  agent_unpause: 'agent-unpaused',
};

/** Pauses from the desk phone carry this reason; the web console's agent view offers the configured reasons. */
export const PHONE_PAUSE_REASON = 'phone';

/** Which agent feature code (site file `feature_codes`) was dialled, if any. */
export function agentAction(ctx: AdapterContext, dialled: string): AgentAction | undefined {
  const codes = getFeatureCodes(ctx.deps.db);
  return (Object.keys(PROMPT) as AgentAction[]).find((k) => codes[k] === dialled);
}

function input(action: AgentAction, agentId: string): AcdInput {
  switch (action) {
    case 'agent_login':
      return { type: 'agent-login', agentId };
    case 'agent_logout':
      return { type: 'agent-logout', agentId };
    case 'agent_pause':
      return { type: 'agent-pause', agentId, reason: PHONE_PAUSE_REASON };
    case 'agent_unpause':
      return { type: 'agent-unpause', agentId };
  }
}

/**
 * An agent's desk phone dialled a log-in / log-out / pause / unpause code: the distributor is told, and the phone
 * is answered with a confirmation prompt, then hung up. An extension that is no agent gets 403.
 */
export async function agentCode(ctx: AdapterContext, invite: InviteContext, action: AgentAction): Promise<void> {
  const { req, res, deps } = invite;
  const agentId = invite.caller?.extension;
  if (agentId === undefined || !ctx.acd.agents().some((a) => a.id === agentId)) {
    res.send(403, 'Not An Agent', {});
    return;
  }
  ctx.submit(input(action, agentId));
  ctx.log.info({ agent: agentId, action }, 'agent feature code');
  let media: CallMedia | undefined;
  const live: LiveCall = { mediaCallId: req.get('Call-ID') ?? '', connected: false, end: async () => abort.abort() };
  const abort = new AbortController();
  deps.live.add(live);
  try {
    const answered = await answerInBox(deps, req, res, (m) => {
      media = m;
    });
    answered.dialog.on('destroy', () => abort.abort());
    await playSequence(deps.ng, { callId: answered.media.callId, fromTag: answered.callerTag }, [ctx.prompts.file(PROMPT[action])], abort.signal);
    if (!abort.signal.aborted) answered.dialog.destroy();
  } catch (err) {
    deps.log.warn({ err: (err as Error).message }, 'agent code confirmation failed');
    if (!res.finalResponseSent) res.send(500);
  } finally {
    deps.live.delete(live);
    await media?.delete().catch(() => undefined);
  }
}
