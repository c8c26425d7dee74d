import type { CoreContext } from '../core-context.ts';
import type { SipMessage } from '../parser/message.ts';
import { parseParams } from '../parser/tokens.ts';
import type { Dialog } from './dialog.ts';

/** `Session-Expires: delta[;refresher=uac|uas]` (RFC 4028 section 4), undefined when absent or unreadable. */
export function sessionExpires(msg: SipMessage): { secs: number; refresher: 'uac' | 'uas' | undefined } | undefined {
  const v = msg.get('session-expires');
  if (v === undefined) return undefined;
  const m = /^\s*(\d+)\s*(;.*)?$/.exec(v);
  if (!m) return undefined;
  const r = parseParams(m[2] ?? '').get('refresher')?.toLowerCase();
  return { secs: Number(m[1]), refresher: r === 'uac' || r === 'uas' ? r : undefined };
}

/** What a session timer does to its dialog (InDialogRequests provides both). */
export interface SessionActions {
  hangUpUnsolicited(d: Dialog, text: string): Promise<void>;
  engineReInvite(d: Dialog, headers: [string, string][], onFinal: (res: SipMessage) => void): Promise<void>;
}

/**
 * RFC 4028 session timers the way drachtio-server runs them (srf only answers refreshes): the engine refuses too
 * short intervals with 422, arms a timer when a 200 settles the interval, sends the refreshing re-INVITE itself when
 * it is the refresher (the app does not see it), and hangs up when the peer was to refresh and did not.
 */
export class SessionTimers {
  private ctx: CoreContext;
  private inDialog: SessionActions;

  constructor(ctx: CoreContext, inDialog: SessionActions) {
    this.ctx = ctx;
    this.inDialog = inDialog;
  }

  /** Min-SE to answer 422 with when an INVITE or UPDATE asks for a shorter session interval. */
  tooSmall(req: SipMessage): number | undefined {
    if (req.method !== 'INVITE' && req.method !== 'UPDATE') return undefined;
    const se = sessionExpires(req);
    return se && se.secs < this.ctx.opts.minSe ? this.ctx.opts.minSe : undefined;
  }

  /**
   * A 2xx we send to an INVITE or UPDATE from the network. The app's own Session-Expires wins; else a refresher the
   * caller named is honoured and echoed (with Require: timer); without one no timer runs (drachtio's default).
   */
  answering(d: Dialog, req: SipMessage, res: SipMessage): void {
    const mine = sessionExpires(res);
    if (mine) return this.arm(d, Math.max(this.ctx.opts.minSe, mine.secs), mine.refresher === 'uas');
    const theirs = sessionExpires(req);
    if (!theirs?.refresher) return;
    const secs = Math.max(this.ctx.opts.minSe, theirs.secs);
    res.add('Session-Expires', `${secs};refresher=${theirs.refresher}`);
    if (/\btimer\b/i.test(req.get('supported') ?? '') && !/\btimer\b/i.test(res.get('require') ?? '')) res.add('Require', 'timer');
    this.arm(d, secs, theirs.refresher === 'uas');
  }

  /** A 2xx to an INVITE or UPDATE we sent: refresher=uac (or none named) makes us the refresher. */
  answered(d: Dialog, res: SipMessage): void {
    const se = sessionExpires(res);
    if (se) this.arm(d, se.secs, se.refresher !== 'uas');
  }

  /** A refresh from the network restarts the clock (a re-INVITE or UPDATE carrying Session-Expires). */
  refreshed(d: Dialog, req: SipMessage): void {
    const se = sessionExpires(req);
    if (!se) return;
    this.arm(d, Math.max(this.ctx.opts.minSe, se.secs), se.refresher === 'uas' || (!se.refresher && (d.session?.weRefresh ?? false)));
  }

  arm(d: Dialog, secs: number, weRefresh: boolean): void {
    if (d.session) this.ctx.wheel.cancel(d.session.timer);
    // the refresher acts at half the interval (RFC 4028 section 10); the other side waits the whole interval
    const ms = weRefresh ? (secs * 1000) / 2 : secs * 1000;
    const s: NonNullable<Dialog['session']> = { secs, weRefresh, timer: undefined };
    s.timer = this.ctx.wheel.schedule(ms, () => {
      if (d.session !== s) return;
      if (weRefresh) this.refresh(d, s);
      else void this.inDialog.hangUpUnsolicited(d, 'Session timer expired');
    });
    d.session = s;
  }

  private refresh(d: Dialog, s: NonNullable<Dialog['session']>): void {
    const headers: [string, string][] = [
      ['Session-Expires', `${s.secs};refresher=uac`],
      ['Min-SE', String(this.ctx.opts.minSe)],
      ['Supported', 'timer'],
    ];
    void this.inDialog.engineReInvite(d, headers, (res) => {
      if (d.session !== s) return;
      if (res.status >= 200 && res.status < 300) this.arm(d, sessionExpires(res)?.secs ?? s.secs, sessionExpires(res)?.refresher !== 'uas');
      else if (res.status === 491) this.arm(d, s.secs / 2, true); // glare: try again a little later
      else if (res.status >= 300) void this.inDialog.hangUpUnsolicited(d, 'Session timer expired');
    });
  }
}
