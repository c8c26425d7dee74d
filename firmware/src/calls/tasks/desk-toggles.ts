import { getExtension } from '../../config/repositories/extensions.ts';
import { getFeatureCodes } from '../../config/repositories/policies.ts';
import { getSettings } from '../../config/repositories/settings.ts';
import { toE164 } from '../../trunks/number-format.ts';
import { answerWithPrompt } from '../answer-with-prompt.ts';
import { setDnd, setForwardAlways } from '../extension-toggles.ts';
import type { InviteStep } from '../invite-context.ts';

/**
 * DND and forward-always from the desk phone (site file `feature_codes`): `*78` / `*79` turn DND on / off,
 * `*72` followed by a number forwards every call there (an extension, else an outside number read with the
 * site's country), `*73` stops forwarding. The phone hears a confirmation and the box hangs up.
 */
export const deskToggles: InviteStep = async (ctx) => {
  const { deps, caller, dialled, req, res } = ctx;
  const ext = caller?.extension;
  if (!ext || !/^[*#]/.test(dialled)) return 'next';
  const codes = getFeatureCodes(deps.db);
  let prompt: string;
  if (dialled === codes.dnd_on || dialled === codes.dnd_off) {
    const on = dialled === codes.dnd_on;
    setDnd(deps.db, ext, on);
    prompt = on ? 'dnd-on' : 'dnd-off';
  } else if (dialled === codes.forward_cancel) {
    setForwardAlways(deps.db, ext, undefined);
    prompt = 'forward-off';
  } else if (dialled.startsWith(codes.forward_always)) {
    const number = dialled.slice(codes.forward_always.length);
    const target = forwardTarget(ctx, number);
    if (!target || number === ext) {
      res.send(484, 'Forward Target Not Understood', {});
      return 'done';
    }
    setForwardAlways(deps.db, ext, target);
    prompt = 'forward-on';
  } else return 'next';
  deps.log.info({ extension: ext, code: dialled }, 'desk phone feature code');
  await answerWithPrompt(deps, req, res, [deps.prompts.file(prompt)]);
  return 'done';
};

function forwardTarget(ctx: Parameters<InviteStep>[0], number: string): string | undefined {
  if (!/^\+?\d{2,20}$/.test(number)) return undefined;
  if (getExtension(ctx.deps.db, number)) return `extension:${number}`;
  const e164 = toE164(number, getSettings(ctx.deps.db).site.country);
  return e164 ? `external:${e164}` : undefined;
}
