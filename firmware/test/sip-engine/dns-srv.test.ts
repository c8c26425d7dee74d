import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { freePort } from '../helpers/ports.ts';
import { dnsServer } from './dns-server.ts';
import { connectApp, loose, startTestEngine } from './helpers.ts';
import { okFor, udpPhone } from './udp-phone.ts';

/** A SIP peer on TCP that answers every request 200 and remembers it. */
async function tcpPeer(t: { after(fn: () => void): void }): Promise<{ port: number; got: string[] }> {
  const got: string[] = [];
  const srv = net.createServer((s) => {
    let buf = '';
    s.on('data', (d: Buffer) => {
      buf += d.toString();
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const msg = buf.slice(0, end + 4);
      buf = buf.slice(end + 4);
      got.push(msg);
      s.write(okFor(msg));
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  t.after(() => srv.close());
  return { port: (srv.address() as net.AddressInfo).port, got };
}

test('RFC 3263: a request to a domain follows NAPTR (preferred service) and SRV, or SRV alone when there is no NAPTR', async (t) => {
  const tcp = await tcpPeer(t);
  const udpTarget = await freePort();
  const dns = await dnsServer(t, {
    'naptr.test': [
      { type: 'NAPTR', order: 20, preference: 10, flags: 'S', service: 'SIP+D2U', regexp: '', replacement: '_sip._udp.naptr.test' },
      { type: 'NAPTR', order: 10, preference: 10, flags: 'S', service: 'SIP+D2T', regexp: '', replacement: '_sip._tcp.naptr.test' },
    ],
    '_sip._tcp.naptr.test': [{ type: 'SRV', priority: 10, weight: 1, port: tcp.port, target: 'pbx.naptr.test' }],
    'pbx.naptr.test': [{ type: 'A', address: '127.0.0.1' }],
    'srv.test': [],
    '_sip._udp.srv.test': [
      { type: 'SRV', priority: 20, weight: 1, port: 9, target: 'backup.srv.test' },
      { type: 'SRV', priority: 10, weight: 1, port: udpTarget, target: 'pbx.srv.test' },
    ],
    'pbx.srv.test': [{ type: 'A', address: '127.0.0.1' }],
  });
  const e = await startTestEngine(t, ['--dns-server', `127.0.0.1:${dns.port}`]);
  const srf = await connectApp(t, e.adminPort);
  const options = (uri: string) =>
    new Promise<number>((resolve, reject) =>
      loose(srf).request(uri, { method: 'OPTIONS' }, (err, req) => (err ? reject(err) : req.on('response', (res) => resolve(res.status)))),
    );

  assert.equal(await options('sip:svc@naptr.test'), 200);
  assert.equal(tcp.got.length, 1);
  assert.match(tcp.got[0]!, /^OPTIONS sip:svc@naptr\.test SIP\/2\.0\r\nVia: SIP\/2\.0\/TCP /);

  const peer = await udpPhone(t, e.sipPort, '127.0.0.1', udpTarget);
  const answered = options('sip:svc@srv.test');
  peer.send(okFor(await peer.next(/^OPTIONS sip:svc@srv\.test /)));
  assert.equal(await answered, 200);
  assert.deepEqual(
    dns.questions.filter((q) => q.endsWith('srv.test') || q.endsWith('naptr.test')),
    ['NAPTR naptr.test', 'SRV _sip._tcp.naptr.test', 'A pbx.naptr.test', 'NAPTR srv.test', 'SRV _sip._udp.srv.test', 'A pbx.srv.test'],
  );
});
