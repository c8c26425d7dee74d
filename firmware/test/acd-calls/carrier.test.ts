import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { listCdrs } from '../../src/config/repositories/cdrs.ts';
import { audioStats } from '../calls/baresip.ts';
import { CARRIER_HOST, SCENARIOS, until } from '../calls/harness.ts';
import { freePort } from '../helpers/ports.ts';
import { spawnProcess } from '../helpers/process.ts';
import { tempDir } from '../helpers/tmp.ts';
import { startQueueHarness } from './harness.ts';

test('a carrier call to a DID routed to a queue is answered by the box and connected to an agent, who hears the carrier', async (t) => {
  const h = await startQueueHarness(t);
  const alice = await h.phone(t, '1001', { toneHz: 440, address: '127.0.0.1' });
  await until('agent logged in', () => h.queues.acd.agent('1001').state === 'available');
  const mp = await freePort(CARRIER_HOST);
  const trace = path.join(tempDir(t), 'sipp.log');
  // SIPp streams a 1000 Hz tone for 4 s after the box answers, then hangs up.
  const carrier = spawnProcess(
    t,
    'sipp',
    ['-sf', 'carrier-inbound.xml', '-s', '4930123459', `127.0.0.1:${h.sipPort}`, '-i', CARRIER_HOST, '-p', String(h.carrierPort), '-mi', CARRIER_HOST, '-mp', String(mp), '-nostdin', '-timeout', '30', '-timeout_error', '-m', '1', '-trace_msg', '-message_file', trace],
    { cwd: SCENARIOS },
  );
  const up = await alice.waitEvent('CALL_ESTABLISHED');
  assert.match(up.peeruri ?? '', /4917612345678/, 'the agent sees the carrier caller');
  assert.equal((await carrier.exited).code, 0, carrier.output());
  await alice.waitEvent('CALL_CLOSED');
  const heard = audioStats(alice.takeReceivedDump());
  assert.ok(Math.abs(heard.freq - 1000) < 60 && heard.rms > 0.05, `the agent heard the carrier's 1000 Hz: ${JSON.stringify(heard)}`);
  const cdrs = await until('CDRs complete', () => {
    const c = listCdrs(h.db);
    return c.length === 2 && c.every((x) => x.endedAt) && c;
  });
  const inbound = cdrs.find((c) => c.direction === 'inbound' && c.trunk === 'carrier' && c.extension === undefined);
  assert.ok(inbound, `the carrier leg is an inbound CDR of the trunk: ${JSON.stringify(cdrs)}`);
  assert.equal(new Set(cdrs.map((c) => c.interactionId)).size, 1);
  await until('agent free', () => h.queues.acd.agent('1001').state === 'available' || h.queues.acd.agent('1001').state === 'wrap-up');
  await until('rtpengine holds no call', async () => (await h.mediaCalls()).length === 0);
});
