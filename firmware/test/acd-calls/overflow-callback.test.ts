import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { until } from '../calls/harness.ts';
import { startQueueHarness, type QueueHarness } from './harness.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

test('max wait: a caller nobody answers overflows to an extension and talks to it', async (t) => {
  const h = await startQueueHarness(t);
  const david = await h.phone(t, '1004', { toneHz: 550, address: '127.0.0.4' });
  const eve = await h.phone(t, '1005', { toneHz: 660, address: '127.0.0.3' });
  eve.command('dial', '502');
  await eve.waitEvent('CALL_ESTABLISHED');
  await until('the caller waits in the queue first', () => h.queues.acd.queue('502').entries.length === 1);
  const up = await david.waitEvent('CALL_ESTABLISHED', 15_000);
  assert.match(up.peeruri ?? '', /1005@/);
  assert.equal(h.queues.acd.queue('502').entries.length, 0);
  await sleep(500);
  const d0 = total(await david.rtpReceived());
  await sleep(2000);
  assert.ok(total(await david.rtpReceived()) - d0 > 60, 'the overflow extension hears the caller');
  eve.command('hangup');
  await david.waitEvent('CALL_CLOSED');
  await until('rtpengine holds no call', async () => (await h.mediaCalls()).length === 0);
});

/** Records the base names of the prompt files rtpengine is asked to play. */
function recordPlayed(h: QueueHarness): string[] {
  const played: string[] = [];
  const command = h.rtp.ng.command.bind(h.rtp.ng);
  h.rtp.ng.command = (name, params) => {
    if (name === 'playMedia') played.push(path.basename(String(params?.['file'])));
    return command(name, params);
  };
  return played;
}

test('callback: the caller presses 2 and hangs up; when an agent is free the box calls back, the customer presses 1 and is connected', async (t) => {
  const h = await startQueueHarness(t);
  const played = recordPlayed(h);
  const chloe = await h.phone(t, '1003', { toneHz: 440, address: '127.0.0.1' });
  const eve = await h.phone(t, '1005', { toneHz: 660, address: '127.0.0.3' });
  await until('agent logged in', () => h.queues.acd.agent('1003').state === 'available');
  chloe.command('dial', '*47');
  await chloe.waitEvent('CALL_CLOSED');
  await until('agent paused', () => h.queues.acd.agent('1003').state === 'paused');

  eve.command('dial', '503');
  await eve.waitEvent('CALL_ESTABLISHED');
  // The offer names the queue's callback key (2), not a fixed one.
  const offerKey = await until('callback offered', () => played.includes('callback-offer.wav') && played[played.indexOf('callback-offer.wav') + 1]);
  assert.equal(offerKey, 'num-2.wav');
  eve.command('sndcode', '2');
  // The box confirms the callback and hangs up; the caller keeps their place.
  await eve.waitEvent('CALL_CLOSED', 15_000);
  const entry = await until('callback pending', () => h.queues.acd.queue('503').entries.find((e) => e.phase === 'callback'));
  assert.equal(entry.callbackNumber, '1005');

  const since = eve.events.length;
  const chloeSince = chloe.events.length;
  chloe.command('dial', '*48');
  // The box calls the customer back (auto-answer), who confirms with 1.
  await eve.waitEvent('CALL_ESTABLISHED', 15_000, since);
  const confirmKey = await until('confirm prompt', () => played.includes('callback-connect.wav') && played[played.indexOf('callback-connect.wav') + 1]);
  assert.equal(confirmKey, 'num-1.wav', 'the confirm key (1) is spoken');
  await sleep(500);
  eve.command('sndcode', '1');
  const agentUp = await until('agent connected', () => chloe.events.slice(chloeSince).filter((e) => e.type === 'CALL_ESTABLISHED')[1], 15_000);
  assert.match(agentUp.peeruri ?? '', /1005@/, 'the agent sees the customer');
  assert.equal(h.queues.acd.agent('1003').state, 'on-call');
  await sleep(500);
  const e0 = total(await eve.rtpReceived());
  const c0 = total(await chloe.rtpReceived());
  await sleep(2000);
  assert.ok(total(await eve.rtpReceived()) - e0 > 60, 'the customer hears the agent');
  assert.ok(total(await chloe.rtpReceived()) - c0 > 60, 'the agent hears the customer');
  eve.command('hangup');
  await chloe.waitEvent('CALL_CLOSED', 10_000, chloeSince + 2);
  await until('agent free', () => h.queues.acd.agent('1003').state === 'available');
  await until('rtpengine holds no call', async () => (await h.mediaCalls()).length === 0);
});

test('a waiting caller hears the queue prompt and their position announced over the music; the exit key plays the goodbye prompt and hangs up', async (t) => {
  const h = await startQueueHarness(t);
  const played = recordPlayed(h);
  const eve = await h.phone(t, '1005', { toneHz: 660, address: '127.0.0.3' });
  eve.command('dial', '504');
  await eve.waitEvent('CALL_ESTABLISHED');
  await until('position announced', () => played.includes('you-are-caller-number.wav'), 15_000);
  const at = played.indexOf('you-are-caller-number.wav');
  assert.equal(played[0], 'default.wav', 'music first');
  assert.ok(played.slice(0, at).includes('all-agents-busy.wav'), `the queue's own prompt every 2 s: ${played.join(', ')}`);
  await until('number and music again', () => played.length >= at + 3, 10_000);
  assert.deepEqual(played.slice(at, at + 3), ['you-are-caller-number.wav', 'num-1.wav', 'default.wav']);
  eve.command('sndcode', '9');
  await until('goodbye prompt', () => played.includes('closed.wav'));
  await eve.waitEvent('CALL_CLOSED', 15_000);
  assert.equal(h.queues.acd.queue('504').entries.length, 0);
  await until('rtpengine holds no call', async () => (await h.mediaCalls()).length === 0);
});
