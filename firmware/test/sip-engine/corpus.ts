/**
 * Our own torture corpus, one or more messages per category of RFC 4475 (written for this engine, not copied).
 * `expect`: 'ok' parses; a number is the response a request must get; 'drop' means no response is possible.
 * `PORT` in the text is replaced with the engine's port before sending.
 */
export interface CorpusEntry {
  name: string;
  category: string;
  expect: 'ok' | 'drop' | number;
  /** For messages that parse: what the engine answers over the network with no app connected (default 503). */
  network?: number;
  text: string;
}

const m = (...lines: string[]) => lines.join('\r\n');

const SDP = m('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 4000 RTP/AVP 0', '');
const len = (s: string) => Buffer.byteLength(s);
const MULTIPART = '--b1\r\nContent-Type: text/plain\r\n\r\nhello, world\r\n--b1--\r\n';

export const corpus: CorpusEntry[] = [
  {
    name: 'tortuous-options',
    category: 'valid: whitespace, folding, compact forms, case',
    expect: 'ok',
    text: m(
      'OPTIONS sip:svc@127.0.0.1:PORT SIP/2.0',
      'TO :',
      '   <sip:svc@127.0.0.1>',
      'from   : "Caller \\"Q\\" Name" <sip:caller@127.0.0.9>  ;  tag = abc1',
      'MaX-fOrWaRdS: 0068',
      'i: torture-1@127.0.0.9',
      'v:  SIP/2.0/UDP  127.0.0.9:5099  ;branch=z9hG4bKt1a ; rport , SIP/2.0/UDP 127.0.0.8;branch=z9hG4bKold',
      'Via: SIP/2.0/TCP 127.0.0.7:5061;branch=z9hG4bKolder',
      'cseq: 0009',
      '  OPTIONS',
      'NewFangledHeader:   newfangled value',
      ' continued newfangled value',
      'l: 0',
      '',
      '',
    ),
  },
  {
    name: 'unusual-method-token',
    category: 'valid: method is any token',
    expect: 'ok',
    network: 501,
    text: m(
      'FOO!-.%*_+`\'~BAR sip:svc@127.0.0.1:PORT SIP/2.0',
      'Via: SIP/2.0/UDP 127.0.0.9:5099;branch=z9hG4bKm1;rport',
      'From: <sip:a@127.0.0.9>;tag=m1',
      'To: <sip:svc@127.0.0.1>',
      'Call-ID: method-1',
      'CSeq: 1 FOO!-.%*_+`\'~BAR',
      'Max-Forwards: 70',
      'Content-Length: 0',
      '',
      '',
    ),
  },
  {
    name: 'escaped-uri-and-ipv6',
    category: 'valid: escapes in URIs, IPv6 references',
    expect: 'ok',
    text: m(
      'OPTIONS sip:%73vc@[2001:db8::10]:PORT;lr;maddr=[2001:db8::11] SIP/2.0',
      'Via: SIP/2.0/UDP [2001:db8::9]:5070;branch=z9hG4bKv6;received=127.0.0.9;rport',
      'From: "A" <sip:user%40x@127.0.0.9;user=phone>;tag=v6',
      'To: sip:svc@[2001:db8::10]',
      'Call-ID: v6-1',
      'CSeq: 1 OPTIONS',
      'Contact: <sip:a@[2001:db8::9]:5070;transport=udp>;expires=30, "B" <sip:b@127.0.0.9>',
      'Content-Length: 0',
      '',
      '',
    ),
  },
  {
    name: 'invite-with-sdp',
    category: 'valid: body by Content-Length, multiple Route values per line',
    expect: 'ok',
    text: m(
      'INVITE sip:svc@127.0.0.1:PORT SIP/2.0',
      'Via: SIP/2.0/UDP 127.0.0.9:5099;branch=z9hG4bKsdp1;rport',
      'Route: <sip:127.0.0.1:PORT;lr>, <sip:127.0.0.5;lr>',
      'From: <sip:a@127.0.0.9>;tag=sdp1',
      'To: <sip:svc@127.0.0.1>',
      'Call-ID: sdp-1',
      'CSeq: 1 INVITE',
      'Contact: <sip:a@127.0.0.9:5099>',
      'Content-Type: application/sdp',
      `Content-Length: ${len(SDP)}`,
      '',
      SDP,
    ),
  },
  {
    name: 'multipart-body',
    category: 'valid: multipart MIME body with a boundary parameter',
    expect: 'ok',
    text: m(
      'MESSAGE sip:svc@127.0.0.1:PORT SIP/2.0',
      'Via: SIP/2.0/UDP 127.0.0.9:5099;branch=z9hG4bKmp;rport',
      'From: <sip:a@127.0.0.9>;tag=mp',
      'To: <sip:svc@127.0.0.1>',
      'Call-ID: mp-1',
      'CSeq: 1 MESSAGE',
      'Content-Type: multipart/mixed;boundary="b1"',
      `Content-Length: ${len(MULTIPART)}`,
      '',
      MULTIPART,
    ),
  },
  {
    name: 'response-odd-reason',
    category: 'valid: response with an unusual reason phrase',
    expect: 'ok',
    text: m('SIP/2.0 200 = 2**3 * 5**2 но сто девяносто девять', 'Via: SIP/2.0/UDP 127.0.0.1:PORT;branch=z9hG4bKnone', 'From: <sip:a@x>;tag=1', 'To: <sip:b@x>;tag=2', 'Call-ID: r1', 'CSeq: 1 OPTIONS', 'Content-Length: 0', '', ''),
  },
  {
    name: 'response-no-reason',
    category: 'valid: response with an empty reason phrase',
    expect: 'ok',
    text: m('SIP/2.0 100 ', 'Via: SIP/2.0/UDP 127.0.0.1:PORT;branch=z9hG4bKnone2', 'From: <sip:a@x>;tag=1', 'To: <sip:b@x>', 'Call-ID: r2', 'CSeq: 1 INVITE', 'Content-Length: 0', '', ''),
  },
  // ---- malformed: answerable ----
  {
    name: 'content-length-too-big',
    category: 'malformed: body shorter than Content-Length over UDP',
    expect: 400,
    text: m('OPTIONS sip:svc@127.0.0.1:PORT SIP/2.0', 'Via: SIP/2.0/UDP 127.0.0.9:5099;branch=z9hG4bKcl1;rport', 'From: <sip:a@127.0.0.9>;tag=cl1', 'To: <sip:svc@127.0.0.1>', 'Call-ID: cl-1', 'CSeq: 1 OPTIONS', 'Content-Type: text/plain', 'Content-Length: 9999', '', 'short'),
  },
  {
    name: 'content-length-negative',
    category: 'malformed: negative Content-Length',
    expect: 400,
    text: m('OPTIONS sip:svc@127.0.0.1:PORT SIP/2.0', 'Via: SIP/2.0/UDP 127.0.0.9:5099;branch=z9hG4bKcl2;rport', 'From: <sip:a@127.0.0.9>;tag=cl2', 'To: <sip:svc@127.0.0.1>', 'Call-ID: cl-2', 'CSeq: 1 OPTIONS', 'Content-Length: -5', '', ''),
  },
  {
    name: 'cseq-method-mismatch',
    category: 'malformed: CSeq method differs from the request method',
    expect: 400,
    text: m('OPTIONS sip:svc@127.0.0.1:PORT SIP/2.0', 'Via: SIP/2.0/UDP 127.0.0.9:5099;branch=z9hG4bKcs1;rport', 'From: <sip:a@127.0.0.9>;tag=cs1', 'To: <sip:svc@127.0.0.1>', 'Call-ID: cs-1', 'CSeq: 1 INVITE', 'Content-Length: 0', '', ''),
  },
  {
    name: 'cseq-overflow',
    category: 'malformed: scalar out of range (CSeq above 2**32-1)',
    expect: 400,
    text: m('OPTIONS sip:svc@127.0.0.1:PORT SIP/2.0', 'Via: SIP/2.0/UDP 127.0.0.9:5099;branch=z9hG4bKcs2;rport', 'From: <sip:a@127.0.0.9>;tag=cs2', 'To: <sip:svc@127.0.0.1>', 'Call-ID: cs-2', 'CSeq: 36893488147419103232 OPTIONS', 'Content-Length: 0', '', ''),
  },
  {
    name: 'max-forwards-garbage',
    category: 'malformed: non-numeric Max-Forwards',
    expect: 400,
    text: m('OPTIONS sip:svc@127.0.0.1:PORT SIP/2.0', 'Via: SIP/2.0/UDP 127.0.0.9:5099;branch=z9hG4bKmf;rport', 'Max-Forwards: seventy', 'From: <sip:a@127.0.0.9>;tag=mf', 'To: <sip:svc@127.0.0.1>', 'Call-ID: mf-1', 'CSeq: 1 OPTIONS', 'Content-Length: 0', '', ''),
  },
  {
    name: 'two-call-ids',
    category: 'malformed: a single-value header appears twice',
    expect: 400,
    text: m('OPTIONS sip:svc@127.0.0.1:PORT SIP/2.0', 'Via: SIP/2.0/UDP 127.0.0.9:5099;branch=z9hG4bKci;rport', 'From: <sip:a@127.0.0.9>;tag=ci', 'To: <sip:svc@127.0.0.1>', 'Call-ID: ci-1', 'Call-ID: ci-2', 'CSeq: 1 OPTIONS', 'Content-Length: 0', '', ''),
  },
  {
    name: 'unbalanced-quotes',
    category: 'malformed: unterminated quoted display name',
    expect: 400,
    text: m('OPTIONS sip:svc@127.0.0.1:PORT SIP/2.0', 'Via: SIP/2.0/UDP 127.0.0.9:5099;branch=z9hG4bKqb;rport', 'From: "Open quote <sip:a@127.0.0.9>;tag=qb', 'To: <sip:svc@127.0.0.1>', 'Call-ID: qb-1', 'CSeq: 1 OPTIONS', 'Content-Length: 0', '', ''),
  },
  {
    name: 'unknown-uri-scheme',
    category: 'malformed for us: Request-URI scheme not supported',
    expect: 416,
    text: m('OPTIONS nope:svc@127.0.0.1 SIP/2.0', 'Via: SIP/2.0/UDP 127.0.0.9:5099;branch=z9hG4bKus;rport', 'From: <sip:a@127.0.0.9>;tag=us', 'To: <sip:svc@127.0.0.1>', 'Call-ID: us-1', 'CSeq: 1 OPTIONS', 'Content-Length: 0', '', ''),
  },
  {
    name: 'sip-version-7',
    category: 'malformed for us: unknown protocol version',
    expect: 505,
    text: m('OPTIONS sip:svc@127.0.0.1:PORT SIP/7.0', 'Via: SIP/2.0/UDP 127.0.0.9:5099;branch=z9hG4bKv7;rport', 'From: <sip:a@127.0.0.9>;tag=v7', 'To: <sip:svc@127.0.0.1>', 'Call-ID: v7-1', 'CSeq: 1 OPTIONS', 'Content-Length: 0', '', ''),
  },
  {
    name: 'header-without-colon',
    category: 'malformed: header line without a colon',
    expect: 400,
    text: m('OPTIONS sip:svc@127.0.0.1:PORT SIP/2.0', 'Via: SIP/2.0/UDP 127.0.0.9:5099;branch=z9hG4bKnc;rport', 'From: <sip:a@127.0.0.9>;tag=nc', 'To: <sip:svc@127.0.0.1>', 'Call-ID: nc-1', 'CSeq: 1 OPTIONS', 'This line has no colon', 'Content-Length: 0', '', ''),
  },
  // ---- malformed: not answerable ----
  {
    name: 'bad-request-line',
    category: 'malformed: extra whitespace in the request line',
    expect: 'drop',
    text: m('OPTIONS  sip:svc@127.0.0.1:PORT  SIP/2.0', 'Via: SIP/2.0/UDP 127.0.0.9:5099;branch=z9hG4bKrl', 'From: <sip:a@127.0.0.9>;tag=rl', 'To: <sip:svc@127.0.0.1>', 'Call-ID: rl-1', 'CSeq: 1 OPTIONS', 'Content-Length: 0', '', ''),
  },
  {
    name: 'no-via',
    category: 'malformed: no Via, so no address for a response',
    expect: 'drop',
    text: m('OPTIONS sip:svc@127.0.0.1:PORT SIP/2.0', 'From: <sip:a@127.0.0.9>;tag=nv', 'To: <sip:svc@127.0.0.1>', 'Call-ID: nv-1', 'CSeq: 1 OPTIONS', 'Content-Length: 0', '', ''),
  },
  {
    name: 'garbled-via',
    category: 'malformed: Via that is not SIP/2.0/transport',
    expect: 'drop',
    text: m('OPTIONS sip:svc@127.0.0.1:PORT SIP/2.0', 'Via: SIP/2.0 127.0.0.9:5099;branch=z9hG4bKgv', 'From: <sip:a@127.0.0.9>;tag=gv', 'To: <sip:svc@127.0.0.1>', 'Call-ID: gv-1', 'CSeq: 1 OPTIONS', 'Content-Length: 0', '', ''),
  },
  {
    name: 'missing-cseq',
    category: 'malformed: no CSeq',
    expect: 'drop',
    text: m('OPTIONS sip:svc@127.0.0.1:PORT SIP/2.0', 'Via: SIP/2.0/UDP 127.0.0.9:5099;branch=z9hG4bKmc;rport', 'From: <sip:a@127.0.0.9>;tag=mc', 'To: <sip:svc@127.0.0.1>', 'Call-ID: mc-1', 'Content-Length: 0', '', ''),
  },
  {
    name: 'no-blank-line',
    category: 'malformed: headers never end',
    expect: 'drop',
    text: m('OPTIONS sip:svc@127.0.0.1:PORT SIP/2.0', 'Via: SIP/2.0/UDP 127.0.0.9:5099;branch=z9hG4bKnb', 'From: <sip:a@127.0.0.9>;tag=nb'),
  },
  {
    name: 'binary-garbage',
    category: 'malformed: not SIP at all',
    expect: 'drop',
    text: '\u0000\u0001\u0002\u00ff GET / HTTP/1.1\r\n\r\n',
  },
  {
    name: 'response-bad-status',
    category: 'malformed: status code out of range',
    expect: 'drop',
    text: m('SIP/2.0 999 Nine', 'Via: SIP/2.0/UDP 127.0.0.1:PORT;branch=z9hG4bKbs', 'From: <sip:a@x>;tag=1', 'To: <sip:b@x>', 'Call-ID: bs', 'CSeq: 1 OPTIONS', 'Content-Length: 0', '', ''),
  },
  {
    name: 'ack-malformed',
    category: 'malformed ACK: never answered',
    expect: 'drop',
    text: m('ACK sip:svc@127.0.0.1:PORT SIP/2.0', 'Via: SIP/2.0/UDP 127.0.0.9:5099;branch=z9hG4bKak', 'From: <sip:a@127.0.0.9>;tag=ak', 'To: <sip:svc@127.0.0.1>;tag=x', 'Call-ID: ak-1', 'CSeq: 1 INVITE', 'Content-Length: 0', '', ''),
  },
];
