import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectApp, runSipp, SDP, settle, startTestEngine, type LooseRes } from './helpers.ts';

test('reliable 183 (100rel): the engine adds RSeq, the PRACK reaches the app, then the call is answered', async (t) => {
  const { engine, adminPort, target } = await startTestEngine(t);
  const srf = await connectApp(t, adminPort);
  const pracks: string[] = [];
  srf.invite((req, res) => {
    (res as unknown as LooseRes).send(183, { headers: { Require: '100rel' }, body: SDP }, undefined, (prack) => {
      pracks.push(prack.get('RAck'));
      void srf.createUAS(req, res, { localSdp: SDP });
    });
  });
  const r = await runSipp(t, ['-sf', 'uac-prack.xml', target, '-i', '127.0.0.9', '-p', '0', '-m', '2', '-r', '5']);
  assert.equal(r.code, 0, r.output);
  assert.equal(pracks.length, 2);
  assert.match(pracks[0]!, /^\d+ 1 INVITE$/);
  await settle(engine);
  assert.equal(engine.counters().liveDialogs, 0);
  assert.equal(engine.counters().liveTransactions, 0);
});
