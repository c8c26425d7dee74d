import { SECOND } from '../state.ts';
import type { Strategy } from './strategy.ts';

/**
 * Starts with the first member in list order and adds the next one every `progressive_step_s`, while the
 * earlier ones keep ringing.
 */
export const ringProgressively: Strategy = {
  fanout(ctx) {
    const started = ctx.call.firstOfferAt;
    if (started === undefined) return 1;
    return 1 + Math.floor((ctx.now - started) / (ctx.queue.options.progressive_step_s * SECOND));
  },
  fanoutGrowsAt(ctx) {
    const started = ctx.call.firstOfferAt;
    if (started === undefined) return null;
    const step = ctx.queue.options.progressive_step_s * SECOND;
    return started + (Math.floor((ctx.now - started) / step) + 1) * step;
  },
  choose: (candidates, want) => [...candidates].sort((a, b) => a.order - b.order).slice(0, want),
};
