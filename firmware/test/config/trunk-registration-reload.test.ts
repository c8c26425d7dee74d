import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { applySiteFile } from '../../src/config/site-apply.ts';
import { CARRIER_HOST, startCallHarness, testSite, until } from '../calls/harness.ts';
import { freePort } from '../helpers/ports.ts';
import { spawnProcess } from '../helpers/process.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');

/** testSite with the carrier registering at `port` (and the trunk itself there too, as registrars are). */
function registeringSite(port: number): string {
  return testSite(port, { trunkRegister: true });
}

test('trunk registrations follow configuration changes: a new registration starts, a moved one un-registers first, a removed one un-registers', { timeout: 120_000 }, async (t) => {
  const h = await startCallHarness(t);
  const regs = h.services.trunkRegistrations;
  assert.equal(regs.state('carrier'), undefined, 'the test site registers nowhere');

  const registrar = async (port: number) =>
    spawnProcess(t, 'sipp', ['-sf', 'registrar-then-unregister.xml', '-i', CARRIER_HOST, '-p', String(port), '-mp', String(await freePort()), '-m', '1', '-nostdin', '-timeout', '90', '-timeout_error'], { cwd: FIXTURES });

  const first = await freePort(CARRIER_HOST);
  const a = await registrar(first);
  assert.ok(applySiteFile(h.db, registeringSite(first), 'test').ok);
  await regs.reconcile();
  await until('registered at the first registrar', () => regs.state('carrier')?.state === 'registered', 20_000);

  // The carrier moves: the old registration is removed before the new one is made.
  const second = await freePort(CARRIER_HOST);
  const b = await registrar(second);
  assert.ok(applySiteFile(h.db, registeringSite(second), 'test').ok);
  await regs.reconcile();
  assert.equal((await a.exited).code, 0, `the first registrar got the un-REGISTER:\n${a.output().slice(-2000)}`);
  await until('registered at the second registrar', () => regs.state('carrier')?.state === 'registered', 20_000);

  // Registration switched off: un-registered, and no state left.
  assert.ok(applySiteFile(h.db, testSite(second), 'test').ok);
  await regs.reconcile();
  assert.equal((await b.exited).code, 0, `the second registrar got the un-REGISTER:\n${b.output().slice(-2000)}`);
  assert.equal(regs.state('carrier'), undefined);
});
