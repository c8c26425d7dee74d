import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { RotatingLogFile } from '../../src/log.ts';
import { spawnProcess } from '../helpers/process.ts';
import { boxEnv } from '../helpers/box-env.ts';
import { tempDir } from '../helpers/tmp.ts';
import { Client, GOOD_PASSWORD } from './harness.ts';

const cli = path.resolve(import.meta.dirname, '../../src/cli.ts');
const FIRST = 'first-boot-pass-1';

test('the log file rotates at its size limit and never holds more than two files of it', (t) => {
  const dir = tempDir(t);
  const f = new RotatingLogFile(path.join(dir, 'box.log'), 1000);
  for (let i = 0; i < 100; i++) f.write(`${JSON.stringify({ msg: `line ${i}`, pad: 'x'.repeat(40) })}\n`);
  f.close();
  assert.deepEqual(readdirSync(dir).sort(), ['box.log', 'box.log.1']);
  for (const n of readdirSync(dir)) assert.ok(statSync(path.join(dir, n)).size <= 1000, `${n} is within the limit`);
  assert.match(readFileSync(path.join(dir, 'box.log'), 'utf8'), /"line 99"/, 'the newest line is kept');
  assert.doesNotMatch(readFileSync(path.join(dir, 'box.log.1'), 'utf8') + readFileSync(path.join(dir, 'box.log'), 'utf8'), /"line 0"/, 'the oldest lines are gone');
});

test('with or without a journal, the log download of a running box holds the line a console action caused, and the SIP trace', async (t) => {
  const dataDir = tempDir(t);
  const env = await boxEnv(dataDir, { CALLBOX_ADMIN_PASSWORD: FIRST });
  const port = Number(env['CALLBOX_HTTP_PORT']);
  const box = spawnProcess(t, process.execPath, [cli, 'run'], { env });
  await box.waitFor(/Callbox is up/, 60_000);
  writeFileSync(path.join(dataDir, 'sip-trace.txt'), 'INVITE sip:100@127.0.0.1 SIP/2.0 (trace marker)\n');

  const c = new Client(`http://127.0.0.1:${port}`);
  assert.equal((await c.post('/api/v1/auth/login', { username: 'admin', password: FIRST })).status, 200);
  assert.equal((await c.post('/api/v1/auth/password', { current_password: FIRST, new_password: GOOD_PASSWORD })).status, 200);
  // The dev profile logs the request instead of rebooting the machine: a line only this test causes.
  assert.equal((await c.post('/api/v1/system/reboot')).status, 202);

  const r = await fetch(`${c.base}/api/v1/system/logs`, { headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/gzip');
  assert.match(r.headers.get('content-disposition') ?? '', /filename="callbox-logs-[0-9-]+\.tar\.gz"/);
  const out = tempDir(t);
  const archive = path.join(out, 'logs.tar.gz');
  writeFileSync(archive, Buffer.from(await r.arrayBuffer()));
  // GNU tar reads it: the archive is a real tar.gz, not just something our own reader accepts.
  const names = execFileSync('tar', ['tzf', archive]).toString().trim().split('\n');
  for (const n of ['callbox-logs/callbox.log', 'callbox-logs/sip-trace.txt']) assert.ok(names.includes(n), `${n} is in the archive (${names.join(', ')})`);
  execFileSync('tar', ['xzf', archive, '-C', out]);
  const log = readFileSync(path.join(out, 'callbox-logs', 'callbox.log'), 'utf8');
  const lines = log.trim().split('\n').map((l) => JSON.parse(l) as { msg: string });
  assert.ok(lines.some((l) => /reboot requested from the web console/.test(l.msg)), `the reboot request is in the downloaded log:\n${log.slice(-2000)}`);
  assert.ok(lines.some((l) => /first boot/.test(l.msg)), 'so is the start of the box');
  assert.match(readFileSync(path.join(out, 'callbox-logs', 'sip-trace.txt'), 'utf8'), /trace marker/);
  assert.match(box.output(), /reboot requested from the web console/, 'stdout still gets the log');
  assert.equal(await box.stop(15_000), 0);
});
