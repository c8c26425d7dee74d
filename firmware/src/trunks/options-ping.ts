import type Srf from 'drachtio-srf';
import type { Trunk } from '../config/site-schema.ts';
import type { OptionsPing, PingResult } from './trunk-health.ts';
import { trunkHostUri } from './trunk-registry.ts';

type RequestFn = (uri: string, opts: unknown, cb: (err: Error | null, req: { on(e: 'response', f: (res: { status: number; reason: string }) => void): void }) => void) => void;

/**
 * A carrier that answers at all is alive, whatever it thinks of OPTIONS (405, 404...); 408 and 5xx mean it (or
 * a proxy in front of it) could not take calls.
 */
function alive(status: number): boolean {
  return status !== 408 && (status < 500 || status >= 600);
}

/** OPTIONS through the SIP engine, with our own timeout (the transaction's own runs 32 s). */
export function srfOptionsPing(srf: Srf): OptionsPing {
  const request = srf.request.bind(srf) as unknown as RequestFn;
  return (t: Trunk, timeoutMs: number) =>
    new Promise<PingResult>((resolve) => {
      const started = performance.now();
      let done = false;
      const finish = (ok: boolean, detail: string) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve({ ok, rttMs: Math.round(performance.now() - started), detail });
      };
      const timer = setTimeout(() => finish(false, 'no answer'), timeoutMs);
      const fromUser = t.from_user ?? t.register?.user ?? 'callbox';
      const uri = trunkHostUri(t);
      request(uri, { method: 'OPTIONS', headers: { From: `<sip:${fromUser}@localhost>`, To: `<${uri}>` } }, (err, req) => {
        if (err) return finish(false, err.message);
        req.on('response', (res) => {
          if (res.status >= 200) finish(alive(res.status), `${res.status} ${res.reason}`);
        });
      });
    });
}
