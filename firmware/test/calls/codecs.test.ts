import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { sdpCodecs } from '../../src/media/codec-policy.ts';
import { freePort } from '../helpers/ports.ts';
import { spawnProcess } from '../helpers/process.ts';
import { tempDir } from '../helpers/tmp.ts';
import { audioStats, Phone, phoneRtpBase } from './baresip.ts';
import { CARRIER_HOST, PASSWORDS, SCENARIOS, startCallHarness } from './harness.ts';

test('a G.722-only phone calls a PCMA-only trunk: each side gets its own codec, rtpengine transcodes, audio flows both ways', async (t) => {
  const site = (carrierPort: number) => `
version: 1
site: { name: Test, timezone: Europe/Berlin, country: DE, language: en }
extensions:
  - { number: "1001", name: Alice Becker, password: "${PASSWORDS['1001']}", codecs: [G722, PCMA] }
trunks:
  - { name: carrier, host: ${CARRIER_HOST}, port: ${carrierPort}, number_format: e164-no-plus, options_interval_s: 0, codecs: [PCMA] }
routes:
  outbound:
    - { pattern: "0[1-9]*", trunks: [carrier] }
`;
  const h = await startCallHarness(t, { site });
  const trace = path.join(tempDir(t), 'sipp.log');
  const carrier = spawnProcess(
    t,
    'sipp',
    ['-sf', 'carrier-answer-pcma.xml', '-i', CARRIER_HOST, '-p', String(h.carrierPort), '-mi', CARRIER_HOST, '-mp', String(await freePort(CARRIER_HOST)), '-m', '1', '-nostdin', '-timeout', '30', '-timeout_error', '-trace_msg', '-message_file', trace],
    { cwd: SCENARIOS },
  );
  const alice = await Phone.start(t, { toneHz: 440, rtpBase: await phoneRtpBase(), codecs: ['g722'] });
  await alice.register(h.sipPort, '1001', PASSWORDS['1001'] as string);
  await new Promise((r) => setTimeout(r, 300));
  alice.command('dial', '030123999');
  await alice.waitEvent('CALL_ESTABLISHED').catch((err: Error) => {
    throw new Error(`${err.message}\ncarrier:\n${carrier.output()}`, { cause: err });
  });
  await new Promise((r) => setTimeout(r, 2500));

  // What each side was given: the trunk an offer of PCMA alone, the phone G.722.
  const invite = readFileSync(trace, 'utf8').split(/-{10,}/).find((m) => /^\s*INVITE /m.test(m)) ?? '';
  assert.deepEqual(sdpCodecs(invite.slice(invite.indexOf('v=0'))), ['PCMA'], invite);
  const debug = await alice.request('audio_debug');
  assert.match(debug, /G722/, `the phone talks G.722: ${debug}`);

  const calls = (await h.rtp.ng.command('list', { limit: 10 }))['calls'] as string[];
  const q = await h.rtp.ng.command('query', { 'call-id': calls[0] });
  const packets = Object.values(q['tags'] as Record<string, { medias: { streams: { stats: { packets: number } }[] }[] }>).map((tag) => tag.medias[0]?.streams[0]?.stats.packets ?? 0);
  assert.ok(packets.length === 2 && packets.every((p) => p > 40), `RTP from the phone and from the carrier: ${packets}`);

  alice.command('hangup');
  assert.equal((await carrier.exited).code, 0, carrier.output());
  await alice.waitEvent('CALL_CLOSED');
  const heard = audioStats(alice.takeReceivedDump());
  assert.ok(Math.abs(heard.freq - 1000) < 60 && heard.rms > 0.05, `the phone heard the carrier's PCMA tone through G.722: ${JSON.stringify(heard)}`);
});
