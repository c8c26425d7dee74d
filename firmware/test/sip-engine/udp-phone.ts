import dgram from 'node:dgram';

type Ctx = { after(fn: () => Promise<void> | void): void };

/** A hand-driven SIP phone on a UDP socket: send exact text, wait for messages matching a pattern. */
export interface UdpPhone {
  port: number;
  send(text: string): void;
  /** Resolves with the first unread message matching `pattern` (consumed), or rejects after `ms`. */
  next(pattern: RegExp, ms?: number): Promise<string>;
  /** Every message received so far. */
  all(): string[];
}

export async function udpPhone(t: Ctx, enginePort: number, address = '127.0.0.1', port = 0): Promise<UdpPhone> {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((r) => sock.bind(port, address, () => r()));
  t.after(() => void sock.close());
  const seen: string[] = [];
  const unread: string[] = [];
  const waiters = new Set<() => void>();
  sock.on('message', (m) => {
    seen.push(m.toString());
    unread.push(m.toString());
    for (const w of waiters) w();
  });
  return {
    port: sock.address().port,
    send: (text) => sock.send(text, enginePort, '127.0.0.1'),
    all: () => [...seen],
    next: (pattern, ms = 5000) =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          const i = unread.findIndex((m) => pattern.test(m));
          if (i < 0) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(unread.splice(i, 1)[0]!);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no message matching ${pattern} within ${ms} ms; got:\n${seen.join('\n----\n')}`));
        }, ms);
        if (!check()) waiters.add(check);
      }),
  };
}

/** A request from a phone at 127.0.0.1:`port`; `extra` lines go before Content-Length. */
export function phoneRequest(o: { method: string; uri: string; port: number; branch: string; callId: string; fromTag: string; toTag?: string; cseq: number; extra?: string[]; body?: string }): string {
  const body = o.body ?? '';
  return [
    `${o.method} ${o.uri} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${o.port};branch=${o.branch};rport`,
    `From: <sip:phone@127.0.0.1>;tag=${o.fromTag}`,
    `To: <${o.uri}>${o.toTag ? `;tag=${o.toTag}` : ''}`,
    `Call-ID: ${o.callId}`,
    `CSeq: ${o.cseq} ${o.method}`,
    `Contact: <sip:phone@127.0.0.1:${o.port}>`,
    'Max-Forwards: 70',
    ...(o.extra ?? []),
    ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

/** Header value of the first `name` line in a SIP message text. */
export function header(msg: string, name: string): string | undefined {
  const re = new RegExp(`^${name}:\\s*(.*)$`, 'im');
  return re.exec(msg)?.[1]?.trim();
}

/** The 200 OK a phone sends back to a request it received. */
export function okFor(req: string): string {
  const keep = req.split('\r\n').filter((l) => /^(via|from|to|call-id|cseq):/i.test(l));
  return ['SIP/2.0 200 OK', ...keep, 'Content-Length: 0', '', ''].join('\r\n');
}
