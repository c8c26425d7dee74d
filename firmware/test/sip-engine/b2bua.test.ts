import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freePort } from '../helpers/ports.ts';
import { connectApp, runSipp, settle, startSipp, startTestEngine } from './helpers.ts';

test('B2BUA between two SIPp: calls connect and both legs hang up', async (t) => {
  const { engine, adminPort, target } = await startTestEngine(t);
  const srf = await connectApp(t, adminPort);
  const port = await freePort('127.0.0.5');
  const uas = await startSipp(t, ['-sn', 'uas', '-i', '127.0.0.5', '-p', String(port), '-m', '5']);
  srf.invite(async (req, res) => {
    try {
      const { uas: a, uac: b } = await srf.createB2BUA(req, res, `sip:agent@127.0.0.5:${port}`, { localSdpB: req.body });
      a.on('destroy', () => void b.destroy());
      b.on('destroy', () => void a.destroy());
    } catch (err) {
      console.error('b2b failed', err);
    }
  });
  const r = await runSipp(t, ['-sn', 'uac', target, '-i', '127.0.0.6', '-p', '0', '-m', '5', '-r', '10', '-l', '5']);
  assert.equal(r.code, 0, r.output);
  assert.equal((await uas.exited).code, 0, uas.output());
  await settle(engine);
  const c = engine.counters();
  assert.equal(c.liveDialogs, 0);
  assert.equal(c.liveTransactions, 0);
  assert.equal(c.requestsIn['INVITE'], 5);
  assert.equal(c.requestsOut['INVITE'], 5);
});

test('B2BUA: a CANCEL from the caller is propagated to the callee (487 on both legs)', async (t) => {
  const { engine, adminPort, target } = await startTestEngine(t);
  const srf = await connectApp(t, adminPort);
  const port = await freePort('127.0.0.5');
  const uas = await startSipp(t, ['-sf', 'uas-cancel.xml', '-i', '127.0.0.5', '-p', String(port), '-m', '2']);
  const outcomes: number[] = [];
  srf.invite(async (req, res) => {
    try {
      await srf.createB2BUA(req, res, `sip:agent@127.0.0.5:${port}`, { localSdpB: req.body });
      outcomes.push(200);
    } catch (err) {
      outcomes.push((err as { status: number }).status);
    }
  });
  const r = await runSipp(t, ['-sf', 'uac-cancel.xml', target, '-i', '127.0.0.6', '-p', '0', '-m', '2', '-r', '5']);
  assert.equal(r.code, 0, r.output);
  assert.equal((await uas.exited).code, 0, uas.output());
  assert.deepEqual(outcomes, [487, 487]);
  await settle(engine);
  assert.equal(engine.counters().liveDialogs, 0);
  assert.equal(engine.counters().liveTransactions, 0);
});
