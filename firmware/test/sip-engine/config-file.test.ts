import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseSipEngineArgs } from '../../src/sip-engine/cli-args.ts';
import { tempDir } from '../helpers/tmp.ts';

type Ctx = Parameters<typeof tempDir>[0];
function configFile(t: Ctx, content: unknown): string {
  const file = path.join(tempDir(t), 'engine.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

/** Every flag of `callbox sip-engine` with a non-default value, and the same settings as a `-f` file. */
const FLAGS = [
  '--contact', 'sip:127.0.0.3:5090;transport=udp,tls',
  '--address', '127.0.0.9', '--port', '9300', '--secret', 's3cret', '--loglevel', 'debug',
  '--t1', '200', '--t2', '3000', '--t4', '4000',
  '--external-ip', '203.0.113.5',
  '--host', 'pbx.test=127.0.0.7',
  '--tls-key-file', '/data/tls/key.pem', '--tls-cert-file', '/data/tls/cert.pem',
  '--tcp-idle-ms', '60000', '--min-se', '120',
  '--sip-trace', '/data/trace.txt', '--sip-trace-switch', '/data/trace.on', '--sip-trace-max-bytes', '5000',
  '--dns-server', '127.0.0.1:5353', '--dns-server', '[::1]:53',
  '--request-handler', 'INVITE=tcp://127.0.0.1:3001', '--request-handler', '*=https://router.example/route',
];
const FILE = {
  contacts: ['sip:127.0.0.3:5090;transport=udp,tls'],
  admin: { address: '127.0.0.9', port: 9300, secret: 's3cret' },
  loglevel: 'debug',
  timers: { t1: 200, t2: 3000, t4: 4000 },
  externalIp: '203.0.113.5',
  hosts: { 'pbx.test': '127.0.0.7' },
  tls: { keyFile: '/data/tls/key.pem', certFile: '/data/tls/cert.pem' },
  tcpIdleMs: 60000,
  minSe: 120,
  sipTrace: { file: '/data/trace.txt', switchFile: '/data/trace.on', maxBytes: 5000 },
  dnsServers: ['127.0.0.1:5353', '[::1]:53'],
  requestHandlers: { INVITE: 'tcp://127.0.0.1:3001', '*': 'https://router.example/route' },
};

test('-f: a JSON file with one key per flag gives exactly the options the flags give', async (t) => {
  const fromFlags = await parseSipEngineArgs(FLAGS);
  assert.deepEqual(await parseSipEngineArgs(['-f', configFile(t, FILE)]), fromFlags);
  // the comparison means something only if every setting differs from its default
  const defaults = await parseSipEngineArgs([]);
  for (const key of Object.keys(fromFlags) as (keyof typeof fromFlags)[]) {
    if (key === 'maxConnsPerAddress' || key === 'appAnswerTimeoutMs') continue; // no flag for these
    assert.notDeepEqual(fromFlags[key], defaults[key], key);
  }
});

test('-f: flags after the file override it, lists from flags add to the file', async (t) => {
  const file = configFile(t, FILE);
  const o = await parseSipEngineArgs(['-f', file, '--tcp-idle-ms', '1000', '--min-se', '95', '--sip-trace', '/tmp/other.txt', '--tls-key-file', '/k.pem', '--external-ip', '198.51.100.1', '--dns-server', '127.0.0.2']);
  assert.equal(o.tcpIdleMs, 1000);
  assert.equal(o.minSe, 95);
  assert.equal(o.traceFile, '/tmp/other.txt');
  assert.equal(o.traceSwitchFile, '/data/trace.on');
  assert.equal(o.tlsKeyFile, '/k.pem');
  assert.equal(o.tlsCertFile, '/data/tls/cert.pem');
  assert.deepEqual(o.contacts.map((c) => c.external), ['198.51.100.1']);
  assert.deepEqual(o.dnsServers, ['127.0.0.1:5353', '[::1]:53', '127.0.0.2']);
  const before = await parseSipEngineArgs(['--tcp-idle-ms', '1000', '-f', file]);
  assert.equal(before.tcpIdleMs, 60000);
});

test('-f: unknown keys and bad values are refused with their path', async (t) => {
  const refuse = (content: unknown, expected: RegExp) => assert.rejects(parseSipEngineArgs(['-f', configFile(t, content)]), expected);
  await refuse({ tcpIdleMS: 5 }, /: tcpIdleMS: unknown key$/);
  await refuse({ sipTrace: { file: '/t', maxbytes: 5 } }, /: sipTrace\.maxbytes: unknown key$/);
  await refuse({ tls: { keyFile: '/k', certFile: '/c', caFile: '/ca' } }, /: tls\.caFile: unknown key$/);
  await refuse({ tls: { keyFile: '/k' } }, /: tls\.certFile: /);
  await refuse({ dnsServers: ['127.0.0.1', 'ns1.example'] }, /: dnsServers\.1: not IP, IPv4:PORT or \[IPv6\]:PORT$/);
  await refuse({ requestHandlers: { INVITE: 'ftp://x' } }, /: requestHandlers\.INVITE: not tcp:\/\/HOST:PORT or http\(s\):\/\/URL$/);
  await refuse({ minSe: 0 }, /: minSe: /);
  await refuse({ externalIp: 'example.com' }, /: externalIp: not an IP address$/);
  await refuse({ admin: { address: 'localhost' } }, /: admin\.address: not an IP address$/);
  await refuse({ hosts: { pbx: 'pbx.example' } }, /: hosts\.pbx: not an IP address$/);
  await refuse({ loglevel: 'verbose', bogus: 1 }, /loglevel: .*; bogus: unknown key$/);
  // the checks that follow the whole command line still apply to the file's settings
  await refuse({ contacts: ['sip:127.0.0.1;transport=tls'] }, /transport=tls or wss needs --tls-key-file/);
});
