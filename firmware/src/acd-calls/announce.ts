import type { AcdCommand } from '../acd/index.ts';
import { positionAnnouncement, pressKeyAnnouncement, waitAnnouncement } from '../media/number-prompts.ts';
import { playSequence, startMusic } from '../media/prompt-player.ts';
import type { AdapterContext } from './adapter-context.ts';
import type { QueuedCaller } from './queued-caller.ts';

type Announce = Extract<AcdCommand, { type: 'announce' }>;

/** The prompt ids of one announcement, as the queue's `announce` settings allow. */
export function announcementIds(ctx: AdapterContext, caller: QueuedCaller, cmd: Announce): string[] {
  // The distributor names the queue's callback key with the offer; the caller hears that key, whatever it is.
  if (cmd.prompt === 'callback-offer') return cmd.key === undefined ? [] : pressKeyAnnouncement('callback-offer', cmd.key);
  const settings = ctx.site().queues.get(caller.queue)?.announce;
  const ids: string[] = [];
  if (settings?.position !== false && cmd.position !== undefined) ids.push(...positionAnnouncement(Math.min(cmd.position, 999)));
  if (settings?.hold_time !== false && cmd.ewtS !== undefined && cmd.ewtS !== null) ids.push(...waitAnnouncement(cmd.ewtS));
  return ids;
}

/**
 * Plays position / wait / callback-offer prompts over the music, then the music again. A newer announcement, an
 * agent answering or the caller leaving aborts it at once.
 */
export async function announce(ctx: AdapterContext, cmd: Announce): Promise<void> {
  const caller = ctx.callers.get(cmd.callId);
  if (caller === undefined || caller.phase !== 'waiting') return;
  const ids = announcementIds(ctx, caller, cmd);
  if (ids.length > 0) await playOverMusic(ctx, caller, ids);
}

/**
 * The queue's own prompt (`announce.periodic_prompt`) every `announce.periodic_every_s` while the caller waits;
 * skipped when another announcement is playing at that moment.
 */
export function startPeriodicPrompt(ctx: AdapterContext, caller: QueuedCaller): void {
  const settings = ctx.site().queues.get(caller.queue)?.announce;
  const prompt = settings?.periodic_prompt;
  if (prompt === undefined || !settings?.periodic_every_s) return;
  caller.periodic = setInterval(() => {
    if (caller.phase !== 'waiting') clearInterval(caller.periodic);
    else if (caller.playing === undefined) void playOverMusic(ctx, caller, [prompt]);
  }, settings.periodic_every_s * 1000);
}

async function playOverMusic(ctx: AdapterContext, caller: QueuedCaller, ids: string[]): Promise<void> {
  caller.playing?.abort();
  const playing = new AbortController();
  caller.playing = playing;
  const leg = { callId: caller.media.callId, fromTag: caller.callerTag };
  try {
    const done = await playSequence(ctx.deps.ng, leg, ctx.prompts.files(ids), playing.signal);
    if (done === 'done' && caller.phase === 'waiting' && caller.playing === playing) await startMusic(ctx.deps.ng, leg, mohFile(ctx, caller.queue));
  } catch (err) {
    ctx.log.warn({ err: (err as Error).message, interaction: caller.interactionId }, 'announcement failed');
  } finally {
    if (caller.playing === playing) delete caller.playing;
  }
}

/** What the queue's waiting callers hear between announcements. */
export function mohFile(ctx: AdapterContext, queue: string): string {
  return ctx.prompts.file(ctx.site().queues.get(queue)?.music_on_hold ?? 'moh/default');
}
