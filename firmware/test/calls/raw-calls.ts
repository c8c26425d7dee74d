import { randomBytes } from 'node:crypto';
import type { RawSip, SipMsg } from './sip-client.ts';

/** An INVITE with a PCMA offer from a raw endpoint, e.g. a carrier calling a DID. */
export function rawInvite(from: RawSip, o: { requestUri: string; to: string; caller: string; callId: string }): string {
  const sdp = ['v=0', `o=c 1 1 IN IP4 ${from.address}`, 's=-', `c=IN IP4 ${from.address}`, 't=0 0', 'm=audio 40000 RTP/AVP 8', 'a=rtpmap:8 PCMA/8000', ''].join('\r\n');
  return [
    `INVITE ${o.requestUri} SIP/2.0`,
    `Via: SIP/2.0/UDP ${from.address}:${from.port};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
    `From: <sip:${o.caller}@${from.address}>;tag=${randomBytes(4).toString('hex')}`,
    `To: ${o.to}`,
    `Call-ID: ${o.callId}`,
    'CSeq: 1 INVITE',
    'Max-Forwards: 70',
    `Contact: <sip:${o.caller}@${from.address}:${from.port}>`,
    'Content-Type: application/sdp',
    `Content-Length: ${Buffer.byteLength(sdp)}`,
    '',
    sdp,
  ].join('\r\n');
}

/** A response to a request the raw endpoint received, e.g. 486 Busy Here. */
export function reply(req: SipMsg, status: string, headers: string[] = []): string {
  return [`SIP/2.0 ${status}`, ...req.all('via').map((v) => `Via: ${v}`), `From: ${req.get('from')}`, `To: ${req.get('to')};tag=${randomBytes(4).toString('hex')}`, `Call-ID: ${req.get('call-id')}`, `CSeq: ${req.get('cseq')}`, ...headers, 'Content-Length: 0', '', ''].join('\r\n');
}
