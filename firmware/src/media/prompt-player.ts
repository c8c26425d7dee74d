import type { NgClient } from './ng-client.ts';

export interface Leg {
  callId: string;
  /** The party that hears the prompt (rtpengine's from-tag for play media). */
  fromTag: string;
}

/**
 * Plays prompt files one after another to one party ("you are caller number" + "3"). rtpengine plays one file at a
 * time and a second play replaces the first, so each next file starts when the previous one's reported duration
 * has passed. Aborting stops the media at once.
 */
export async function playSequence(ng: NgClient, leg: Leg, files: string[], signal?: AbortSignal): Promise<'done' | 'aborted'> {
  for (const file of files) {
    if (signal?.aborted) return 'aborted';
    const res = await ng.command('playMedia', { 'call-id': leg.callId, 'from-tag': leg.fromTag, file });
    const ms = typeof res['duration'] === 'number' ? res['duration'] : 0;
    const finished = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    if (!finished) {
      await ng.command('stopMedia', { 'call-id': leg.callId, 'from-tag': leg.fromTag }).catch(() => undefined);
      return 'aborted';
    }
  }
  return 'done';
}

/** Music on hold: loops the file until stopped with stopMedia (rtpengine repeats it itself). */
export async function startMusic(ng: NgClient, leg: Leg, file: string): Promise<void> {
  await ng.command('playMedia', { 'call-id': leg.callId, 'from-tag': leg.fromTag, file, 'repeat-times': 1000 });
}
