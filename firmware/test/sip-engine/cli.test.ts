import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { parseContacts, parseSipEngineArgs } from '../../src/sip-engine/cli-args.ts';
import { encodeFrame } from '../../src/sip-engine/wire/framing.ts';
import { freePort } from '../helpers/ports.ts';
import { spawnProcess } from '../helpers/process.ts';
import { tempDir } from '../helpers/tmp.ts';

test('drachtio-style flags: --contact repeated or comma-separated, --address, --port, --secret, --loglevel', async () => {
  const o = await parseSipEngineArgs([
    '--contact', 'sip:127.0.0.1:5070;transport=udp,tcp',
    '--contact', 'sip:[::1]:5080;transport=tcp,sip:127.0.0.2',
    '--address', '127.0.0.1', '--port', '9123', '--secret', 's3', '--loglevel', 'debug', '--t1', '250',
  ]);
  assert.deepEqual(o.contacts, [
    { host: '127.0.0.1', port: 5070, protos: ['udp', 'tcp'] },
    { host: '::1', port: 5080, protos: ['tcp'] },
    { host: '127.0.0.2', port: 5060, protos: ['udp', 'tcp'] },
  ]);
  assert.equal(o.adminPort, 9123);
  assert.equal(o.secret, 's3');
  assert.equal(o.loglevel, 'debug');
  assert.equal(o.timers.t1, 250);
  assert.equal((await parseSipEngineArgs([])).adminPort, 9022);
  assert.deepEqual(parseContacts('sip:127.0.0.1;transport=udp'), [{ host: '127.0.0.1', port: 5060, protos: ['udp'] }]);
});

test('bad flags throw one clear line', async () => {
  await assert.rejects(parseSipEngineArgs(['--bogus']), /^Error: unknown flag "--bogus"$/);
  await assert.rejects(parseSipEngineArgs(['--port', 'x']), /--port: "x" is not a port number/);
  await assert.rejects(parseSipEngineArgs(['--contact', 'sip:127.0.0.1;transport=sctp']), /transport "sctp" is not supported/);
  await assert.rejects(parseSipEngineArgs(['--contact', 'http://x']), /is not sip:HOST/);
  await assert.rejects(parseSipEngineArgs(['--secret']), /--secret needs a value/);
});

test('-f reads a JSON config and reports errors with their path', async (t) => {
  const dir = tempDir(t);
  const good = path.join(dir, 'good.json');
  writeFileSync(good, JSON.stringify({ contacts: ['sip:127.0.0.3:5090;transport=udp'], admin: { port: 9300, secret: 'x' }, timers: { t1: 200 } }));
  const o = await parseSipEngineArgs(['-f', good]);
  assert.deepEqual(o.contacts, [{ host: '127.0.0.3', port: 5090, protos: ['udp'] }]);
  assert.equal(o.adminPort, 9300);
  assert.equal(o.timers.t1, 200);
  const bad = path.join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ admin: { port: 'nine' } }));
  await assert.rejects(parseSipEngineArgs(['-f', bad]), /admin\.port/);
});

test('the engine as a process: logs "sip engine ready", serves the admin port, stops on SIGTERM', async (t) => {
  const sip = await freePort();
  const admin = await freePort();
  const node = process.execPath;
  const p = spawnProcess(t, node, [path.join(import.meta.dirname, 'fixtures/run-engine.ts'), '--contact', `sip:127.0.0.1:${sip};transport=udp,tcp`, '--port', String(admin), '--secret', 'pw'], {
    env: { ...process.env, CALLBOX_LOG_FORMAT: 'json' },
  });
  await p.waitFor(/sip engine ready/);
  const sock = net.connect(admin, '127.0.0.1');
  const reply = await new Promise<string>((resolve) => {
    sock.on('data', (d) => resolve(d.toString()));
    sock.write(encodeFrame('x|authenticate|pw|t1,t2'));
  });
  sock.destroy();
  assert.match(reply, new RegExp(`^\\d+#s\\d+\\|response\\|x\\|OK\\|udp/127\\.0\\.0\\.1:${sip},tcp/127\\.0\\.0\\.1:${sip}\\|v\\d+\\.\\d+\\.\\d+`));
  assert.equal(await p.stop(), 0);

  const bad = spawnProcess(t, node, [path.join(import.meta.dirname, 'fixtures/run-engine.ts'), '--frob']);
  const { code } = await bad.exited;
  assert.equal(code, 2);
  assert.match(bad.output(), /sip-engine: unknown flag "--frob"/);
});

test('flags for WebSocket contacts, session timers, the SIP trace, DNS servers and request handlers', async () => {
  const o = await parseSipEngineArgs([
    '--contact', 'sip:127.0.0.1:8088;transport=ws',
    '--min-se', '120',
    '--sip-trace', '/tmp/t.txt', '--sip-trace-switch', '/tmp/t.on', '--sip-trace-max-bytes', '5000',
    '--dns-server', '127.0.0.1:5353', '--dns-server', '[::1]:53',
    '--request-handler', 'INVITE=tcp://127.0.0.1:3001', '--request-handler', '*=https://router.example/route',
  ]);
  assert.deepEqual(o.contacts, [{ host: '127.0.0.1', port: 8088, protos: ['ws'] }]);
  assert.equal(o.minSe, 120);
  assert.deepEqual([o.traceFile, o.traceSwitchFile, o.traceMaxBytes], ['/tmp/t.txt', '/tmp/t.on', 5000]);
  assert.deepEqual(o.dnsServers, ['127.0.0.1:5353', '[::1]:53']);
  assert.deepEqual(o.requestHandlers, { invite: 'tcp://127.0.0.1:3001', '*': 'https://router.example/route' });
  assert.equal((await parseSipEngineArgs([])).minSe, 90);
  await assert.rejects(parseSipEngineArgs(['--contact', 'sip:127.0.0.1;transport=wss']), /transport=tls or wss needs --tls-key-file/);
  await assert.rejects(parseSipEngineArgs(['--sip-trace-switch', '/tmp/x']), /--sip-trace-switch needs --sip-trace FILE/);
  await assert.rejects(parseSipEngineArgs(['--dns-server', 'ns1.example']), /--dns-server: "ns1\.example" is not IP/);
  await assert.rejects(parseSipEngineArgs(['--request-handler', 'invite=ftp://x']), /--request-handler: "invite=ftp:\/\/x" is not METHOD=/);
});
