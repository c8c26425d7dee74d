import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { freePort } from '../helpers/ports.ts';
import { RawSip, Registration, type SipMsg } from './sip-client.ts';

type Ctx = { after(fn: () => Promise<void> | void): void };

/**
 * A phone behind a port-restricted NAT, in small. Its SDP names its private address (`privateAddress`, where
 * nothing listens), its packets really come from `publicAddress`, and only RTP from the address and port it
 * sends to gets back in, as the NAT allows. So it hears a call only when the box sends its audio from the very
 * port the phone sends to (symmetric RTP, learned from the phone's packets). It answers every INVITE
 * (re-INVITEs too, unless told to refuse them with 488) and BYE by itself, and sends 50 packets a second of
 * silence to the last address offered.
 */
export class NattedPhone {
  /** RTP packets let in by the NAT so far. */
  heard = 0;
  /** re-INVITEs refused so far (with `refuseReinvites`). */
  refused = 0;
  readonly sip: RawSip;
  readonly #rtp: dgram.Socket;
  readonly #privateAddress: string;
  readonly #refuseReinvites: boolean;
  readonly #tag = randomBytes(4).toString('hex');
  #target: { address: string; port: number } | undefined;
  #stopped = false;

  private constructor(sip: RawSip, rtp: dgram.Socket, privateAddress: string, refuseReinvites: boolean) {
    this.sip = sip;
    this.#rtp = rtp;
    this.#privateAddress = privateAddress;
    this.#refuseReinvites = refuseReinvites;
    rtp.on('message', (_b, from) => {
      if (from.address === this.#target?.address && from.port === this.#target.port) this.heard++;
    });
  }

  static async start(t: Ctx, o: { sipPort: number; user: string; password: string; publicAddress?: string; privateAddress?: string; refuseReinvites?: boolean }): Promise<NattedPhone> {
    const publicAddress = o.publicAddress ?? '127.0.0.3';
    const sip = await RawSip.open(t, publicAddress);
    const rtp = dgram.createSocket('udp4');
    const rtpPort = await freePort(publicAddress);
    await new Promise<void>((r) => rtp.bind(rtpPort, publicAddress, () => r()));
    const phone = new NattedPhone(sip, rtp, o.privateAddress ?? '127.0.0.2', o.refuseReinvites ?? false);
    const sender = phone.#startSending();
    t.after(() => {
      phone.#stopped = true;
      clearInterval(sender);
      return new Promise<void>((r) => rtp.close(() => r()));
    });
    const registered = await new Registration(sip, o.sipPort, o.user).send({ contact: `<sip:${o.user}@${publicAddress}:${sip.port}>`, expires: 300, password: o.password });
    if (registered.status !== 200) throw new Error(`natted phone: REGISTER got ${registered.status}`);
    void phone.#serve();
    return phone;
  }

  #startSending(): NodeJS.Timeout {
    const ssrc = randomBytes(4).readUInt32BE();
    let seq = 0;
    return setInterval(() => {
      if (!this.#target) return;
      const packet = Buffer.alloc(12 + 160, 0xff);
      packet.writeUInt8(0x80, 0);
      packet.writeUInt8(0, 1); // PCMU
      packet.writeUInt16BE(seq & 0xffff, 2);
      packet.writeUInt32BE((seq * 160) >>> 0, 4);
      packet.writeUInt32BE(ssrc, 8);
      seq++;
      this.#rtp.send(packet, this.#target.port, this.#target.address);
    }, 20);
  }

  async #serve(): Promise<void> {
    while (!this.#stopped) {
      const req = await this.sip.next((m) => /^(INVITE|BYE) /.test(m.start), 1000).catch(() => undefined);
      if (!req) continue;
      if (req.start.startsWith('BYE ')) {
        this.#respond(req, '200 OK', []);
        continue;
      }
      if (this.#refuseReinvites && /;\s*tag=/i.test(req.get('to') ?? '')) {
        this.refused++;
        this.#respond(req, '488 Not Acceptable Here', []);
        continue;
      }
      const offered = /^c=IN IP4 (\S+)[^]*?^m=audio (\d+)/m.exec(req.body.replace(/\r/g, ''));
      if (offered) this.#target = { address: offered[1] as string, port: Number(offered[2]) };
      const port = this.#rtp.address().port;
      const a = this.#privateAddress;
      const sdp = ['v=0', `o=natted 1 1 IN IP4 ${a}`, 's=-', `c=IN IP4 ${a}`, 't=0 0', `m=audio ${port} RTP/AVP 0`, 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', ''].join('\r\n');
      this.#respond(req, '200 OK', [`Contact: <sip:phone@${this.sip.address}:${this.sip.port}>`, 'Content-Type: application/sdp'], sdp);
    }
  }

  #respond(req: SipMsg, status: string, headers: string[], body = ''): void {
    const to = req.get('to') ?? '';
    const lines = [
      `SIP/2.0 ${status}`,
      ...req.all('via').map((v) => `Via: ${v}`),
      `From: ${req.get('from')}`,
      `To: ${/;\s*tag=/i.test(to) ? to : `${to};tag=${this.#tag}`}`,
      `Call-ID: ${req.get('call-id')}`,
      `CSeq: ${req.get('cseq')}`,
      ...headers,
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ];
    const via = /SIP\/2\.0\/UDP ([\d.]+):(\d+)/.exec(req.get('via') ?? '');
    this.sip.send(lines.join('\r\n'), Number(via?.[2] ?? 5060), via?.[1] ?? '127.0.0.1');
  }
}
