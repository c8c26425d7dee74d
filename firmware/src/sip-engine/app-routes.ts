import type { SipMessage } from './parser/message.ts';
import type { WireConn } from './wire/connection.ts';
import { wireTime } from './wire/framing.ts';

/** Which apps take which verbs (drachtio's `route`), round robin per verb; CDR events go the same way. */
export class AppRoutes {
  private routes = new Map<string, WireConn[]>();
  private rr = new Map<string, number>();

  add(conn: WireConn, verb: string): void {
    if (conn.routes.has(verb)) return;
    conn.routes.add(verb);
    const list = this.routes.get(verb) ?? [];
    list.push(conn);
    this.routes.set(verb, list);
  }

  /** drachtio removes every verb of the connection, whichever one was named. */
  removeAll(conn: WireConn): void {
    for (const verb of conn.routes) {
      const list = (this.routes.get(verb) ?? []).filter((c) => c !== conn);
      if (list.length) this.routes.set(verb, list);
      else this.routes.delete(verb);
    }
    conn.routes.clear();
  }

  pick(verb: string): WireConn | undefined {
    const list = this.routes.get(verb)?.filter((c) => c.open);
    if (!list?.length) return undefined;
    const i = (this.rr.get(verb) ?? 0) % list.length;
    this.rr.set(verb, i + 1);
    return list[i];
  }

  /** CDR events go to one app (round robin) among those that routed the `cdr:*` verb. */
  cdr(kind: 'attempt' | 'start' | 'stop', source: 'network' | 'application', extra: string | undefined, msg: SipMessage | string): void {
    const verb = `cdr:${kind}`;
    const app = this.pick(verb);
    if (!app) return;
    app.send(extra === undefined ? [verb, source, wireTime()] : [verb, source, wireTime(), extra], typeof msg === 'string' ? msg : msg.toString());
  }
}
