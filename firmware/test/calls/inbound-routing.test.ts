import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CARRIER_HOST, PASSWORDS, startCallHarness, testSite, until, type CallHarness } from './harness.ts';
import { rawInvite, reply } from './raw-calls.ts';
import { RawSip, Registration } from './sip-client.ts';

type Ctx = Parameters<typeof startCallHarness>[0];

/** A raw phone registered as `ext`, so the test sees the INVITE the box sends it. */
async function rawPhone(t: Ctx, h: CallHarness, ext: string, address: string): Promise<RawSip> {
  const phone = await RawSip.open(t, address);
  const reg = await new Registration(phone, h.sipPort, ext).send({ contact: `<sip:${ext}@${phone.address}:${phone.port}>`, expires: 600, password: PASSWORDS[ext] as string });
  assert.equal(reg.status, 200);
  return phone;
}

test('an inbound route outside its hours sends the call to closed_to', async (t) => {
  const site = (carrierPort: number) => `
version: 1
site: { name: Test, timezone: Europe/Berlin, country: DE, language: en }
extensions:
  - { number: "1001", name: Alice Becker, password: "${PASSWORDS['1001']}" }
  - { number: "1002", name: Bob Schmidt, password: "${PASSWORDS['1002']}" }
hours:
  - { name: always, weekly: [{ days: [mon, tue, wed, thu, fri, sat, sun], open: "00:00", close: "24:00" }] }
  - { name: never }
trunks:
  - { name: carrier, host: ${CARRIER_HOST}, port: ${carrierPort}, options_interval_s: 0 }
routes:
  inbound:
    - { did: "+4930123458", to: "extension:1002", hours: never, closed_to: "extension:1001" }
    - { did: "+4930123459", to: "extension:1002", hours: always, closed_to: "extension:1001" }
`;
  const h = await startCallHarness(t, { site });
  const alice = await rawPhone(t, h, '1001', '127.0.0.1');
  const bob = await rawPhone(t, h, '1002', '127.0.0.2');
  const carrier = await RawSip.open(t, CARRIER_HOST, h.carrierPort);
  const call = (did: string, callId: string) => carrier.send(rawInvite(carrier, { requestUri: `sip:${did}@127.0.0.1:${h.sipPort}`, to: `<sip:${did}@127.0.0.1>`, caller: '4917612345678', callId }), h.sipPort);

  call('4930123458', 'closed-call');
  const atAlice = await alice.next((m) => m.start.startsWith('INVITE'));
  assert.match(atAlice.get('to') ?? '', /1001/);
  alice.send(reply(atAlice, '486 Busy Here'), h.sipPort);
  assert.equal((await carrier.next((m) => m.status >= 200 && m.get('call-id') === 'closed-call')).status, 486);

  call('4930123459', 'open-call');
  const atBob = await bob.next((m) => m.start.startsWith('INVITE'));
  bob.send(reply(atBob, '486 Busy Here'), h.sipPort);
  assert.equal((await carrier.next((m) => m.status >= 200 && m.get('call-id') === 'open-call')).status, 486);
});

test('a call to the contact user of a registered trunk is taken as that trunk, from any address; the DID is in To', async (t) => {
  // The carrier's registrar listens before the calls app registers.
  const registrar = await RawSip.open(t, CARRIER_HOST);
  const h = await startCallHarness(t, { site: () => testSite(registrar.port, { trunkRegister: true }) });
  const register = await registrar.next((m) => m.start.startsWith('REGISTER'));
  registrar.send(reply(register, '200 OK', [`Contact: ${register.get('contact')};expires=600`]), h.sipPort);
  await until('trunk registered', () => h.services.trunkHealth.get('carrier')?.registration === 'registered');
  const bob = await rawPhone(t, h, '1002', '127.0.0.2');

  // The carrier's media gateway: another address than the registrar's.
  const gateway = await RawSip.open(t, '127.0.0.7');
  gateway.send(rawInvite(gateway, { requestUri: `sip:4930123456@127.0.0.1:${h.sipPort}`, to: '<sip:+4930123458@carrier.test>', caller: '4917612345678', callId: 'by-registration' }), h.sipPort);
  const atBob = await bob.next((m) => m.start.startsWith('INVITE'));
  assert.match(atBob.get('from') ?? '', /4917612345678/);
  bob.send(reply(atBob, '486 Busy Here'), h.sipPort);
  assert.equal((await gateway.next((m) => m.status >= 200 && m.get('call-id') === 'by-registration')).status, 486);

  // Any other user from that address must prove an extension's password.
  gateway.send(rawInvite(gateway, { requestUri: `sip:4930999999@127.0.0.1:${h.sipPort}`, to: '<sip:+4930123458@carrier.test>', caller: '4917612345678', callId: 'stranger' }), h.sipPort);
  assert.equal((await gateway.next((m) => m.status >= 200 && m.get('call-id') === 'stranger')).status, 407);
});
