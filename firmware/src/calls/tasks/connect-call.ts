import { randomUUID } from 'node:crypto';
import { getExtension } from '../../config/repositories/extensions.ts';
import { CallMedia, NoAllowedCodecError } from '../../media/call-media.ts';
import type { Codec } from '../../media/codec-policy.ts';
import { Bridge } from '../bridge.ts';
import { dispositionOf } from '../cdr-log.ts';
import type { InviteContext, InviteStep } from '../invite-context.ts';
import type { LiveCall } from '../live-calls.ts';
import { dialTarget, placeCall } from '../route-call.ts';
import { tagOf, type Dialog, type SrfRequest, type SrfResponse } from '../sip-types.ts';

/**
 * The B2BUA step: the caller's SDP is offered to rtpengine, the destination is rung with rtpengine's SDP, and
 * the answer goes back through rtpengine to the caller. Whatever happens, rtpengine's call is deleted unless a
 * Bridge took it over.
 */
export const connectCall: InviteStep = async (ctx): Promise<'done'> => {
  const { req, res, deps, caller, destination } = ctx;
  if (!caller || !destination) throw new Error('connectCall needs a caller and a destination');
  const interactionId = randomUUID();
  const legId = req.get('Call-ID') ?? interactionId;
  const callerTag = tagOf(req.get('From')) ?? interactionId;
  const media = new CallMedia(deps.ng, legId);
  const callerCodecs = caller.extension ? getExtension(deps.db, caller.extension)?.codecs : caller.trunk ? deps.trunks.get(caller.trunk)?.codecs : undefined;
  if (callerCodecs) media.allow(callerTag, callerCodecs);
  const abort = new AbortController();
  let answered = false;
  const setup: LiveCall = {
    mediaCallId: media.callId,
    connected: false,
    end: async (cause) => {
      abort.abort();
      if (!answered && !res.finalResponseSent) res.send(503, { headers: { 'Retry-After': '30', Reason: `SIP;cause=503;text="${cause}"` } });
    },
  };
  deps.live.add(setup);
  deps.cdrs.start({
    interactionId,
    legId,
    direction: caller.trunk ? 'inbound' : destination.kind === 'outbound' ? 'outbound' : 'internal',
    caller: caller.number,
    callee: ctx.dialled,
    trunk: caller.trunk,
    extension: caller.extension,
  });
  req.on('cancel', () => {
    abort.abort();
    deps.cdrs.ended(legId, 'cancelled', 'caller cancelled');
  });
  let picker: { req: SrfRequest; res: SrfResponse; extension: string } | undefined;
  const ringing = new Set<string>();
  const unlist = deps.pickups.add({
    ringing,
    pickUp: (p) => {
      if (answered || abort.signal.aborted) return false;
      picker = p;
      abort.abort();
      return true;
    },
  });
  // The callee's leg once it answered: hung up again if the caller's side fails after that.
  let callee: { dialog: Dialog; legId: string } | undefined;
  const callerHop = `sip:${req.source_address.includes(':') ? `[${req.source_address}]` : req.source_address}:${req.source_port};transport=${req.protocol}`;
  try {
    const offerSdp = await media.offer(callerTag, req.body);
    let rang = false;
    const env = {
      ringing,
      deps,
      interactionId,
      callerNumber: caller.number,
      caller,
      offerSdp,
      // Each extension or trunk rung gets the offer made again under its own codec policy.
      offerFor: (codecs: readonly Codec[]) => media.offer(callerTag, req.body, undefined, codecs),
      signal: abort.signal,
      onRinging: () => {
        if (rang || res.finalResponseSent) return;
        rang = true;
        res.send(180);
      },
    };
    const result = destination.kind === 'target' ? await dialTarget(env, destination.target, 0) : await placeCall(env, destination);
    unlist();
    if (picker) {
      if (result.ok) {
        result.dialog.destroy();
        deps.cdrs.ended(result.legId, 'cancelled', 'picked up elsewhere');
      }
      answered = true;
      deps.live.delete(setup);
      await connectPicker(ctx, media, interactionId, { tag: callerTag, legId }, picker);
      return 'done';
    }
    if (abort.signal.aborted) {
      if (result.ok) {
        result.dialog.destroy();
        deps.cdrs.ended(result.legId, 'cancelled', 'caller gone');
      }
      // Already written when the caller cancelled; not when the call was ended during setup (media lost).
      deps.cdrs.ended(legId, 'failed', 'call setup aborted');
      await media.delete();
      return 'done';
    }
    if (!result.ok && 'handOver' in result) {
      // Forwarded to a queue: the still unanswered caller goes to the queue app, which answers them with its own
      // media (this call's rtpengine session goes first, it has the same call-id) and continues this CDR.
      deps.live.delete(setup);
      await media.delete();
      ctx.destination = { kind: 'target', target: result.handOver };
      ctx.interactionId = interactionId;
      if ((await deps.queues?.handle(ctx)) === 'done') return 'done';
      res.send(480);
      deps.cdrs.ended(legId, 'no-answer', 'no queue app for the forwarding target');
      return 'done';
    }
    if (!result.ok) {
      res.send(result.status);
      deps.cdrs.ended(legId, dispositionOf(result.status), String(result.status));
      await media.delete();
      return 'done';
    }
    callee = { dialog: result.dialog, legId: result.legId };
    const calleeTag = result.dialog.sip.remoteTag;
    const callerSdp = await media.answer(callerTag, calleeTag, result.dialog.remote.sdp);
    // Both legs are stored before the caller hears the answer, so a crash from here on still hangs both up.
    const localTag = randomUUID().replace(/-/g, '').slice(0, 16);
    const contact = /<([^>]+)>/.exec(req.get('Contact') ?? '')?.[1] ?? req.get('Contact')?.split(';')[0]?.trim() ?? '';
    deps.legs.save(interactionId, result.legId, result.dialog, result.nextHop);
    deps.legs.saveAnswering(interactionId, legId, { callId: legId, localTag, remoteTag: callerTag, requestUri: req.uri, contact, nextHop: callerHop });
    const uas = await deps.srf.createUAS(req, res, { localSdp: callerSdp, headers: { To: `${req.get('To')};tag=${localTag}` } });
    // A CANCEL that crossed our 200: the engine has already answered 487, so there is no call to bridge.
    if (abort.signal.aborted) {
      uas.destroy();
      throw new Error('caller cancelled while the answer was sent');
    }
    answered = true;
    deps.cdrs.answered(legId);
    deps.live.delete(setup);
    new Bridge(
      deps,
      media,
      interactionId,
      { dialog: uas, tag: callerTag, legId, party: caller, held: false, nextHop: callerHop },
      { dialog: result.dialog, tag: calleeTag, legId: result.legId, party: { number: ctx.dialled }, held: false, nextHop: result.nextHop },
    );
    deps.log.info({ interaction: interactionId, from: caller.number, to: ctx.dialled }, 'call connected');
    return 'done';
  } catch (err) {
    deps.log.warn({ err: (err as Error).message, interaction: interactionId }, 'call setup failed');
    if (err instanceof NoAllowedCodecError) {
      if (!res.finalResponseSent) res.send(488);
    } else if (!res.finalResponseSent) res.send(/rtpengine/.test((err as Error).message) ? 503 : 500, { headers: { 'Retry-After': '30' } });
    deps.cdrs.ended(legId, abort.signal.aborted ? 'cancelled' : 'failed', abort.signal.aborted ? 'caller cancelled' : (err as Error).message);
    deps.legs.remove(legId);
    if (callee) {
      // The caller went away (CANCEL) while the callee's answer was being bridged.
      deps.legs.remove(callee.legId);
      callee.dialog.destroy();
      deps.cdrs.ended(callee.legId, 'cancelled', 'caller cancelled after the answer');
    }
    await media.delete().catch(() => undefined);
    return 'done';
  } finally {
    unlist();
    deps.live.delete(setup);
  }
};

