import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freePort } from '../helpers/ports.ts';
import { connectApp, loose, SDP, settle, startSipp, startTestEngine } from './helpers.ts';

test('an app INFO still pending when the peer hangs up gets 481 at once, not 408 after Timer F', async (t) => {
  const e = await startTestEngine(t);
  const port = await freePort('127.0.0.67');
  const uas = await startSipp(t, ['-sf', 'uas-bye-crosses-info.xml', '-i', '127.0.0.67', '-p', String(port), '-m', '1']);
  const srf = await connectApp(t, e.adminPort);
  const dlg = await loose(srf).createUAC(`sip:uas@127.0.0.67:${port}`, { localSdp: SDP });
  const ended = new Promise<void>((resolve) => (dlg as unknown as { on(ev: 'destroy', fn: () => void): void }).on('destroy', resolve));
  const info = await dlg.request({ method: 'INFO', headers: { 'Content-Type': 'application/dtmf-relay' }, body: 'Signal=5\r\nDuration=160\r\n' });
  assert.equal(info.status, 481);
  await ended;
  assert.equal((await uas.exited).code, 0, uas.output());
  await settle(e.engine);
  assert.deepEqual([e.engine.counters().liveTransactions, e.engine.counters().liveDialogs], [0, 0]);
});
