import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { digestResponse } from '../../src/calls/digest/verify.ts';
import { parseDigestParams } from '../../src/calls/digest/params.ts';

type Ctx = { after(fn: () => Promise<void> | void): void };

export interface SipMsg {
  start: string;
  headers: Map<string, string[]>;
  body: string;
  raw: string;
  get(name: string): string | undefined;
  all(name: string): string[];
  status: number;
}

function parse(raw: string): SipMsg {
  const [head = '', body = ''] = raw.split('\r\n\r\n', 2);
  const lines = head.split('\r\n');
  const headers = new Map<string, string[]>();
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    const k = l.slice(0, i).trim().toLowerCase();
    headers.set(k, [...(headers.get(k) ?? []), l.slice(i + 1).trim()]);
  }
  const start = lines[0] ?? '';
  return {
    start,
    headers,
    body,
    raw,
    get: (n) => headers.get(n.toLowerCase())?.[0],
    all: (n) => headers.get(n.toLowerCase()) ?? [],
    status: start.startsWith('SIP/2.0 ') ? Number(start.split(' ')[1]) : 0,
  };
}

/**
 * A bare SIP endpoint over UDP for checks no real phone can make (odd Contacts, wrong passwords, expiry
 * bounds): it sends what the test writes and hands back what arrives.
 */
export class RawSip {
  readonly sock: dgram.Socket;
  readonly address: string;
  readonly port: number;
  readonly #inbox: SipMsg[] = [];
  readonly #waiters = new Set<() => void>();

  private constructor(sock: dgram.Socket) {
    this.sock = sock;
    const a = sock.address();
    this.address = a.address;
    this.port = a.port;
    sock.on('message', (b) => {
      this.#inbox.push(parse(b.toString('utf8')));
      for (const w of this.#waiters) w();
    });
  }

  static async open(t: Ctx, address = '127.0.0.1', port = 0): Promise<RawSip> {
    const sock = dgram.createSocket('udp4');
    await new Promise<void>((r) => sock.bind(port, address, () => r()));
    t.after(() => new Promise<void>((r) => sock.close(() => r())));
    return new RawSip(sock);
  }

  send(text: string, port: number, host = '127.0.0.1'): void {
    this.sock.send(Buffer.from(text.replace(/\r?\n/g, '\r\n')), port, host);
  }

  /** The next message matching pred (taken out of the inbox). */
  next(pred: (m: SipMsg) => boolean, ms = 5000): Promise<SipMsg> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const i = this.#inbox.findIndex(pred);
        if (i < 0) return;
        const [m] = this.#inbox.splice(i, 1);
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(m as SipMsg);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`no matching SIP message; inbox: ${this.#inbox.map((m) => m.start).join(' | ')}`));
      }, ms);
      this.#waiters.add(check);
      check();
    });
  }
}

/** A REGISTER dialogue for one extension: keeps Call-ID and CSeq, answers challenges with the given password. */
export class Registration {
  readonly callId = randomBytes(8).toString('hex');
  cseq = 1;
  readonly #c: RawSip;
  readonly #target: number;
  readonly user: string;

  constructor(client: RawSip, targetPort: number, user: string) {
    this.#c = client;
    this.#target = targetPort;
    this.user = user;
  }

  /**
   * `algorithm` picks the challenge to answer (default: the first offered, as RFC 8760 asks); `answerWith` signs
   * the answer with another algorithm than the challenge named (a downgrade attempt).
   */
  async send(o: { contact?: string; expires?: number; password?: string; algorithm?: 'MD5' | 'SHA-256'; answerWith?: 'MD5' | 'SHA-256'; extra?: string[] }): Promise<SipMsg> {
    const first = await this.#once(o, undefined);
    if (first.status !== 401 || o.password === undefined) return first;
    const challenge = first
      .all('www-authenticate')
      .map((v) => parseDigestParams(v) ?? {})
      .find((p) => o.algorithm === undefined || (p['algorithm'] ?? 'MD5').toUpperCase() === o.algorithm);
    if (!challenge) throw new Error(`no ${o.algorithm ?? ''} challenge in ${first.raw}`);
    const alg = o.answerWith ?? ((challenge['algorithm'] ?? 'MD5').toUpperCase() as 'MD5' | 'SHA-256');
    const uri = `sip:127.0.0.1:${this.#target}`;
    const cnonce = randomBytes(4).toString('hex');
    const response = digestResponse({ algorithm: alg, username: this.user, realm: challenge['realm'] ?? '', password: o.password, method: 'REGISTER', uri, nonce: challenge['nonce'] ?? '', nc: '00000001', cnonce, qop: 'auth' });
    const auth = `Digest username="${this.user}", realm="${challenge['realm']}", nonce="${challenge['nonce']}", uri="${uri}", response="${response}", algorithm=${alg}, qop=auth, nc=00000001, cnonce="${cnonce}"`;
    return this.#once(o, auth);
  }

  async #once(o: { contact?: string; expires?: number; extra?: string[] }, auth: string | undefined): Promise<SipMsg> {
    const cseq = this.cseq++;
    const branch = `z9hG4bK${randomBytes(6).toString('hex')}`;
    const lines = [
      `REGISTER sip:127.0.0.1:${this.#target} SIP/2.0`,
      `Via: SIP/2.0/UDP ${this.#c.address}:${this.#c.port};branch=${branch};rport`,
      `From: <sip:${this.user}@127.0.0.1>;tag=${this.callId.slice(0, 6)}`,
      `To: <sip:${this.user}@127.0.0.1>`,
      `Call-ID: ${this.callId}`,
      `CSeq: ${cseq} REGISTER`,
      'Max-Forwards: 70',
      ...(o.contact === undefined ? [] : [`Contact: ${o.contact}`]),
      ...(o.expires === undefined ? [] : [`Expires: ${o.expires}`]),
      ...(auth ? [`Authorization: ${auth}`] : []),
      ...(o.extra ?? []),
      'Content-Length: 0',
      '',
      '',
    ];
    this.#c.send(lines.join('\r\n'), this.#target);
    return this.#c.next((m) => m.status >= 200 && m.get('cseq') === `${cseq} REGISTER` && m.get('call-id') === this.callId);
  }
}
