import { isUsableSdp, sdpDirection, type CallMedia } from '../media/call-media.ts';
import type { CallDeps, Party } from './call-deps.ts';
import type { LiveCall } from './live-calls.ts';
import { placeCall, resolveDialled } from './route-call.ts';
import { uriUser, type Dialog, type SrfRequest, type SrfResponse } from './sip-types.ts';

/** One party of a connected call: its SIP dialog with the box and its tag in rtpengine. */
export interface BridgeLeg {
  dialog: Dialog;
  tag: string;
  legId: string;
  party: Party;
  held: boolean;
}

/**
 * A connected two-party call: hang-up on either side ends the other, re-INVITEs go through rtpengine (hold plays
 * music to the held party), REFER transfers. It is a LiveCall, so a media fault or shutdown ends it cleanly.
 */
export class Bridge implements LiveCall {
  readonly mediaCallId: string;
  readonly connected = true;
  readonly media: CallMedia;
  readonly interactionId: string;
  readonly #deps: CallDeps;
  readonly #legs: [BridgeLeg, BridgeLeg];
  #ended = false;

  constructor(deps: CallDeps, media: CallMedia, interactionId: string, a: BridgeLeg, b: BridgeLeg) {
    this.#deps = deps;
    this.media = media;
    this.mediaCallId = media.callId;
    this.interactionId = interactionId;
    this.#legs = [a, b];
    deps.live.add(this);
    this.#watch(a);
    this.#watch(b);
  }

  legs(): readonly BridgeLeg[] {
    return this.#legs;
  }

  #other(leg: BridgeLeg): BridgeLeg {
    return this.#legs[0] === leg ? this.#legs[1] : this.#legs[0];
  }

  #watch(leg: BridgeLeg): void {
    leg.dialog.on('destroy', () => void this.#hungUp(leg));
    leg.dialog.on('modify', (req: SrfRequest, res: SrfResponse) => void this.#modify(leg, req, res));
    leg.dialog.on('refer', (req: SrfRequest, res: SrfResponse) => void this.#refer(leg, req, res));
  }

  async #hungUp(leg: BridgeLeg): Promise<void> {
    if (!this.#legs.includes(leg)) return;
    this.#deps.cdrs.ended(leg.legId, 'answered', 'hung up');
    await this.#finish(this.#other(leg), 'other party hung up');
  }

  /** Ends the call from the box's side: BYE to both parties with the cause, media deleted, CDRs complete. */
  async end(cause: string): Promise<void> {
    if (this.#ended) return;
    this.#deps.log.info({ interaction: this.interactionId, cause }, 'ending call');
    const [a, b] = this.#legs;
    this.#deps.cdrs.ended(a.legId, 'answered', cause);
    await this.#finish(b, cause);
    await destroy(a.dialog, cause);
  }

  async #finish(remaining: BridgeLeg, cause: string): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    this.#deps.live.delete(this);
    this.#deps.cdrs.ended(remaining.legId, 'answered', cause);
    await destroy(remaining.dialog, cause);
    await this.media.delete().catch((err: Error) => this.#deps.log.warn({ err: err.message }, 'rtpengine delete failed; the reconcile will retry'));
  }

  /** A re-INVITE from one party: offered through rtpengine to the other; hold adds music for the held party. */
  async #modify(leg: BridgeLeg, req: SrfRequest, res: SrfResponse): Promise<void> {
    const other = this.#other(leg);
    const sdp = req.body;
    if (!isUsableSdp(sdp)) {
      res.send(488);
      return;
    }
    try {
      const dir = sdpDirection(sdp);
      const holding = dir === 'sendonly' || dir === 'inactive';
      const toOther = await this.media.offer(leg.tag, sdp, other.tag);
      const otherAnswer = await other.dialog.modify(toOther);
      const back = await this.media.answer(leg.tag, other.tag, otherAnswer);
      res.send(200, { body: back });
      if (holding && !leg.held) {
        leg.held = true;
        await this.media.playLoop(other.tag, this.#deps.mohFile);
      } else if (!holding && leg.held) {
        leg.held = false;
        await this.media.stopPlay(other.tag);
      }
    } catch (err) {
      this.#deps.log.warn({ err: (err as Error).message }, 're-INVITE failed');
      if (!res.finalResponseSent) res.send(500);
    }
  }

  /**
   * Blind transfer (REFER): the referrer leaves, the other party stays on its rtpengine port and the target is
   * rung with a fresh offer from it, so the remaining phone needs no re-INVITE.
   */
  async #refer(leg: BridgeLeg, req: SrfRequest, res: SrfResponse): Promise<void> {
    const referTo = req.get('Refer-To');
    const target = uriUser(referTo);
    if (!target || /replaces/i.test(referTo ?? '')) {
      res.send(target ? 501 : 400);
      return;
    }
    const dest = resolveDialled({ deps: this.#deps }, target);
    if (dest.kind === 'none') {
      res.send(404);
      return;
    }
    res.send(202);
    const notify = (frag: string, final: boolean) =>
      leg.dialog
        .request({
          method: 'NOTIFY',
          headers: { Event: 'refer', 'Subscription-State': final ? 'terminated;reason=noresource' : 'active;expires=60', 'Content-Type': 'message/sipfrag;version=2.0' },
          body: `SIP/2.0 ${frag}\r\n`,
        } as unknown as SrfRequest)
        .catch(() => undefined);
    await notify('100 Trying', false);
    const stay = this.#other(leg);
    try {
      const offerSdp = await this.media.offer(stay.tag, stay.dialog.remote.sdp);
      const result = await placeCall(
        { deps: this.#deps, interactionId: this.interactionId, callerNumber: stay.party.number, caller: stay.party, offerSdp, signal: new AbortController().signal },
        dest,
      );
      if (!result.ok) {
        await notify(`${result.status} Failed`, true);
        return;
      }
      const answerSdp = await this.media.answer(stay.tag, result.dialog.sip.remoteTag, result.dialog.remote.sdp);
      void answerSdp;
      const idx = this.#legs.indexOf(leg);
      const newLeg: BridgeLeg = { dialog: result.dialog, tag: result.dialog.sip.remoteTag, legId: result.legId, party: { number: target, extension: dest.kind === 'extension' ? target : undefined }, held: false };
      this.#legs[idx] = newLeg;
      this.#watch(newLeg);
      if (stay.held || leg.held) await this.media.stopPlay(stay.tag).catch(() => undefined);
      this.#deps.cdrs.ended(leg.legId, 'transferred', `transferred to ${target}`);
      await notify('200 OK', true);
      await destroy(leg.dialog, 'transferred');
      this.#deps.log.info({ interaction: this.interactionId, to: target }, 'blind transfer done');
    } catch (err) {
      this.#deps.log.warn({ err: (err as Error).message }, 'transfer failed');
      await notify('503 Service Unavailable', true);
    }
  }
}

/** BYE with a Reason; bounded, because a BYE the engine cannot deliver must not hold up the caller. */
async function destroy(dialog: Dialog, cause: string): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 3000);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    try {
      dialog.destroy({ headers: { Reason: `SIP;cause=200;text="${cause.replace(/"/g, "'")}"` } }, done);
    } catch {
      done();
    }
  });
}
