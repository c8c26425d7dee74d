import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectApp, loose, SDP, startTestEngine } from './helpers.ts';
import { phoneRequest, udpPhone } from './udp-phone.ts';

const challenges = (realm: string) => [
  `Digest realm="${realm}", nonce="n1", algorithm=SHA-256, qop="auth"`,
  `Digest realm="${realm}", nonce="n2", algorithm=MD5, qop="auth", stale=true`,
];

test('several digest challenges from an app leave as separate WWW-Authenticate / Proxy-Authenticate headers', async (t) => {
  const e = await startTestEngine(t);
  const srf = await connectApp(t, e.adminPort);
  loose(srf).register((_req, res) => res.send(401, { headers: { 'WWW-Authenticate': challenges('reg, \\"q\\"') as unknown as string } }));
  srf.invite((_req, res) => res.send(407, { headers: { 'Proxy-Authenticate': challenges('calls') as unknown as string } }));
  const phone = await udpPhone(t, e.sipPort);
  const base = { uri: `sip:127.0.0.1:${e.sipPort}`, port: phone.port, fromTag: 'a1', cseq: 1 };
  phone.send(phoneRequest({ ...base, method: 'REGISTER', branch: 'z9hG4bKauth-reg', callId: `auth-reg-${process.pid}` }));
  const r401 = await phone.next(/^SIP\/2\.0 401 /);
  const www = r401.split('\r\n').filter((l) => /^WWW-Authenticate:/i.test(l));
  assert.deepEqual(www, challenges('reg, \\"q\\"').map((c) => `WWW-Authenticate: ${c}`));

  phone.send(phoneRequest({ ...base, method: 'INVITE', branch: 'z9hG4bKauth-inv', callId: `auth-inv-${process.pid}`, body: SDP }));
  const r407 = await phone.next(/^SIP\/2\.0 407 /);
  const proxyAuth = r407.split('\r\n').filter((l) => /^Proxy-Authenticate:/i.test(l));
  assert.deepEqual(proxyAuth, challenges('calls').map((c) => `Proxy-Authenticate: ${c}`));
});
