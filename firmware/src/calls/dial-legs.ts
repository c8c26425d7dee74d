import type { Disposition } from './cdr-log.ts';
import { dispositionOf } from './cdr-log.ts';
import type { CallDeps } from './call-deps.ts';
import type { Codec } from '../media/codec-policy.ts';
import type { Dialog, SrfRequest } from './sip-types.ts';

/** One destination to ring: a registered contact (sent to where it registered from) or a trunk. */
export interface DialAttempt {
  uri: string;
  /** Next hop, e.g. `sip:198.51.100.7:5060;transport=udp` (the NAT-received address of a phone). */
  proxy?: string;
  headers: Record<string, string>;
  auth?: { username: string; password: string };
  cdr: { direction: 'inbound' | 'outbound' | 'internal'; callee: string; extension?: string; trunk?: string };
}

export interface DialEnv {
  deps: CallDeps;
  interactionId: string;
  callerNumber: string;
  /** rtpengine's SDP for the new party. */
  offerSdp: string;
  /** rtpengine's SDP for a party allowed these codecs (the offer made again under its policy). */
  offerFor?(codecs: readonly Codec[]): Promise<string>;
  /** Aborts every ringing leg (the caller hung up). */
  signal: AbortSignal;
  onRinging?(): void;
  /** Extensions ringing now (the pickup code looks here). */
  ringing?: Set<string>;
}

export type DialResult = { ok: true; dialog: Dialog; legId: string; nextHop?: string | undefined } | { ok: false; status: number };

/**
 * Rings all attempts at once; the first to answer wins and the others are cancelled. After timeoutMs
 * everything still ringing is cancelled and the result is 480 (no answer).
 */
export function dialLegs(env: DialEnv, attempts: readonly DialAttempt[], timeoutMs: number): Promise<DialResult> {
  const { deps } = env;
  if (attempts.length === 0) return Promise.resolve({ ok: false, status: 480 });
  return new Promise((resolve) => {
    let settled = false;
    let timedOut = false;
    let remaining = attempts.length;
    const statuses: number[] = [];
    const pending = new Set<SrfRequest>();
    const cancelAll = () => {
      for (const r of pending) r.cancel(() => undefined);
      pending.clear();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      cancelAll();
    }, timeoutMs);
    const onAbort = () => cancelAll();
    env.signal.addEventListener('abort', onAbort, { once: true });
    const finish = (r: DialResult) => {
      settled = true;
      clearTimeout(timer);
      env.signal.removeEventListener('abort', onAbort);
      resolve(r);
    };

    for (const a of attempts) {
      deps.log.debug({ uri: a.uri, proxy: a.proxy }, 'dialling');
      let legId: string | undefined;
      let sent: SrfRequest | undefined;
      const createUac = deps.srf.createUAC.bind(deps.srf) as unknown as (
        uri: string,
        opts: object,
        progress: { cbRequest(err: unknown, req: SrfRequest): void; cbProvisional(res: { status: number }): void },
      ) => Promise<Dialog>;
      createUac(
          a.uri,
          { localSdp: env.offerSdp, headers: a.headers, ...(a.proxy ? { proxy: a.proxy } : {}), ...(a.auth ? { auth: a.auth } : {}) },
          {
            cbRequest: (_err: unknown, req: SrfRequest) => {
              // A digest retry sends a second request on the same Call-ID: one leg, one CDR.
              if (sent) pending.delete(sent);
              sent = req;
              pending.add(req);
              if (settled || env.signal.aborted) req.cancel(() => undefined);
              if (legId) return;
              legId = req.get('Call-ID');
              deps.cdrs.start({ interactionId: env.interactionId, legId, direction: a.cdr.direction, caller: env.callerNumber, callee: a.cdr.callee, extension: a.cdr.extension, trunk: a.cdr.trunk });
            },
            cbProvisional: (res: { status: number }) => {
              if (res.status === 180 || res.status === 183) env.onRinging?.();
            },
          },
      ).then(
          (dialog) => {
            if (sent) pending.delete(sent);
            if (settled) {
              // Two phones answered at once: the later one is hung up.
              dialog.destroy();
              if (legId) deps.cdrs.ended(legId, 'cancelled', 'answered elsewhere');
              return;
            }
            if (legId) deps.cdrs.answered(legId);
            pending.delete(sent as SrfRequest);
            cancelAll();
            finish({ ok: true, dialog, legId: legId ?? dialog.sip.callId, nextHop: a.proxy });
          },
          (err: { status?: number; message?: string }) => {
            if (sent) pending.delete(sent);
            const status = typeof err.status === 'number' ? err.status : 503;
            if (status === 503 && typeof err.status !== 'number') deps.log.warn({ err: err.message, uri: a.uri }, 'could not send INVITE');
            statuses.push(status);
            const disposition: Disposition = timedOut ? 'no-answer' : env.signal.aborted ? 'cancelled' : dispositionOf(status);
            if (legId) deps.cdrs.ended(legId, disposition, `${status}`);
            if (--remaining === 0 && !settled) finish({ ok: false, status: timedOut ? 480 : bestStatus(statuses) });
          },
        );
    }
  });
}

/** RFC 3261 16.7 in short: busy beats unavailable beats other failures. */
function bestStatus(statuses: number[]): number {
  for (const s of [486, 600, 603, 480, 404]) if (statuses.includes(s)) return s;
  return statuses.find((s) => s >= 400 && s < 500) ?? statuses[0] ?? 480;
}
