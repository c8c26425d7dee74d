import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import type { TrunkStateChange } from '../../src/trunks/trunk-health.ts';
import { Phone, phoneRtpBase } from '../calls/baresip.ts';
import { CARRIER_HOST, PASSWORDS, SCENARIOS, startCallHarness, until, type CallHarness } from '../calls/harness.ts';
import { rawInvite, reply } from '../calls/raw-calls.ts';
import { RawSip, Registration } from '../calls/sip-client.ts';
import { freePort } from '../helpers/ports.ts';
import { spawnProcess } from '../helpers/process.ts';
import { tempDir } from '../helpers/tmp.ts';

type Ctx = Parameters<typeof startCallHarness>[0];

/** Two carriers on 127.0.0.5; the route tries `carrier` first, then `backup`. Only `carrier` is pinged. */
function twoTrunkSite(backupPort: number, carrier: string) {
  return (carrierPort: number) => `
version: 1
site: { name: Test, timezone: Europe/Berlin, country: DE, language: en }
extensions:
  - { number: "1001", name: Alice Becker, password: "${PASSWORDS['1001']}" }
  - { number: "1002", name: Bob Schmidt, password: "${PASSWORDS['1002']}", ring_timeout_s: 20 }
trunks:
  - { name: carrier, host: ${CARRIER_HOST}, port: ${carrierPort}, number_format: e164-no-plus, ${carrier} }
  - { name: backup, host: ${CARRIER_HOST}, port: ${backupPort}, number_format: e164-no-plus, options_interval_s: 0 }
routes:
  inbound:
    - { did: "+4930123458", to: "extension:1002" }
  outbound:
    - { pattern: "0[1-9]*", trunks: [carrier, backup] }
`;
}

function sipp(t: Ctx, scenario: string, port: number, extra: string[]) {
  const trace = path.join(tempDir(t), 'sipp.log');
  const proc = spawnProcess(t, 'sipp', ['-sf', scenario, '-i', CARRIER_HOST, '-p', String(port), '-nostdin', '-timeout', '60', '-timeout_error', '-trace_msg', '-message_file', trace, ...extra], { cwd: SCENARIOS });
  return Object.assign(proc, { trace });
}

test('a carrier that stops answering OPTIONS goes degraded then down; calls fail over to the next trunk of the route', async (t) => {
  const backupPort = await freePort(CARRIER_HOST);
  const h = await startCallHarness(t, { site: twoTrunkSite(backupPort, 'options_interval_s: 1, options_timeout_s: 1, options_down_after: 2') });
  const changes: TrunkStateChange[] = [];
  h.services.trunkHealth.on('change', (c) => changes.push(c));
  // Answers three pings, then is gone.
  const carrier = sipp(t, 'carrier-options.xml', h.carrierPort, ['-m', '3']);
  const up = await until('carrier answers OPTIONS', () => {
    const s = h.services.trunkHealth.get('carrier');
    return s?.state === 'up' && s.lastRttMs !== undefined && s;
  });
  assert.equal(up.monitored, true);
  assert.equal((await carrier.exited).code, 0, carrier.output());
  const down = await until('carrier marked down', () => {
    const s = h.services.trunkHealth.get('carrier');
    return s?.state === 'down' && s;
  }, 20_000);
  assert.match(down.reason, /2 OPTIONS in a row failed/);
  const path = changes.filter((c) => c.trunk === 'carrier').map((c) => c.to);
  assert.deepEqual(path.slice(-2), ['degraded', 'down'], `state changes: ${path.join(' -> ')}`);
  assert.equal(h.services.trunkHealth.get('backup')?.state, 'up');

  const backup = sipp(t, 'carrier-answer.xml', backupPort, ['-m', '1', '-mi', CARRIER_HOST, '-mp', String(await freePort(CARRIER_HOST))]);
  const alice = await Phone.start(t, { toneHz: 440, rtpBase: await phoneRtpBase() });
  await alice.register(h.sipPort, '1001', PASSWORDS['1001'] as string);
  await new Promise((r) => setTimeout(r, 300));
  alice.command('dial', '030123999');
  await alice.waitEvent('CALL_ESTABLISHED').catch((err: Error) => {
    throw new Error(`${err.message}\nbackup:\n${backup.output()}`, { cause: err });
  });
  assert.equal(h.services.trunkHealth.get('backup')?.activeCalls, 1);
  assert.equal(h.services.trunkHealth.get('carrier')?.callsFailedOver, 1);
  alice.command('hangup');
  assert.equal((await backup.exited).code, 0, backup.output());
  await until('the backup trunk call counted down', () => h.services.trunkHealth.get('backup')?.activeCalls === 0);
});

/** An INVITE from the carrier's address to the DID. */
function carrierInvite(carrier: RawSip, h: CallHarness, callId: string): string {
  return rawInvite(carrier, { requestUri: `sip:4930123458@127.0.0.1:${h.sipPort}`, to: '<sip:4930123458@127.0.0.1>', caller: '4917612345678', callId });
}

test('max_calls: an inbound call beyond the limit gets 503; the slot is free again when the call ends', async (t) => {
  const backupPort = await freePort(CARRIER_HOST);
  const h = await startCallHarness(t, { site: twoTrunkSite(backupPort, 'options_interval_s: 0, max_calls: 1') });
  const phone = await RawSip.open(t, '127.0.0.2');
  const reg = await new Registration(phone, h.sipPort, '1002').send({ contact: `<sip:1002@${phone.address}:${phone.port}>`, expires: 600, password: PASSWORDS['1002'] as string });
  assert.equal(reg.status, 200);
  // From the trunk's own host and port: the two trunks share the host.
  const carrier = await RawSip.open(t, CARRIER_HOST, h.carrierPort);

  carrier.send(carrierInvite(carrier, h, 'first-call'), h.sipPort);
  const ringing = await phone.next((m) => m.start.startsWith('INVITE'));
  assert.equal(h.services.trunkHealth.get('carrier')?.activeCalls, 1);

  carrier.send(carrierInvite(carrier, h, 'second-call'), h.sipPort);
  const refused = await carrier.next((m) => m.status >= 200 && m.get('call-id') === 'second-call');
  assert.equal(refused.status, 503);

  // The phone is busy: the first call ends, and its place on the trunk with it.
  phone.send(reply(ringing, '486 Busy Here'), h.sipPort);
  const busy = await carrier.next((m) => m.status >= 200 && m.get('call-id') === 'first-call');
  assert.equal(busy.status, 486);
  await until('the call counted down', () => h.services.trunkHealth.get('carrier')?.activeCalls === 0);
});
