import { detach } from '../parser/message.ts';
import type { WheelTimer } from '../transaction/timer-wheel.ts';
import type { Dest } from '../transaction/types.ts';
import type { WireConn } from '../wire/connection.ts';

/** An INVITE or SUBSCRIBE dialog (RFC 3261 section 12) and the app connection that owns it. */
export interface Dialog {
  /** `Call-ID;from-tag=<initiator's From tag>`, the id drachtio apps know it by. */
  id: string;
  role: 'uas' | 'uac';
  method: string;
  callId: string;
  localTag: string;
  remoteTag: string;
  /** From/To header values for requests we send inside the dialog (tags included). */
  localUri: string;
  remoteUri: string;
  remoteTarget: string;
  routeSet: string[];
  localSeq: number;
  remoteSeq: number;
  localContact: string;
  state: 'early' | 'confirmed';
  app: WireConn;
  /** The stream the dialog's peer reached us on (reused for requests towards it). */
  dest: Dest | undefined;
  /** The initial INVITE's server transaction id (UAS), used on the ACK delivered to the app. */
  inviteTxnId: string;
  /** CSeq and final status of the last INVITE we sent in this dialog (for the app's ACK). */
  ackCseq: number;
  ackStatus: number;
  /** UAS: 2xx retransmission until the ACK (13.3.1.4). */
  pending2xx: { wire: string; interval: number; txnId: string; timer?: WheelTimer; giveUp?: WheelTimer } | undefined;
  /** UAC: the ACK we sent for the 2xx, re-sent when the 2xx is retransmitted. */
  lastAck: { wire: string; dest: Dest } | undefined;
  /** Our last session description (and its type), offered again in session refreshes. */
  localSdp: { body: string; type: string } | undefined;
  /** RFC 4028 session timer: interval in seconds, who refreshes, and the pending refresh or expiry. */
  session: { secs: number; weRefresh: boolean; timer: WheelTimer | undefined } | undefined;
}

export function dialogKey(callId: string, localTag: string, remoteTag: string): string {
  return `${callId}|${localTag}|${remoteTag}`;
}

/** Dialogs by the app's id and by the identifiers in-dialog requests carry. */
export class DialogStore {
  readonly byId = new Map<string, Dialog>();
  private byKey = new Map<string, Dialog>();

  /**
   * Stores `d` with its text fields copied out of the messages they were read from (see `detach`): an idle
   * dialog would otherwise keep its INVITE and 200 alive, several times its own size.
   */
  add(d: Dialog): void {
    d.id = detach(d.id);
    d.localUri = detach(d.localUri);
    d.remoteUri = detach(d.remoteUri);
    d.remoteTarget = detach(d.remoteTarget);
    d.localContact = detach(d.localContact);
    d.routeSet = d.routeSet.map(detach);
    this.byId.set(d.id, d);
    this.byKey.set(dialogKey(d.callId, d.localTag, d.remoteTag), d);
  }

  /** Early dialogs may learn their remote tag late (UAC); re-key them. */
  rekey(d: Dialog, remoteTag: string): void {
    this.byKey.delete(dialogKey(d.callId, d.localTag, d.remoteTag));
    d.remoteTag = remoteTag;
    this.byKey.set(dialogKey(d.callId, d.localTag, d.remoteTag), d);
  }

  find(callId: string, localTag: string, remoteTag: string): Dialog | undefined {
    return this.byKey.get(dialogKey(callId, localTag, remoteTag));
  }

  remove(d: Dialog): void {
    if (this.byId.get(d.id) === d) this.byId.delete(d.id);
    const k = dialogKey(d.callId, d.localTag, d.remoteTag);
    if (this.byKey.get(k) === d) this.byKey.delete(k);
  }

  get size(): number {
    return this.byId.size;
  }
}
