import assert from 'node:assert/strict';
import http from 'node:http';
import type net from 'node:net';
import { test } from 'node:test';
import Srf from 'drachtio-srf';
import { freePort } from '../helpers/ports.ts';
import { runSipp, SDP, settle, startTestEngine } from './helpers.ts';
import { header, phoneRequest, udpPhone } from './udp-phone.ts';

/** An app in outbound mode (`srf.listen`): the engine dials it for each call. */
async function listeningApp(t: { after(fn: () => void): void }): Promise<{ port: number; srf: Srf; byes: () => number }> {
  const port = await freePort();
  const srf = new Srf();
  const server = (srf as unknown as { listen(o: object): net.Server }).listen({ port, host: '127.0.0.1', secret: 'cymru' });
  t.after(() => server.close());
  let byes = 0;
  srf.invite(async (req, res) => {
    const dlg = await srf.createUAS(req, res, { localSdp: SDP });
    dlg.on('destroy', () => {
      byes++;
      (srf as unknown as { endSession(r: unknown): void }).endSession(req);
    });
  });
  await new Promise((r) => setTimeout(r, 100));
  return { port, srf, byes: () => byes };
}

test('outbound mode: a tcp:// request handler makes the engine dial the srf.listen app for each call', async (t) => {
  const app = await listeningApp(t);
  const e = await startTestEngine(t, ['--request-handler', `invite=tcp://127.0.0.1:${app.port}`]);
  const r = await runSipp(t, ['-sn', 'uac', e.target, '-i', '127.0.0.2', '-p', '0', '-m', '3', '-r', '5', '-l', '3']);
  assert.equal(r.code, 0, r.output);
  assert.equal(app.byes(), 3);
  await settle(e.engine);
  assert.equal(e.engine.counters().liveDialogs, 0);
  assert.equal(e.engine.counters().liveTransactions, 0);
});

test('outbound mode: an HTTP request handler rejects, routes, and a dead app gets the caller 480', async (t) => {
  const app = await listeningApp(t);
  const deadPort = await freePort();
  const asked: URLSearchParams[] = [];
  const web = http.createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    asked.push(q);
    const user = q.get('uriUser');
    const answer =
      user === 'busy'
        ? { action: 'reject', data: { status: 486, reason: 'Busy Here' } }
        : { action: 'route', data: { uri: `127.0.0.1:${user === 'dead' ? deadPort : app.port}` } };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  });
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', () => r()));
  t.after(() => web.close());
  const e = await startTestEngine(t, ['--request-handler', `invite=http://127.0.0.1:${(web.address() as net.AddressInfo).port}/route`]);
  const phone = await udpPhone(t, e.sipPort);
  const call = (user: string) => {
    const id = `ob-${user}-${process.pid}`;
    phone.send(phoneRequest({ method: 'INVITE', uri: `sip:${user}@127.0.0.1:${e.sipPort}`, port: phone.port, branch: `z9hG4bK${id}`, callId: id, fromTag: 'ob', cseq: 1, body: SDP }));
    return id;
  };
  const final = (id: string) => phone.next(new RegExp(`^SIP/2\\.0 [2-6]\\d\\d [^]*Call-ID: ${id}\\r\\n`), 10_000);

  const busy = await final(call('busy'));
  assert.match(busy, /^SIP\/2\.0 486 Busy Here/);
  assert.equal(asked[0]!.get('method'), 'INVITE');
  assert.equal(asked[0]!.get('protocol'), 'udp');
  assert.equal(asked[0]!.get('source_address'), '127.0.0.1');

  const ok = await final(call('agent'));
  assert.match(ok, /^SIP\/2\.0 200 OK/);
  assert.ok(header(ok, 'Contact'));

  const dead = await final(call('dead'));
  assert.match(dead, /^SIP\/2\.0 480 /);
});
