import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectApp, runSipp, SDP, settle, startTestEngine } from './helpers.ts';

test('no ACK for the 200: the 2xx is retransmitted, then BYE to the caller and an unsolicited BYE to the app', async (t) => {
  const { engine, adminPort, target } = await startTestEngine(t);
  const srf = await connectApp(t, adminPort);
  const reasons: string[] = [];
  srf.invite(async (req, res) => {
    const dlg = await srf.createUAS(req, res, { localSdp: SDP });
    (dlg as unknown as { on(e: 'destroy', f: (msg: unknown, reason: string) => void): void }).on('destroy', (_msg, reason) => reasons.push(reason));
  });
  const r = await runSipp(t, ['-sf', 'uac-no-ack.xml', target, '-i', '127.0.0.10', '-p', '0', '-m', '1']);
  assert.equal(r.code, 0, r.output);
  // SIPp may exit before the app has read the engine's notice (a loaded machine): wait for it, bounded.
  for (let i = 0; i < 50 && reasons.length === 0; i++) await new Promise((res) => setTimeout(res, 100));
  assert.deepEqual(reasons, ['ACK timeout']);
  const c = engine.counters();
  assert.ok(c.retransmissions >= 3, `200 retransmitted: ${c.retransmissions}`);
  assert.equal(c.requestsOut['BYE'], 1);
  await settle(engine);
  assert.equal(engine.counters().liveDialogs, 0);
  assert.equal(engine.counters().liveTransactions, 0);
});
