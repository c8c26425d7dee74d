import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import { BruteForceDetector, sourceAddress, type BruteForceDetected } from '../../src/calls/brute-force.ts';
import { NonceIssuer } from '../../src/calls/digest/nonce.ts';
import { LiveCalls } from '../../src/calls/live-calls.ts';
import { Registrar } from '../../src/calls/registrar.ts';
import { SipCounters } from '../../src/calls/sip-counters.ts';
import type { SrfRequest, SrfResponse } from '../../src/calls/sip-types.ts';
import { openDatabase } from '../../src/config/database.ts';
import { upsertBinding, type Binding } from '../../src/config/repositories/registrations.ts';
import { applySiteFile } from '../../src/config/site-apply.ts';
import { ServiceDataSource } from '../../src/snmp/service-source.ts';
import type { TrunkStatus } from '../../src/trunks/trunk-health.ts';
import { tempDir } from '../helpers/tmp.ts';
import { FakeSource } from './fake-source.ts';

const quiet = pino({ level: 'silent' });
const example = readFileSync(path.resolve(import.meta.dirname, '../../examples/site.yaml'), 'utf8');

function binding(extension: string, contact: string, now: number): Binding {
  return { extension, contact, receivedProto: 'udp', receivedAddress: '127.0.0.1', receivedPort: 5070, callId: contact, cseq: 1, expiresAt: now + 60_000, registeredAt: now, userAgent: null };
}

test('SIP counters: registered extensions, calls by final answer, calls per second over a minute, auth failures', (t) => {
  const db = openDatabase(tempDir(t));
  t.after(() => db.close());
  assert.ok(applySiteFile(db, example).ok);
  let now = 1_000_000;
  const registrar = new Registrar({ db, realm: 'callbox', nonces: new NonceIssuer(), log: quiet, now: () => now });
  const counters = new SipCounters({ registrar, live: new LiveCalls(), db, now: () => now });
  t.after(() => counters.stop());
  assert.equal(counters.snapshot().registeredEndpoints, 0);

  // Two phones of 1001 and one of 1002: two extensions are registered.
  for (const b of [binding('1001', 'sip:a@x', now), binding('1001', 'sip:b@x', now), binding('1002', 'sip:c@x', now)]) {
    upsertBinding(db, b);
    registrar.emit('register', b);
  }
  assert.equal(counters.snapshot().registeredEndpoints, 2);

  // Each initial INVITE is counted by the final answer its caller gets; a challenge is not the end of a call.
  const invite = (status: number) => {
    // What drachtio-srf's Response does: 'end' once the final response is sent.
    const res = new EventEmitter() as EventEmitter & { send(code: number): void };
    res.send = (code: number) => {
      if (code >= 200) res.emit('end', { status: code });
    };
    counters.countInvites((_req, r) => r.send(status))({} as SrfRequest, res as unknown as SrfResponse);
  };
  for (const s of [407, 200, 200, 404, 486, 487, 503, 603]) invite(s);
  let snap = counters.snapshot();
  assert.equal(snap.callsProcessed, 7n, 'the 407 challenge is not a call');
  assert.equal(snap.failed4xx, 2n, '404 and 486; 487 follows the caller\'s own CANCEL');
  assert.equal(snap.failed5xx, 1n);
  assert.equal(snap.failed6xx, 1n);
  assert.equal(snap.callsPerSecond, 7 / 60);

  now += 30_000;
  invite(200);
  assert.equal(counters.snapshot().callsPerSecond, 8 / 60);
  now += 31_000;
  assert.equal(counters.snapshot().callsPerSecond, 1 / 60, 'the first seven are older than a minute now');

  registrar.countAuthFailure('udp/127.0.0.1:5070', '1001', 'wrong password or unknown user');
  snap = counters.snapshot();
  assert.equal(snap.authFailures, 1n);
  assert.equal(snap.bannedAddresses, 0);
});

test('brute force: reported once per burst per address, after the threshold within the window; the map stays bounded', () => {
  let now = 0;
  const detector = new BruteForceDetector({ threshold: 3, windowMs: 10_000, maxSources: 100, now: () => now });
  const seen: BruteForceDetected[] = [];
  detector.on('detected', (d) => seen.push(d));

  // Slow guessing (one every 6 s) never has three within 10 s.
  for (let i = 0; i < 5; i++, now += 6_000) detector.record('192.0.2.1');
  assert.deepEqual(seen, []);

  for (let i = 0; i < 6; i++, now += 1_000) detector.record('192.0.2.2');
  assert.deepEqual(seen, [{ address: '192.0.2.2', failures: 3 }], 'reported once while the burst goes on');

  now += 20_000;
  for (let i = 0; i < 3; i++) detector.record('192.0.2.2');
  assert.equal(seen.length, 2, 'a new burst after a quiet window is news again');

  for (let i = 0; i < 1000; i++) detector.record(`198.51.100.${i % 250}.${i}`);
  assert.equal(detector.trackedSources, 100);

  assert.equal(sourceAddress('udp/192.0.2.7:5060'), '192.0.2.7');
  assert.equal(sourceAddress('tcp/2001:db8::1:5061'), '2001:db8::1');
  assert.equal(sourceAddress('tls/[2001:db8::2]:5061'), '2001:db8::2');
});

function trunk(name: string, over: Partial<TrunkStatus> = {}): TrunkStatus {
  return { name, state: 'up', reason: '', monitored: true, lastRttMs: 12, lastChange: '2026-12-01T10:00:00.000Z', activeCalls: 1, maxCalls: 0, callsFailedOver: 2, registration: undefined, ...over };
}

test('the service data source: zeros until the calls app attaches, its figures while attached, row indexes kept per trunk', () => {
  const base = new FakeSource();
  const source = new ServiceDataSource(base);
  assert.deepEqual(source.trunks(), []);
  assert.equal(source.sip(), base.sipCounters);

  let trunks = [trunk('a'), trunk('b', { registration: 'registered', lastRttMs: undefined })];
  const sip = { ...base.sipCounters, callsProcessed: 42n };
  const detach = source.attach({ sip: () => sip, trunks: () => trunks });
  assert.equal(source.sip().callsProcessed, 42n);
  assert.deepEqual(
    source.trunks().map((r) => [r.index, r.name, r.registration, r.optionsRttMs, r.callsFailedOver]),
    [
      [1, 'a', 'not-configured', 12, 2n],
      [2, 'b', 'registered', null, 2n],
    ],
  );
  // a removed, c added: b keeps its row, c gets a new one (a's number is not handed to another trunk).
  trunks = [trunk('b'), trunk('c')];
  assert.deepEqual(source.trunks().map((r) => [r.index, r.name]), [[2, 'b'], [3, 'c']]);

  detach();
  assert.deepEqual(source.trunks(), []);
  assert.equal(source.sip().callsProcessed, 42n, 'the last counts stay readable after the calls app stopped');
});
