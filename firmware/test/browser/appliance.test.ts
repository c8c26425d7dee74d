import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { spawnProcess } from '../helpers/process.ts';
import { boxEnv } from '../helpers/box-env.ts';
import { tempDir } from '../helpers/tmp.ts';
import { tool } from '../snmp/tools.ts';
import { ADMIN_FIRST_PASSWORD } from '../web/harness.ts';
import { firstLogin, openBrowser, shot } from './browser.ts';

const cli = path.resolve(import.meta.dirname, '../../src/cli.ts');

test('on a running box: the SNMP page changes what snmpwalk sees at once; the System page switches the SIP trace on and hands out logs and trace', async (t) => {
  const dataDir = tempDir(t);
  const env = await boxEnv(dataDir, { CALLBOX_ADMIN_PASSWORD: ADMIN_FIRST_PASSWORD });
  const http = Number(env['CALLBOX_HTTP_PORT']);
  const snmpPort = Number(env['CALLBOX_SNMP_PORT']);
  // The box serves the console from web-ui/dist, as `make run` does (`make test` builds it first).
  const box = spawnProcess(t, process.execPath, [cli, 'run'], { env });
  await box.waitFor(/Callbox is up/, 60_000);
  const url = `http://127.0.0.1:${http}`;

  const { page } = await openBrowser(t);
  await firstLogin(page, url, 'Owner-chosen-pass-42');
  await page.getByText('All systems up').waitFor({ timeout: 20_000 });
  await shot(page, '27-box-dashboard');

  // The example site's SNMPv3 user reads sysLocation (.1.3.6.1.2.1.1.6.0), as an NMS would.
  const sysLocation = async () =>
    (await tool('snmpget', ['-v3', '-l', 'authPriv', '-u', 'nms', '-a', 'SHA-256', '-A', 'nms-auth-passphrase', '-x', 'AES', '-X', 'nms-priv-passphrase', '-On', '-t', '2', '-r', '1', `udp:127.0.0.1:${snmpPort}`, '1.3.6.1.2.1.1.6.0'])).stdout;
  assert.doesNotMatch(await sysLocation(), /Cabinet 7/);
  await page.getByRole('link', { name: 'SNMP' }).click();
  await page.getByLabel('Location').fill('Cabinet 7, 2nd floor');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('SNMP settings saved').waitFor();
  let seen = '';
  for (let i = 0; i < 30 && !/Cabinet 7, 2nd floor/.test(seen); i++) {
    seen = await sysLocation();
    if (!/Cabinet 7/.test(seen)) await new Promise((r) => setTimeout(r, 500));
  }
  assert.match(seen, /\.1\.3\.6\.1\.2\.1\.1\.6\.0 = STRING: "Cabinet 7, 2nd floor"/, 'the running agent answers with the new location, no restart');

  // The SIP trace is switched on from the System page; a SIP request sent now is in the trace.
  await page.getByRole('link', { name: 'System' }).click();
  await page.getByLabel(/SIP message trace/).check();
  await page.getByText('SIP trace on').waitFor();
  const callId = `trace-marker-${process.pid}@test`;
  const tracePath = path.join(dataDir, 'sip-trace.txt');
  for (let i = 0; i < 40 && !(existsSync(tracePath) && readFileSync(tracePath, 'utf8').includes(callId)); i++) {
    await sendOptions(Number(env.CALLBOX_SIP_PORT), callId);
    await new Promise((r) => setTimeout(r, 500));
  }

  // The log download from the System page: a .tar.gz with the box log and the SIP trace.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download logs' }).click()]);
  assert.match(download.suggestedFilename(), /^callbox-logs-.*\.tar\.gz$/);
  const file = path.join(tempDir(t), 'logs.tar.gz');
  await download.saveAs(file);
  const out = path.dirname(file);
  execFileSync('tar', ['xzf', file, '-C', out]);
  assert.match(readFileSync(path.join(out, 'callbox-logs', 'callbox.log'), 'utf8'), /"msg":"[^"]*"/, 'the box log is in it, as JSON lines');
  assert.match(readFileSync(path.join(out, 'callbox-logs', 'sip-trace.txt'), 'utf8'), new RegExp(`Call-ID: ${callId}`), 'the SIP trace is in it, with the request sent after switching it on');
  assert.equal(await box.stop(15_000), 0);
});

/** One SIP OPTIONS over UDP from loopback; the answer does not matter, only that the box sees the request. */
async function sendOptions(port: number, callId: string): Promise<void> {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  const local = sock.address().port;
  const msg = [
    `OPTIONS sip:127.0.0.1:${port} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK-${Date.now()}`,
    'Max-Forwards: 70',
    `From: <sip:probe@127.0.0.1>;tag=${process.pid}`,
    `To: <sip:127.0.0.1:${port}>`,
    `Call-ID: ${callId}`,
    'CSeq: 1 OPTIONS',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  await new Promise<void>((r) => sock.send(msg, port, '127.0.0.1', () => r()));
  await new Promise((r) => setTimeout(r, 200));
  sock.close();
}
