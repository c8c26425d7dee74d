import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectApp, runSipp, SDP, settle, startTestEngine } from './helpers.ts';

test('SIPp UAC calls a drachtio-srf UAS app through the engine (UDP)', async (t) => {
  const { engine, adminPort, target } = await startTestEngine(t);
  const srf = await connectApp(t, adminPort);
  let byes = 0;
  srf.invite(async (req, res) => {
    const dlg = await srf.createUAS(req, res, { localSdp: SDP });
    dlg.on('destroy', () => byes++);
  });
  const r = await runSipp(t, ['-sn', 'uac', target, '-i', '127.0.0.2', '-p', '0', '-m', '5', '-r', '10', '-l', '5']);
  assert.equal(r.code, 0, r.output);
  assert.equal(byes, 5);
  await settle(engine);
  const c = engine.counters();
  assert.equal(c.liveDialogs, 0);
  assert.equal(c.liveTransactions, 0);
  assert.equal(c.requestsIn['INVITE'], 5);
  assert.equal(c.requestsIn['BYE'], 5);
});
