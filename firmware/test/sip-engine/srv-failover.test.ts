import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freePort } from '../helpers/ports.ts';
import { dnsServer } from './dns-server.ts';
import { connectApp, SDP, settle, startSipp, startTestEngine, type LooseDialog, type LooseReq } from './helpers.ts';

type Ctx = Parameters<typeof startTestEngine>[0];

/** `_sip._udp.<domain>`: two SRV targets, `first` at priority 10 and `second` at 20, each on its own loopback address. */
async function twoTargets(t: Ctx, domain: string, first: { address: string; port: number }, second: { address: string; port: number }) {
  return dnsServer(t, {
    [domain]: [],
    [`_sip._udp.${domain}`]: [
      { type: 'SRV', priority: 20, weight: 1, port: second.port, target: `second.${domain}` },
      { type: 'SRV', priority: 10, weight: 1, port: first.port, target: `first.${domain}` },
    ],
    [`first.${domain}`]: [{ type: 'A', address: first.address }],
    [`second.${domain}`]: [{ type: 'A', address: second.address }],
  });
}

interface UacWithCallbacks {
  createUAC(uri: string, opts: Record<string, unknown>, progress: { cbRequest: (err: unknown, req: LooseReq) => void }): Promise<LooseDialog>;
}

/** An app INVITE through srf.createUAC; records every response the app hears for it. */
async function call(t: Ctx, adminPort: number, uri: string) {
  const srf = (await connectApp(t, adminPort)) as unknown as UacWithCallbacks;
  const heard: number[] = [];
  const dialog = srf.createUAC(uri, { localSdp: SDP }, { cbRequest: (_err, req) => req.on('response', (res) => heard.push(res.status)) });
  return { dialog, heard };
}

test('SRV failover: a first target that never answers (Timer B) is left for the next one; the app sees one call', async (t) => {
  const dead = { address: '127.0.0.61', port: await freePort('127.0.0.61') };
  const live = { address: '127.0.0.62', port: await freePort('127.0.0.62') };
  const uas = await startSipp(t, ['-sn', 'uas', '-i', live.address, '-p', String(live.port), '-m', '1']);
  const dns = await twoTargets(t, 'dead.test', dead, live);
  const e = await startTestEngine(t, ['--dns-server', `127.0.0.1:${dns.port}`]);
  const { dialog, heard } = await call(t, e.adminPort, 'sip:svc@dead.test');
  const dlg = await dialog;
  assert.match(dlg.remote.sdp, /^v=0/);
  assert.deepEqual(dns.questions.filter((q) => q.startsWith('A ')), ['A first.dead.test', 'A second.dead.test']);
  assert.deepEqual(heard.filter((s) => s >= 200), [200]);
  await dlg.destroy();
  assert.equal((await uas.exited).code, 0, uas.output());
  await settle(e.engine);
  assert.deepEqual([e.engine.counters().liveTransactions, e.engine.counters().liveDialogs], [0, 0]);
});

test('SRV failover: a 503 from the first target sends the INVITE to the next; the app never sees the 503', async (t) => {
  const busy = { address: '127.0.0.63', port: await freePort('127.0.0.63') };
  const live = { address: '127.0.0.64', port: await freePort('127.0.0.64') };
  const overloaded = await startSipp(t, ['-sf', 'uas-503.xml', '-i', busy.address, '-p', String(busy.port), '-m', '1']);
  const uas = await startSipp(t, ['-sn', 'uas', '-i', live.address, '-p', String(live.port), '-m', '1']);
  const dns = await twoTargets(t, 'busy.test', busy, live);
  const e = await startTestEngine(t, ['--dns-server', `127.0.0.1:${dns.port}`]);
  const { dialog, heard } = await call(t, e.adminPort, 'sip:svc@busy.test');
  const dlg = await dialog;
  assert.equal((await overloaded.exited).code, 0, overloaded.output()); // it got the INVITE and the ACK for its 503
  assert.deepEqual(heard.filter((s) => s >= 200), [200]);
  await dlg.destroy();
  assert.equal((await uas.exited).code, 0, uas.output());
});

test('SRV failover: when every target answers 503 the app gets one 503', async (t) => {
  const a = { address: '127.0.0.65', port: await freePort('127.0.0.65') };
  const b = { address: '127.0.0.66', port: await freePort('127.0.0.66') };
  const first = await startSipp(t, ['-sf', 'uas-503.xml', '-i', a.address, '-p', String(a.port), '-m', '1']);
  const second = await startSipp(t, ['-sf', 'uas-503.xml', '-i', b.address, '-p', String(b.port), '-m', '1']);
  const dns = await twoTargets(t, 'down.test', a, b);
  const e = await startTestEngine(t, ['--dns-server', `127.0.0.1:${dns.port}`]);
  const { dialog, heard } = await call(t, e.adminPort, 'sip:svc@down.test');
  await assert.rejects(dialog, (err: { status?: number }) => err.status === 503);
  assert.equal((await first.exited).code, 0, first.output());
  assert.equal((await second.exited).code, 0, second.output());
  assert.deepEqual(heard.filter((s) => s >= 200), [503]);
  await settle(e.engine);
  assert.deepEqual([e.engine.counters().liveTransactions, e.engine.counters().liveDialogs], [0, 0]);
});
