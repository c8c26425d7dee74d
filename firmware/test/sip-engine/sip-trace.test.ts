import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../helpers/tmp.ts';
import { startTestEngine } from './helpers.ts';
import { phoneRequest, udpPhone, type UdpPhone } from './udp-phone.ts';

const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '');

/** Sends OPTIONS (no app: the engine answers 503) until `done()` holds; bounded in count. */
async function optionsUntil(phone: UdpPhone, sipPort: number, tag: string, done: (callId: string) => boolean): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const callId = `${tag}-${i}-${process.pid}`;
    phone.send(phoneRequest({ method: 'OPTIONS', uri: `sip:127.0.0.1:${sipPort}`, port: phone.port, branch: `z9hG4bK${callId}`, callId, fromTag: 't', cseq: 1 }));
    await phone.next(new RegExp(`Call-ID: ${callId}`));
    await new Promise((r) => setTimeout(r, 50));
    if (done(callId)) return callId;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${tag}: condition never held`);
}

test('SIP trace: off until the switch file exists, one block per message with direction, time, transport and peer; rotates by size', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'sip-trace.txt');
  const sw = path.join(dir, 'sip-trace.on');
  const e = await startTestEngine(t, ['--sip-trace', file, '--sip-trace-switch', sw, '--sip-trace-max-bytes', '4000']);
  const phone = await udpPhone(t, e.sipPort);

  await optionsUntil(phone, e.sipPort, 'off', () => true);
  assert.equal(read(file), '', 'nothing is traced while the switch is off');

  fs.writeFileSync(sw, '');
  const traced = await optionsUntil(phone, e.sipPort, 'on', (id) => read(file).includes(`Call-ID: ${id}`));
  const text = read(file);
  const peer = `127\\.0\\.0\\.1:${phone.port}`;
  assert.match(text, new RegExp(`=== \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z recv from udp ${peer} \\(\\d+ bytes\\)\\nOPTIONS sip:127\\.0\\.0\\.1:${e.sipPort} SIP/2\\.0\\n`));
  assert.match(text, new RegExp(`=== [\\dT:.Z-]+ sent to udp ${peer} \\(\\d+ bytes\\)\\nSIP/2\\.0 503 Service Unavailable\\n`));
  assert.ok(text.includes(`Call-ID: ${traced}`));

  // many more messages: the file rotates to .1 and stays bounded
  await optionsUntil(phone, e.sipPort, 'fill', () => fs.existsSync(`${file}.1`));
  assert.ok(fs.statSync(file).size <= 4000, `trace file bounded: ${fs.statSync(file).size}`);
  assert.ok(fs.statSync(`${file}.1`).size <= 4000);

  fs.rmSync(sw);
  await optionsUntil(phone, e.sipPort, 'stopping', (id) => !read(file).includes(id) && !read(`${file}.1`).includes(id));
  const size = fs.statSync(file).size;
  await optionsUntil(phone, e.sipPort, 'after', () => true);
  assert.equal(fs.statSync(file).size, size, 'nothing is traced once the switch file is gone');
});
