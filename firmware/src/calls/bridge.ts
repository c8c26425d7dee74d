import { randomBytes } from 'node:crypto';
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
  /** Where the party's requests come from, as an outbound-proxy URI (a phone behind NAT). */
  nextHop?: string | undefined;
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
    this.#adopt(a);
    this.#adopt(b);
  }

  /** Watches a leg and stores its dialog, so a crash of the app still lets the next run hang it up. */
  #adopt(leg: BridgeLeg): void {
    this.#watch(leg);
    this.#deps.legs.save(this.interactionId, leg.legId, leg.dialog, leg.nextHop);
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
    for (const l of this.#legs) this.#deps.legs.remove(l.legId);
    this.#deps.cdrs.ended(remaining.legId, 'answered', cause);
    await destroy(remaining.dialog, cause);
    await this.media.delete().catch((err: Error) => this.#deps.log.warn({ err: err.message }, 'rtpengine delete failed; the reconcile will retry'));
  }

  /** A re-INVITE from one party: offered through rtpengine to the other; hold adds music for the held party. */
  async #modify(leg: BridgeLeg, req: SrfRequest, res: SrfResponse): Promise<void> {
    // A leg moved to another bridge (attended transfer) is handled there.
    if (!this.#legs.includes(leg)) return;
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
   * Takes `held` off hold for the box (its holder left in a transfer): a re-INVITE with `from`'s media, two-way.
   * `fromSdp` is `from`'s last SDP.
   */
  async #resume(held: BridgeLeg, from: BridgeLeg, fromSdp: string): Promise<void> {
    const offer = await this.media.offer(from.tag, twoWay(fromSdp), held.tag);
    const answer = await held.dialog.modify(offer);
    await this.media.answer(from.tag, held.tag, answer);
  }

  /** Media between two parties again as their dialogs last agreed, `a` offering. */
  async #reconnect(a: BridgeLeg, b: BridgeLeg): Promise<void> {
    await this.media.offer(a.tag, a.dialog.remote.sdp, b.tag);
    await this.media.answer(a.tag, b.tag, b.dialog.remote.sdp);
  }

  #notifier(leg: BridgeLeg): (frag: string, final: boolean) => Promise<unknown> {
    return (frag, final) =>
      leg.dialog
        .request({
          method: 'NOTIFY',
          headers: { Event: 'refer', 'Subscription-State': final ? 'terminated;reason=noresource' : 'active;expires=60', 'Content-Type': 'message/sipfrag;version=2.0' },
          body: `SIP/2.0 ${frag}\r\n`,
        } as unknown as SrfRequest)
        .catch(() => undefined);
  }

  /**
   * A successful transfer ends the transferor's call with BYE, which also ends the REFER subscription. The final
   * "200 OK" NOTIFY is not sent: the SIP engine ends the whole INVITE dialog when a terminated NOTIFY is answered,
   * and the BYE could then no longer be sent (reported to the engine's owner).
   */
  async #transferorLeaves(leg: BridgeLeg): Promise<void> {
    await destroy(leg.dialog, 'transferred');
  }

  /** The leg whose dialog with the box has this Call-ID (and, when given, this remote tag). */
  findLeg(callId: string, remoteTag: string | undefined): BridgeLeg | undefined {
    return this.#legs.find((l) => l.dialog.sip.callId === callId && (remoteTag === undefined || l.dialog.sip.remoteTag === remoteTag));
  }

  /**
   * Hands `keep` over to another bridge: this bridge's other leg (the transferor) is hung up and its media
   * deleted, while `keep`'s dialog lives on elsewhere.
   */
  async release(keep: BridgeLeg, cause: string): Promise<void> {
    if (this.#ended) return;
    const gone = this.#other(keep);
    this.#ended = true;
    this.#deps.live.delete(this);
    this.#legs[this.#legs.indexOf(keep)] = gone;
    this.#deps.cdrs.ended(gone.legId, 'transferred', cause);
    this.#deps.legs.remove(gone.legId);
    await destroy(gone.dialog, cause);
    await this.media.delete().catch(() => undefined);
  }

  /**
   * Attended transfer (REFER with Replaces): the transferor's two calls become one. The party of the other call
   * is re-INVITEd onto this call's media (it is in another rtpengine call), then the transferor leaves both.
   */
  async #attendedTransfer(leg: BridgeLeg, replaces: { callId: string; toTag?: string; fromTag?: string }, res: SrfResponse): Promise<void> {
    const other = this.#deps.live.all().find((b): b is Bridge => b instanceof Bridge && b !== this && b.findLeg(replaces.callId, replaces.fromTag) !== undefined);
    const consult = other?.findLeg(replaces.callId, replaces.fromTag);
    if (!other || !consult) {
      this.#deps.log.info({ replaces }, 'REFER with Replaces names no call of this box');
      res.send(481);
      return;
    }
    const moving = other.#other(consult);
    const stay = this.#other(leg);
    res.send(202);
    const notify = this.#notifier(leg);
    await notify('100 Trying', false);
    try {
      // Phones put the first call on hold before they consult: `stay` then agreed to only receive, and its
      // SDP says so. Offered as it is, the moving party would answer send-only and hear nothing; so it is
      // offered two-way, and `stay` is taken off hold below.
      const heldByTransferor = leg.held;
      const stayOffer = heldByTransferor ? twoWay(stay.dialog.remote.sdp) : stay.dialog.remote.sdp;
      // Naming the moving party's tag gives it its own port in this call. Without it rtpengine offered the
      // transferor's port: the moving phone sent there while its audio came from another port, which a phone
      // behind NAT (or one that checks the source) never lets in.
      const offer = await this.media.offer(stay.tag, stayOffer, moving.tag);
      let answer: string;
      try {
        answer = await moving.dialog.modify(offer);
      } catch (err) {
        // The offer turned `stay`'s audio to the moving party's new port; the transferor, who stays, gets it back.
        await this.#reconnect(stay, leg).catch((e: Error) => this.#deps.log.warn({ err: e.message }, 'reconnecting the transferor failed'));
        throw err;
      }
      await this.media.answer(stay.tag, moving.tag, answer);
      if (heldByTransferor) {
        await this.media.stopPlay(stay.tag).catch(() => undefined);
        await this.#resume(stay, moving, answer);
      } else if (stay.held) {
        // `stay` holds the call itself: the party it now holds gets the music.
        await this.media.playLoop(moving.tag, this.#deps.mohFile);
      }
      moving.held = false;
      this.#legs[this.#legs.indexOf(leg)] = moving;
      this.#adopt(moving);
      this.#deps.legs.remove(leg.legId);
      this.#deps.cdrs.ended(leg.legId, 'transferred', 'attended transfer');
      await other.release(moving, 'attended transfer');
      await this.#transferorLeaves(leg);
      this.#deps.log.info({ interaction: this.interactionId }, 'attended transfer done');
    } catch (err) {
      this.#deps.log.warn({ err: (err as Error).message }, 'attended transfer failed');
      await notify('503 Service Unavailable', true);
    }
  }

  /**
   * Blind transfer (REFER): the referrer leaves, the other party stays on its rtpengine port and the target is
   * rung with a fresh offer from it, so the remaining phone needs no re-INVITE (unless the referrer held it).
   */
  async #refer(leg: BridgeLeg, req: SrfRequest, res: SrfResponse): Promise<void> {
    if (!this.#legs.includes(leg)) return;
    const referTo = req.get('Refer-To');
    const target = uriUser(referTo);
    if (!target) {
      res.send(400);
      return;
    }
    const replaces = parseReplaces(referTo ?? '');
    if (replaces) {
      await this.#attendedTransfer(leg, replaces, res);
      return;
    }
    const dest = resolveDialled({ deps: this.#deps }, target);
    if (dest.kind === 'none') {
      res.send(404);
      return;
    }
    res.send(202);
    const notify = this.#notifier(leg);
    await notify('100 Trying', false);
    const stay = this.#other(leg);
    // As in the attended transfer: the target gets its own port (a tag of ours, its SIP tag is not known before
    // it answers), and a `stay` the transferor held is offered two-way and taken off hold once the target answers.
    const targetTag = randomBytes(8).toString('hex');
    const heldByTransferor = leg.held;
    try {
      const offerSdp = await this.media.offer(stay.tag, heldByTransferor ? twoWay(stay.dialog.remote.sdp) : stay.dialog.remote.sdp, targetTag);
      const result = await placeCall(
        { deps: this.#deps, interactionId: this.interactionId, callerNumber: stay.party.number, caller: stay.party, offerSdp, signal: new AbortController().signal },
        dest,
      );
      if (!result.ok) {
        await this.#reconnect(stay, leg).catch((e: Error) => this.#deps.log.warn({ err: e.message }, 'reconnecting the transferor failed'));
        await notify(`${result.status} Failed`, true);
        return;
      }
      await this.media.answer(stay.tag, targetTag, result.dialog.remote.sdp);
      const idx = this.#legs.indexOf(leg);
      const newLeg: BridgeLeg = { dialog: result.dialog, tag: targetTag, legId: result.legId, party: { number: target, extension: dest.kind === 'extension' ? target : undefined }, held: false };
      this.#legs[idx] = newLeg;
      this.#adopt(newLeg);
      this.#deps.legs.remove(leg.legId);
      if (heldByTransferor) {
        await this.media.stopPlay(stay.tag).catch(() => undefined);
        await this.#resume(stay, newLeg, result.dialog.remote.sdp);
      } else if (stay.held) {
        await this.media.playLoop(targetTag, this.#deps.mohFile);
      }
      this.#deps.cdrs.ended(leg.legId, 'transferred', `transferred to ${target}`);
      await this.#transferorLeaves(leg);
      this.#deps.log.info({ interaction: this.interactionId, to: target }, 'blind transfer done');
    } catch (err) {
      this.#deps.log.warn({ err: (err as Error).message }, 'transfer failed');
      if (this.#legs.includes(leg)) await this.#reconnect(stay, leg).catch(() => undefined);
      await notify('503 Service Unavailable', true);
    }
  }
}

/** The same SDP asking for audio both ways (its direction attributes, session or media level, made sendrecv). */
function twoWay(sdp: string): string {
  return sdp.replace(/^a=(sendonly|recvonly|inactive)(\r?)$/gm, 'a=sendrecv$2');
}

/** The Replaces of a Refer-To (`<sip:x@h?Replaces=callid%3Bto-tag%3Da%3Bfrom-tag%3Db>`), RFC 3891. */
export function parseReplaces(referTo: string): { callId: string; toTag?: string; fromTag?: string } | undefined {
  const m = /[?&]Replaces=([^&>]+)/i.exec(referTo);
  if (!m) return undefined;
  const [callId, ...params] = decodeURIComponent(m[1] as string).split(';');
  if (!callId) return undefined;
  const get = (k: string) => params.find((p) => p.trim().toLowerCase().startsWith(`${k}=`))?.split('=')[1]?.trim();
  return { callId: callId.trim(), toTag: get('to-tag'), fromTag: get('from-tag') };
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
