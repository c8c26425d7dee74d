import type { Database } from 'better-sqlite3';
import type Srf from 'drachtio-srf';
import { deleteLeg, saveLeg, takeAllLegs } from '../config/repositories/call-legs.ts';
import type { Logger } from '../log.ts';
import type { Dialog } from './sip-types.ts';

/** Keeps the SIP dialogs of connected calls in the store while they last (see orphan hang-up below). */
export class LegStore {
  readonly #db: Database;
  readonly #log: Logger;

  constructor(db: Database, log: Logger) {
    this.#db = db;
    this.#log = log;
  }

  save(interactionId: string, legId: string, dialog: Dialog, nextHop: string | undefined): void {
    try {
      saveLeg(this.#db, {
        legId,
        interactionId,
        callId: dialog.sip.callId,
        localTag: dialog.sip.localTag,
        remoteTag: dialog.sip.remoteTag,
        localUri: dialog.local.uri,
        remoteUri: dialog.remote.uri,
        remoteTarget: dialog.remote.uri,
        nextHop: nextHop ?? null,
        startedAt: new Date().toISOString(),
      });
    } catch (err) {
      this.#log.error({ err }, 'could not store a call leg');
    }
  }

  /** The caller's leg before the answer is sent: with our To-tag chosen up front, nothing is known only later. */
  saveAnswering(interactionId: string, legId: string, req: { callId: string; localTag: string; remoteTag: string; requestUri: string; contact: string; nextHop: string }): void {
    try {
      saveLeg(this.#db, {
        legId,
        interactionId,
        callId: req.callId,
        localTag: req.localTag,
        remoteTag: req.remoteTag,
        localUri: req.requestUri,
        remoteUri: req.contact,
        remoteTarget: req.contact,
        nextHop: req.nextHop,
        startedAt: new Date().toISOString(),
      });
    } catch (err) {
      this.#log.error({ err }, 'could not store a call leg');
    }
  }

  remove(legId: string): void {
    try {
      deleteLeg(this.#db, legId);
    } catch (err) {
      this.#log.error({ err }, 'could not remove a stored call leg');
    }
  }
}

/**
 * At start: calls still stored belong to a run of the app that died mid-call. Their phones would sit in a silent
 * call, so each leg gets a BYE built from the stored dialog (Call-ID and tags are all a phone matches on).
 */
export async function hangUpOrphanLegs(srf: Srf, db: Database, log: Logger): Promise<number> {
  const legs = takeAllLegs(db);
  await Promise.allSettled(
    legs.map(
      (l) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 5000);
          const done = () => {
            clearTimeout(timer);
            resolve();
          };
          const send = srf.request.bind(srf) as unknown as (uri: string, opts: unknown, cb: (err: Error | null, req?: { on(e: 'response', f: () => void): void }) => void) => void;
          send(
            l.remoteTarget,
            {
              method: 'BYE',
              headers: {
                'Call-ID': l.callId,
                From: `<${l.localUri}>;tag=${l.localTag}`,
                To: `<${l.remoteUri}>;tag=${l.remoteTag}`,
                CSeq: '99999 BYE',
                Reason: 'SIP;cause=500;text="call server restarted"',
              },
              ...(l.nextHop ? { proxy: l.nextHop } : {}),
            },
            (err, req) => {
              if (err || !req) {
                log.warn({ err: err?.message, leg: l.legId }, 'could not hang up a leg left by the previous run');
                return done();
              }
              req.on('response', done);
            },
          );
        }),
    ),
  );
  if (legs.length > 0) log.warn({ legs: legs.length }, 'hung up call legs left by the previous run');
  return legs.length;
}
