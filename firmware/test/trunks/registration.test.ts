import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawnProcess } from '../helpers/process.ts';
import { CARRIER_HOST, SCENARIOS, startCallHarness, testSite, until } from '../calls/harness.ts';

test('a registration trunk: backs off after a failure, registers with digest, refreshes before expiry', async (t) => {
  let carrierPort = 0;
  const carrier = { proc: undefined as ReturnType<typeof spawnProcess> | undefined };
  // The carrier must listen before the calls app starts registering: start SIPp from the site hook.
  const h = await startCallHarness(t, {
    site: (port) => {
      carrierPort = port;
      carrier.proc = spawnProcess(t, 'sipp', ['-sf', 'carrier-registrar.xml', '-i', CARRIER_HOST, '-p', String(port), '-m', '1', '-nostdin', '-timeout', '30', '-timeout_error'], { cwd: SCENARIOS });
      return testSite(port, { trunkRegister: true });
    },
  });
  assert.ok(carrierPort > 0);
  const regs = h.services.trunkRegistrations;
  await until('the first attempt failed', () => regs.state('carrier')?.state === 'failed', 10_000);
  await until('registered after the backoff', () => regs.state('carrier')?.state === 'registered', 10_000);
  const exit = await (carrier.proc as ReturnType<typeof spawnProcess>).exited;
  // SIPp ends after the refresh (challenged again) got its 200: the refresh came before the 2 s ran out.
  assert.equal(exit.code, 0, carrier.proc?.output());
  await until('still registered after the refresh', () => {
    const s = regs.state('carrier');
    return s?.state === 'registered' && s.expiresAt - Date.now() > 30_000;
  });
});