/**
 * Call pickup: the picker's own INVITE carries an offer while the caller still waits for an answer to theirs. In
 * rtpengine the picker offers towards the caller, and the caller's original SDP stands in as its answer.
 */
async function connectPicker(
  ctx: InviteContext,
  media: CallMedia,
  interactionId: string,
  caller: { tag: string; legId: string },
  picker: { req: SrfRequest; res: SrfResponse; extension: string },
): Promise<void> {
  const { deps, req, res } = ctx;
  const pickerTag = tagOf(picker.req.get('From')) ?? randomUUID();
  const pickerLeg = picker.req.get('Call-ID') ?? randomUUID();
  try {
    const toCaller = await media.offer(pickerTag, picker.req.body, caller.tag);
    const toPicker = await media.answer(pickerTag, caller.tag, req.body);
    const callerDialog = await deps.srf.createUAS(req, res, { localSdp: toCaller });
    deps.cdrs.answered(caller.legId);
    const pickerDialog = await deps.srf.createUAS(picker.req, picker.res, { localSdp: toPicker });
    deps.cdrs.start({ interactionId, legId: pickerLeg, direction: 'internal', caller: ctx.caller?.number ?? '', callee: picker.extension, extension: picker.extension });
    deps.cdrs.answered(pickerLeg);
    const hop = (r: SrfRequest) => `sip:${r.source_address.includes(':') ? `[${r.source_address}]` : r.source_address}:${r.source_port};transport=${r.protocol}`;
    new Bridge(
      deps,
      media,
      interactionId,
      { dialog: callerDialog, tag: caller.tag, legId: caller.legId, party: ctx.caller ?? { number: '' }, held: false, nextHop: hop(req) },
      { dialog: pickerDialog, tag: pickerTag, legId: pickerLeg, party: { number: picker.extension, extension: picker.extension }, held: false, nextHop: hop(picker.req) },
    );
    deps.log.info({ interaction: interactionId, by: picker.extension }, 'call picked up');
  } catch (err) {
    deps.log.warn({ err: (err as Error).message }, 'pickup failed');
    if (!picker.res.finalResponseSent) picker.res.send(480);
    if (!res.finalResponseSent) res.send(480);
    deps.cdrs.ended(caller.legId, 'failed', 'pickup failed');
    await media.delete().catch(() => undefined);
  }
}
