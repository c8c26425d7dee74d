import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freePort } from '../helpers/ports.ts';
import { connectApp, runSipp, settle, startSipp, startTestEngine } from './helpers.ts';

interface ProxyResult {
  connected: boolean;
  finalStatus: number;
}
type ProxyApi = { proxyRequest(req: unknown, dest: string[], opts: Record<string, unknown>): Promise<ProxyResult> };

test('srf.proxyRequest with Record-Route: the call connects and ACK/BYE are relayed through the engine', async (t) => {
  const { engine, adminPort, target } = await startTestEngine(t);
  const srf = await connectApp(t, adminPort);
  const port = await freePort('127.0.0.11');
  const uas = await startSipp(t, ['-sf', 'uas-proxied.xml', '-i', '127.0.0.11', '-p', String(port), '-m', '2']);
  const results: ProxyResult[] = [];
  srf.invite(async (req) => {
    results.push(await (srf as unknown as ProxyApi).proxyRequest(req, [`sip:127.0.0.11:${port}`], { recordRoute: true }));
  });
  const r = await runSipp(t, ['-sf', 'uac-proxied.xml', target, '-i', '127.0.0.12', '-p', '0', '-m', '2', '-r', '5']);
  assert.equal(r.code, 0, r.output);
  assert.equal((await uas.exited).code, 0, uas.output());
  assert.deepEqual(results.map((x) => [x.connected, x.finalStatus]), [[true, 200], [true, 200]]);
  await settle(engine);
  assert.equal(engine.counters().liveTransactions, 0);
  assert.equal(engine.counters().liveDialogs, 0);
});

test('serial proxying: a failing first target falls over to the second', async (t) => {
  const { adminPort, target } = await startTestEngine(t);
  const srf = await connectApp(t, adminPort);
  const busyPort = await freePort('127.0.0.13');
  const okPort = await freePort('127.0.0.11');
  const busy = await startSipp(t, ['-sf', 'uas-busy.xml', '-i', '127.0.0.13', '-p', String(busyPort), '-m', '1']);
  const uas = await startSipp(t, ['-sf', 'uas-proxied.xml', '-i', '127.0.0.11', '-p', String(okPort), '-m', '1']);
  const results: ProxyResult[] = [];
  srf.invite(async (req) => {
    results.push(await (srf as unknown as ProxyApi).proxyRequest(req, [`sip:127.0.0.13:${busyPort}`, `sip:127.0.0.11:${okPort}`], { recordRoute: true }));
  });
  const r = await runSipp(t, ['-sf', 'uac-proxied.xml', target, '-i', '127.0.0.12', '-p', '0', '-m', '1']);
  assert.equal(r.code, 0, r.output);
  assert.equal((await busy.exited).code, 0, busy.output());
  assert.equal((await uas.exited).code, 0, uas.output());
  assert.deepEqual(results.map((x) => [x.connected, x.finalStatus]), [[true, 200]]);
});
