import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getExtension } from '../../src/config/repositories/extensions.ts';
import { audioStats, Phone, phoneRtpBase } from './baresip.ts';
import { PASSWORDS, startCallHarness } from './harness.ts';

test('DND and forward-always from the desk phone: the code is confirmed with a prompt and calls follow it', async (t) => {
  const h = await startCallHarness(t);
  const alice = await Phone.start(t, { address: '127.0.0.1', toneHz: 440, rtpBase: await phoneRtpBase() });
  await alice.register(h.sipPort, '1001', PASSWORDS['1001'] as string);
  const bob = await Phone.start(t, { address: '127.0.0.2', toneHz: 880, rtpBase: await phoneRtpBase() });
  await bob.register(h.sipPort, '1002', PASSWORDS['1002'] as string);
  const chloe = await Phone.start(t, { address: '127.0.0.3', toneHz: 660, rtpBase: await phoneRtpBase() });
  await chloe.register(h.sipPort, '1003', PASSWORDS['1003'] as string);

  /** Dials a code; the box answers, speaks, and hangs up itself. Returns what the phone heard. */
  const code = async (phone: Phone, dialled: string) => {
    const since = phone.events.length;
    phone.command('dial', dialled);
    await phone.waitEvent('CALL_ESTABLISHED', 10_000, since);
    await phone.waitEvent('CALL_CLOSED', 15_000, since);
    return audioStats(phone.takeReceivedDump());
  };

  const heard = await code(alice, '*78');
  assert.ok(heard.rms > 0.02, `Alice heard the confirmation: ${JSON.stringify(heard)}`);
  assert.equal(getExtension(h.db, '1001')?.dnd, true);
  let since = bob.events.length;
  bob.command('dial', '1001');
  assert.match((await bob.waitEvent('CALL_CLOSED', 10_000, since)).param ?? '', /486/);

  await code(alice, '*79');
  assert.equal(getExtension(h.db, '1001')?.dnd, false);

  await code(alice, '*721003');
  assert.equal(getExtension(h.db, '1001')?.forward?.always, 'extension:1003');
  since = chloe.events.length;
  bob.command('dial', '1001');
  const atChloe = await chloe.waitEvent('CALL_ESTABLISHED', 10_000, since);
  assert.match(atChloe.peeruri ?? '', /1002@/);
  bob.command('hangup');
  await chloe.waitEvent('CALL_CLOSED', 10_000, since);

  await code(alice, '*73');
  assert.equal(getExtension(h.db, '1001')?.forward?.always, undefined);
  since = alice.events.length;
  bob.command('dial', '1001');
  await alice.waitEvent('CALL_ESTABLISHED', 10_000, since);
  bob.command('hangup');
  await alice.waitEvent('CALL_CLOSED', 10_000, since);

  // Forwarding to yourself is refused without changing anything.
  since = alice.events.length;
  alice.command('dial', '*721001');
  assert.match((await alice.waitEvent('CALL_CLOSED', 10_000, since)).param ?? '', /484/);
  assert.equal(getExtension(h.db, '1001')?.forward?.always, undefined);
});
