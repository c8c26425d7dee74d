import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectApp, runSipp, SDP, settle, startTestEngine } from './helpers.ts';

/** Parses SIPp's final "Successful call" and "Failed call" cumulative counters. */
function outcome(output: string): { ok: number; failed: number } {
  const num = (label: string) => Number(new RegExp(`${label}\\s*\\|\\s*\\d+\\s*\\|\\s*(\\d+)`).exec(output)?.[1] ?? NaN);
  return { ok: num('Successful call'), failed: num('Failed call') };
}

test('10% UDP loss at the caller: calls complete or fail cleanly, nothing stays stuck in the engine', async (t) => {
  const { engine, adminPort, target } = await startTestEngine(t);
  const srf = await connectApp(t, adminPort);
  let answered = 0;
  let ended = 0;
  srf.invite(async (req, res) => {
    try {
      const dlg = await srf.createUAS(req, res, { localSdp: SDP });
      answered++;
      dlg.on('destroy', () => ended++);
    } catch {
      // a CANCEL or a lost race: the app sees an error, which is a correct outcome
    }
  });
  const r = await runSipp(t, ['-sn', 'uac', target, '-i', '127.0.0.8', '-p', '0', '-m', '20', '-r', '10', '-l', '10', '-lost', '10', '-recv_timeout', '8000']);
  const { ok, failed } = outcome(r.output);
  assert.equal(ok + failed, 20, r.output);
  assert.ok(ok >= 10, `most calls complete despite loss: ${ok} ok, ${failed} failed`);
  await settle(engine, 25000);
  const c = engine.counters();
  assert.equal(c.liveTransactions, 0, JSON.stringify(c));
  assert.equal(c.liveDialogs, 0, JSON.stringify(c));
  assert.ok(c.retransmissions > 0, 'loss was absorbed by retransmissions');
  assert.ok(ended <= answered);
});
