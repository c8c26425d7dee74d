import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CallMedia, NoAllowedCodecError } from '../../src/media/call-media.ts';
import { codecFlags, sdpCodecs } from '../../src/media/codec-policy.ts';
import { startTestRtpengine } from '../helpers/rtpengine.ts';

/** A party's SDP offering these payload types (with rtpmap lines) and telephone-events. */
function sdp(port: number, codecs: [number, string][]): string {
  return [
    'v=0',
    'o=- 1 1 IN IP4 127.0.0.1',
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${port} RTP/AVP ${[...codecs.map(([pt]) => pt), 101].join(' ')}`,
    ...codecs.map(([pt, name]) => `a=rtpmap:${pt} ${name}`),
    'a=rtpmap:101 telephone-event/8000',
    'a=sendrecv',
    '',
  ].join('\r\n');
}
const G722: [number, string] = [9, 'G722/8000'];
const PCMA: [number, string] = [8, 'PCMA/8000'];
const PCMU: [number, string] = [0, 'PCMU/8000'];

test('the policy: strip what the sender may not use, hide what the far side may not use, transcode when nothing is shared', () => {
  assert.deepEqual(sdpCodecs(sdp(4000, [G722, PCMA])), ['G722', 'PCMA']);
  assert.deepEqual(sdpCodecs('v=0\r\nm=audio 4000 RTP/AVP 0 8 18\r\n'), ['PCMU', 'PCMA', 'G729']);
  assert.deepEqual(codecFlags(sdp(4000, [G722, PCMA, PCMU]), ['PCMA', 'G722'], ['PCMA', 'PCMU']), { strip: ['PCMU'], mask: ['G722'], transcode: [] });
  assert.deepEqual(codecFlags(sdp(4000, [G722]), ['G722', 'PCMA'], ['PCMA', 'PCMU']), { strip: [], mask: ['G722'], transcode: ['PCMA', 'PCMU'] });
  assert.deepEqual(codecFlags(sdp(4000, [PCMU]), undefined, undefined), { strip: [], mask: [], transcode: [] });
  assert.equal(codecFlags(sdp(4000, [PCMU]), ['PCMA'], undefined), undefined);
});

test('in rtpengine: each side gets only its allowed codecs, with transcoding between a G.722-only phone and a PCMA-only trunk', async (t) => {
  const rtp = await startTestRtpengine(t);
  const media = new CallMedia(rtp.ng, 'codec-call-1');
  media.allow('phone', ['PCMA', 'PCMU', 'G722']);
  // The first offer, before anyone is chosen to ring: only the phone's own policy applies.
  const first = await media.offer('phone', sdp(41000, [G722]));
  assert.deepEqual(sdpCodecs(first), ['G722']);
  // The trunk about to be rung takes PCMA only: the offer is made again for it.
  const toTrunk = await media.offer('phone', sdp(41000, [G722]), undefined, ['PCMA']);
  assert.deepEqual(sdpCodecs(toTrunk), ['PCMA'], toTrunk);
  assert.match(toTrunk, /telephone-event/);
  const toPhone = await media.answer('phone', 'trunk', sdp(41002, [PCMA]));
  assert.deepEqual(sdpCodecs(toPhone), ['G722'], toPhone);

  // A re-offer from the phone (hold, resume) keeps the trunk on PCMA; one from the trunk keeps the phone on G.722.
  assert.deepEqual(sdpCodecs(await media.offer('phone', sdp(41000, [G722]), 'trunk')), ['PCMA']);
  await media.answer('phone', 'trunk', sdp(41002, [PCMA]));
  assert.deepEqual(sdpCodecs(await media.offer('trunk', sdp(41002, [PCMA]), 'phone')), ['G722']);
  await media.answer('trunk', 'phone', sdp(41000, [G722]));

  // Shared codecs are passed through, without the ones the far side may not use.
  const plain = new CallMedia(rtp.ng, 'codec-call-2');
  plain.allow('a', ['PCMA', 'PCMU']);
  assert.deepEqual(sdpCodecs(await plain.offer('a', sdp(41010, [G722, PCMU, PCMA]), undefined, ['PCMA', 'G722'])), ['PCMA']);

  // An offer with none of the sender's codecs is refused before rtpengine sees it.
  const refused = new CallMedia(rtp.ng, 'codec-call-3');
  refused.allow('a', ['PCMA']);
  await assert.rejects(refused.offer('a', sdp(41020, [PCMU])), NoAllowedCodecError);
  await media.delete();
  await plain.delete();
});
