import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectApp, runSipp, SDP, startTestEngine } from './helpers.ts';

test('CDR events: attempt, start and stop reach an app that asked for them', async (t) => {
  const { adminPort, target } = await startTestEngine(t);
  const srf = await connectApp(t, adminPort);
  const events: string[] = [];
  const on = srf.on.bind(srf) as (e: string, f: (...a: unknown[]) => void) => void;
  on('cdr:attempt', (source) => events.push(`attempt:${String(source)}`));
  on('cdr:start', (source, _time, role) => events.push(`start:${String(source)}:${String(role)}`));
  on('cdr:stop', (source, _time, reason) => events.push(`stop:${String(source)}:${String(reason)}`));
  srf.invite((req, res) => void srf.createUAS(req, res, { localSdp: SDP }));
  await new Promise((r) => setTimeout(r, 200));
  const r = await runSipp(t, ['-sn', 'uac', target, '-i', '127.0.0.14', '-p', '0', '-m', '1']);
  assert.equal(r.code, 0, r.output);
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(events, ['attempt:network', 'start:application:uas', 'stop:network:normal-release']);
});
