import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { listAudit } from '../../src/config/repositories/audit.ts';
import { PromptLibrary, uploadedPromptsDir } from '../../src/media/prompt-library.ts';
import { endpointSdp, startTestRtpengine } from '../helpers/rtpengine.ts';
import { tempDir } from '../helpers/tmp.ts';
import { settledAdmin, startHarness } from './harness.ts';

const soxi = (file: string, flag: string) => execFileSync('soxi', [flag, file]).toString().trim();
const binary = { 'content-type': 'application/octet-stream' };

test('uploaded WAV and MP3 prompts are converted to the built prompts\' format and rtpengine plays them by name', async (t) => {
  const work = tempDir(t);
  // A 16 kHz stereo WAV and a 44.1 kHz MP3: neither is what rtpengine's G.711 calls want.
  const wav = path.join(work, 'in.wav');
  execFileSync('sox', ['-n', '-r', '16000', '-c', '2', '-b', '16', wav, 'synth', '2', 'sine', '440']);
  const mp3 = path.join(work, 'in.mp3');
  execFileSync('sox', ['-n', '-r', '44100', '-c', '1', mp3, 'synth', '3', 'sine', '660']);

  const h = await startHarness(t);
  const admin = await settledAdmin(h);
  const up = await admin.req('PUT', '/api/v1/prompts/custom/holiday-2026', readFileSync(wav), binary);
  assert.equal(up.status, 200, JSON.stringify(up.body));
  assert.equal(up.body.prompt, 'custom/holiday-2026');
  assert.ok(Math.abs(up.body.duration_s - 2) < 0.2, `duration ${up.body.duration_s}`);
  const upMp3 = await admin.req('PUT', '/api/v1/prompts/custom/hold-music', readFileSync(mp3), binary);
  assert.equal(upMp3.status, 200, JSON.stringify(upMp3.body));
  assert.ok(Math.abs(upMp3.body.duration_s - 3) < 0.3, `duration ${upMp3.body.duration_s}`);
  assert.ok(listAudit(h.db).some((e) => e.action === 'prompts.upload'), 'the upload is in the audit log');

  const prompts = new PromptLibrary({ builtDir: path.join(work, 'built'), uploadDir: uploadedPromptsDir(h.dir), language: () => 'en' });
  for (const name of ['custom/holiday-2026', 'custom/hold-music']) {
    const file = prompts.file(name);
    assert.ok(existsSync(file), `${name} is stored in the data dir`);
    assert.deepEqual([soxi(file, '-r'), soxi(file, '-c'), soxi(file, '-b'), soxi(file, '-t')], ['8000', '1', '16', 'wav']);
  }
  const list = await admin.req('GET', '/api/v1/prompts');
  assert.deepEqual(list.body.map((p: { prompt: string }) => p.prompt), ['custom/hold-music', 'custom/holiday-2026']);

  // rtpengine plays the stored file to a party of a call, for as long as it lasts.
  const rtp = await startTestRtpengine(t);
  await rtp.ng.command('offer', { 'call-id': 'c1', 'from-tag': 'a', sdp: endpointSdp(41000) });
  await rtp.ng.command('answer', { 'call-id': 'c1', 'from-tag': 'a', 'to-tag': 'b', sdp: endpointSdp(41002) });
  const played = await rtp.ng.command('playMedia', { 'call-id': 'c1', 'from-tag': 'a', file: prompts.file('custom/holiday-2026') });
  assert.ok(Math.abs(Number(played['duration']) - 2000) < 200, `rtpengine plays 2 s: ${JSON.stringify(played)}`);
  await rtp.ng.command('delete', { 'call-id': 'c1' });

  const gone = await admin.req('DELETE', '/api/v1/prompts/custom/hold-music');
  assert.equal(gone.status, 204);
  assert.equal(existsSync(prompts.file('custom/hold-music')), false);
  assert.equal((await admin.req('DELETE', '/api/v1/prompts/custom/hold-music')).status, 404);
});

test('files that are no usable audio are refused with the reason, and nothing is stored', async (t) => {
  const work = tempDir(t);
  const h = await startHarness(t);
  const admin = await settledAdmin(h);

  const text = await admin.req('PUT', '/api/v1/prompts/custom/bad', Buffer.from('this is not audio at all'), binary);
  assert.equal(text.status, 422);
  assert.equal(text.body.error, 'bad_audio');
  assert.match(text.body.message, /not a WAV or MP3 file/);

  // A WAV header with nothing sox can read after it.
  const broken = Buffer.concat([Buffer.from('RIFF\x24\x00\x00\x00WAVEjunk', 'latin1'), Buffer.alloc(64, 7)]);
  const corrupt = await admin.req('PUT', '/api/v1/prompts/custom/bad', broken, binary);
  assert.equal(corrupt.status, 422);
  assert.match(corrupt.body.message, /WAV file could not be read/);

  const long = path.join(work, 'long.wav');
  execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '8', long, 'synth', '601', 'sine', '300']);
  const tooLong = await admin.req('PUT', '/api/v1/prompts/custom/bad', readFileSync(long), binary);
  assert.equal(tooLong.status, 422);
  assert.match(tooLong.body.message, /at most 600 s/);

  const badName = await admin.req('PUT', '/api/v1/prompts/custom/..hidden', Buffer.from('RIFF'), binary);
  assert.equal(badName.status, 400);
  assert.match(badName.body.message, /name must be letters/);

  const asJson = await admin.req('PUT', '/api/v1/prompts/custom/bad', { not: 'audio' });
  assert.equal(asJson.status, 415);
  assert.deepEqual((await admin.req('GET', '/api/v1/prompts')).body, []);

  h.addUser('installer1', 'installer');
  const installer = await h.as('installer1');
  const refused = await installer.req('PUT', '/api/v1/prompts/custom/x', Buffer.from('RIFF'), binary);
  assert.equal(refused.status, 403, 'call flow changes are the admin\'s');
});
