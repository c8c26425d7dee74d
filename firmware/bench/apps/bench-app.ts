// A minimal drachtio-srf app for the SIP benchmarks, run as its own process so its memory and CPU are measured
// apart from the engine's: `bench-app.ts b2bua|uas|registrar ADMIN_PORT SECRET [B2BUA_TARGET]`.
import Srf from 'drachtio-srf';
import { NonceIssuer } from '../../src/calls/digest/nonce.ts';
import { digestChallenges, verifyDigest } from '../../src/calls/digest/verify.ts';

const [mode, adminPort, secret, target] = process.argv.slice(2);
const srf = new Srf();
srf.connect({ host: '127.0.0.1', port: Number(adminPort), secret: secret as string });
srf.on('error', (err: Error) => console.error(`bench-app: ${err.message}`));
srf.on('connect', () => console.log('bench-app connected'));

const sdp = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 10000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';

if (mode === 'b2bua') {
  srf.invite((req, res) => {
    srf.createB2BUA(req, res, `sip:bench@${target}`, { localSdpB: req.body }).then(
      ({ uas, uac }) => {
        uas.on('destroy', () => uac.destroy());
        uac.on('destroy', () => uas.destroy());
      },
      () => undefined,
    );
  });
} else if (mode === 'uas') {
  srf.invite((req, res) => {
    srf.createUAS(req, res, { localSdp: sdp }).catch(() => undefined);
  });
} else if (mode === 'registrar') {
  const nonces = new NonceIssuer();
  srf.register((req, res) => {
    const result = verifyDigest({ header: req.get('Authorization'), method: 'REGISTER', realm: 'bench', nonces, lookupPassword: (u) => `pw-${u}` });
    if (!result.ok) return res.send(401, { headers: { 'WWW-Authenticate': digestChallenges('bench', nonces, result.stale)[1] as string } });
    res.send(200, { headers: { Contact: req.get('Contact'), Expires: '3600' } });
  });
} else {
  console.error('usage: bench-app.ts b2bua|uas|registrar ADMIN_PORT SECRET [TARGET]');
  process.exit(2);
}
