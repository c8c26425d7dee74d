import assert from 'node:assert/strict';
import { test } from 'node:test';
import { placeholderAnswer } from '../../src/calls/answer-in-box.ts';
import { startOfDay } from '../../src/acd-calls/queue-log.ts';
import { offerFailure } from '../../src/acd-calls/ring-agent.ts';
import { isUsableSdp } from '../../src/media/call-media.ts';
import { keyPromptId, pressKeyAnnouncement } from '../../src/media/number-prompts.ts';
import { promptLanguages, promptTexts } from '../../src/media/prompt-catalog.ts';

test('the placeholder answer offers back exactly the caller\'s formats, at the discard port', () => {
  const offer = ['v=0', 'o=- 1 1 IN IP4 10.0.0.7', 's=-', 'c=IN IP4 10.0.0.7', 't=0 0', 'm=audio 4000 RTP/AVP 8 101', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15', 'a=sendrecv', ''].join('\r\n');
  const answer = placeholderAnswer(offer);
  assert.ok(isUsableSdp(answer));
  assert.match(answer, /^m=audio 9 RTP\/AVP 8 101$/m);
  assert.match(answer, /^a=rtpmap:8 PCMA\/8000$/m);
  assert.match(answer, /^a=fmtp:101 0-15$/m);
  assert.doesNotMatch(answer, /PCMU/, 'a format the caller did not put on its m-line stays out');
  assert.doesNotMatch(answer, /10\.0\.0\.7/, 'nothing of the caller\'s addresses');
});

test('SIP answers become the distributor\'s offer failures', () => {
  assert.equal(offerFailure(486), 'busy');
  assert.equal(offerFailure(600), 'busy');
  assert.equal(offerFailure(603), 'rejected');
  assert.equal(offerFailure(480), 'no-answer');
  assert.equal(offerFailure(408), 'no-answer');
  assert.equal(offerFailure(503), 'error');
  assert.equal(offerFailure(404), 'error');
});

test('"today" starts at midnight in the site\'s time zone, summer and winter', () => {
  assert.equal(startOfDay(Date.parse('2026-12-01T22:30:00Z'), 'Europe/Berlin'), '2026-11-30T23:00:00.000Z');
  assert.equal(startOfDay(Date.parse('2026-12-01T23:30:00Z'), 'Europe/Berlin'), '2026-12-01T23:00:00.000Z');
  assert.equal(startOfDay(Date.parse('2026-07-01T01:30:00Z'), 'Europe/Berlin'), '2026-06-30T22:00:00.000Z');
  assert.equal(startOfDay(Date.parse('2026-12-01T03:00:00Z'), 'America/New_York'), '2026-11-30T05:00:00.000Z');
  assert.equal(startOfDay(Date.parse('2026-12-01T10:00:00Z'), 'UTC'), '2026-12-01T00:00:00.000Z');
});

test('prompts that name a key speak the configured key', () => {
  assert.deepEqual(pressKeyAnnouncement('callback-offer', '2'), ['callback-offer', 'num-2']);
  assert.deepEqual(pressKeyAnnouncement('callback-connect', '*'), ['callback-connect', 'key-star']);
  assert.deepEqual(pressKeyAnnouncement('callback-connect', '#'), ['callback-connect', 'key-pound']);
  assert.throws(() => keyPromptId('A'), /not a DTMF key/);
  for (const lang of promptLanguages) {
    const texts = promptTexts(lang);
    for (const id of ['callback-offer', 'callback-connect', 'key-star', 'key-pound']) assert.ok(texts[id], `${lang}/${id}`);
    assert.doesNotMatch(`${texts['callback-offer']} ${texts['callback-connect']}`, /\d/, 'no key is fixed in the phrase');
  }
});
