import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { assetPath } from '../../src/assets.ts';
import { createLogger } from '../../src/log.ts';
import { DtmfListener, type DtmfDigit } from '../../src/media/dtmf-listener.ts';
import { positionAnnouncement, waitAnnouncement } from '../../src/media/number-prompts.ts';
import { playSequence } from '../../src/media/prompt-player.ts';
import { promptLanguages, promptTexts } from '../../src/media/prompt-catalog.ts';
import { endpointSdp, sdpPort, startTestRtpengine, type TestRtpengine } from '../helpers/rtpengine.ts';

const prompt = (id: string) => path.join(assetPath.prompts(), 'en', `${id}.wav`);

test('announcements compose numbers from the prompt library, and every prompt they name was built', () => {
  assert.deepEqual(positionAnnouncement(3), ['you-are-caller-number', 'num-3']);
  assert.deepEqual(positionAnnouncement(121), ['you-are-caller-number', 'num-1', 'num-100', 'num-21']);
  assert.deepEqual(waitAnnouncement(30), ['estimated-wait', 'less-than-a-minute']);
  assert.deepEqual(waitAnnouncement(61), ['estimated-wait', 'num-2', 'minutes']);
  assert.deepEqual(waitAnnouncement(60), ['estimated-wait', 'num-1', 'minute']);
  assert.equal(promptTexts('de')['num-21'], 'einundzwanzig');
  assert.equal(promptTexts('en')['num-42'], 'forty-two');
  for (const lang of promptLanguages) {
    for (const id of Object.keys(promptTexts(lang))) assert.ok(existsSync(path.join(assetPath.prompts(), lang, `${id}.wav`)), `${lang}/${id}.wav built`);
  }
  assert.ok(existsSync(path.join(assetPath.prompts(), 'moh', 'default.wav')), 'music on hold built');
});

/** Two fake endpoints with a call anchored between them in rtpengine. */
async function anchoredCall(t: { after(fn: () => unknown): void }, rtp: TestRtpengine, callId: string) {
  const a = dgram.createSocket('udp4');
  const b = dgram.createSocket('udp4');
  await new Promise<void>((r) => a.bind(0, '127.0.0.1', r));
  await new Promise<void>((r) => b.bind(0, '127.0.0.1', r));
  t.after(() => {
    a.close();
    b.close();
  });
  await rtp.ng.command('offer', { 'call-id': callId, 'from-tag': 'A', sdp: endpointSdp(a.address().port), flags: ['port latching'] });
  const answer = await rtp.ng.command('answer', { 'call-id': callId, 'from-tag': 'A', 'to-tag': 'B', sdp: endpointSdp(b.address().port), flags: ['port latching'] });
  return { a, b, aSendsTo: sdpPort(answer['sdp']) };
}

test('a prompt sequence is heard by the party it is played to, and aborting stops it', async (t) => {
  const rtp = await startTestRtpengine(t);
  const { a } = await anchoredCall(t, rtp, 'prompt-call');
  let packets = 0;
  a.on('message', () => packets++);

  const files = positionAnnouncement(3).map(prompt);
  const started = Date.now();
  assert.equal(await playSequence(rtp.ng, { callId: 'prompt-call', fromTag: 'A' }, files), 'done');
  const elapsed = Date.now() - started;
  // 20 ms packets for the whole sequence (allowing for the first and last packets in flight).
  assert.ok(packets >= elapsed / 20 - 15, `A heard ${packets} packets in ${elapsed} ms`);

  const ac = new AbortController();
  const playing = playSequence(rtp.ng, { callId: 'prompt-call', fromTag: 'A' }, [prompt('all-agents-busy')], ac.signal);
  await new Promise((r) => setTimeout(r, 300));
  ac.abort();
  assert.equal(await playing, 'aborted');
  await new Promise((r) => setTimeout(r, 200));
  const after = packets;
  await new Promise((r) => setTimeout(r, 500));
  assert.ok(packets - after <= 2, `no audio after abort (${packets - after} packets)`);
});

test('DTMF pressed by a caller arrives as digits tied to the call and the leg that pressed them', async (t) => {
  const rtp = await startTestRtpengine(t);
  const listener = await DtmfListener.listen('127.0.0.1', rtp.dtmfPort, createLogger('test', 'silent'));
  t.after(() => listener.close());
  const got: DtmfDigit[] = [];
  listener.on('digit', (d) => got.push(d));
  const { a, aSendsTo } = await anchoredCall(t, rtp, 'dtmf-call');

  // A plain RTP sender: some audio, then RFC 4733 events for 5 and #, then audio again.
  let seq = 1;
  let ts = 8000;
  const send = (pt: number, payload: Buffer, marker = false) => {
    const h = Buffer.alloc(12);
    h[0] = 0x80;
    h[1] = (marker ? 0x80 : 0) | pt;
    h.writeUInt16BE(seq++ & 0xffff, 2);
    h.writeUInt32BE(ts, 4);
    h.writeUInt32BE(0xcafe, 8);
    a.send(Buffer.concat([h, payload]), aSendsTo, '127.0.0.1');
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const audio = async (n: number) => {
    for (let i = 0; i < n; i++) {
      send(0, Buffer.alloc(160, 0xff));
      ts += 160;
      await sleep(20);
    }
  };
  const key = async (event: number) => {
    for (let i = 1; i <= 6; i++) {
      const end = i === 6;
      const p = Buffer.from([event, (end ? 0x80 : 0) | 10, 0, 0]);
      p.writeUInt16BE(i * 160, 2);
      for (let r = 0; r < (end ? 3 : 1); r++) send(101, p, i === 1);
      await sleep(20);
    }
    ts += 6 * 160;
  };
  await audio(10);
  await key(5);
  await audio(5);
  await key(11);
  await audio(10);
  const deadline = Date.now() + 3000;
  while (got.length < 2 && Date.now() < deadline) await sleep(50);

  assert.deepEqual(
    got.map((d) => [d.callId, d.sourceTag, d.digit]),
    [
      ['dtmf-call', 'A', '5'],
      ['dtmf-call', 'A', '#'],
    ],
  );

  // Anything else on that port is counted and ignored, never thrown.
  const junk = dgram.createSocket('udp4');
  junk.send('not json', rtp.dtmfPort, '127.0.0.1', () => junk.close());
  while (listener.malformed === 0 && Date.now() < deadline + 2000) await sleep(20);
  assert.equal(listener.malformed, 1);
});
