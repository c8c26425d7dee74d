import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { parseSnmpConfig, snmpConfigSchema } from '../../src/config/snmp-schema.ts';
import { generateEngineId, normaliseEngineId } from '../../src/snmp/engine-id.ts';
import { inNetwork, peekMessage } from '../../src/snmp/message-peek.ts';
import { renderSnmpdAccess } from '../../src/snmp/snmpd-access.ts';

test('an empty snmp section is standalone, with nobody allowed and v2c off', () => {
  const c = parseSnmpConfig(undefined);
  assert.deepEqual(c, { mode: 'standalone', users: [], communities: [], trap_receivers: [], contact: '', location: '', agentx_socket: '/var/agentx/master' });
});

test('the DESIGN.md example parses, with protocol defaults', () => {
  const c = parseSnmpConfig({
    users: [{ name: 'nms', auth: { password: 'auth-secret-1' }, priv: { password: 'priv-secret-1' } }],
    communities: [],
    trap_receivers: [{ host: '127.0.0.1', port: 1162, version: '3', user: 'nms' }],
  });
  assert.equal(c.users[0]?.auth.protocol, 'sha256');
  assert.equal(c.users[0]?.priv.protocol, 'aes');
  assert.deepEqual(c.trap_receivers[0], { host: '127.0.0.1', port: 1162, version: '3', user: 'nms', inform: false });
});

test('bad input is reported with the path of every problem', () => {
  assert.throws(
    () =>
      parseSnmpConfig({
        mode: 'proxy',
        users: [
          { name: 'nms', auth: { protocol: 'md5', password: 'short' }, priv: { password: 'has a blank' } },
          { name: 'nms', auth: { password: 'auth-secret-1' }, priv: { protocol: 'des', password: 'priv-secret-1' } },
        ],
        communities: [{ name: 'public', networks: [] }, { name: 'ro', networks: ['10.0.0.0/33', 'example.com'] }],
        trap_receivers: [{ host: '127.0.0.1', version: '3', user: 'nobody' }, { host: '127.0.0.1', version: 1, community: 'x' }],
      }),
    (err: Error) => {
      for (const needle of [
        'snmp.mode:',
        'snmp.users.0.auth.protocol:',
        'snmp.users.0.auth.password: must be at least 8 characters',
        'snmp.users.0.priv.password: must not contain blanks',
        'snmp.users.1.priv.protocol:',
        'snmp.communities.0.networks: list at least one allowed source network',
        'snmp.communities.1.networks.0: prefix length must be 0-32',
        'snmp.communities.1.networks.1: example.com is not an IP address',
        'snmp.trap_receivers.1.version:',
      ]) {
        assert.ok(err.message.includes(needle), `missing "${needle}" in: ${err.message}`);
      }
      return true;
    },
  );
  assert.throws(() => parseSnmpConfig({ trap_receivers: [{ host: '127.0.0.1', version: '3', user: 'nobody' }] }), /snmp\.trap_receivers\.0\.user: no SNMPv3 user named nobody/);
  assert.throws(() => parseSnmpConfig({ users: [{ name: 'a', auth: { password: 'auth-secret-1' }, priv: { password: 'priv-secret-1' } }, { name: 'a', auth: { password: 'auth-secret-1' }, priv: { password: 'priv-secret-1' } }] }), /snmp\.users\.1\.name: user a is listed twice/);
});

test('the schema converts to JSON Schema for the site file', () => {
  const schema = JSON.stringify(z.toJSONSchema(snmpConfigSchema, { io: 'input' }));
  assert.match(schema, /trap_receivers/);
  assert.match(schema, /agentx/);
});

test('engine IDs: RFC 3411 format under the (placeholder) enterprise number, normalised input', () => {
  const id = generateEngineId();
  assert.match(id, /^80007ed905[0-9a-f]{24}$/);
  assert.notEqual(generateEngineId(), id);
  assert.equal(normaliseEngineId('0x80007ED905AABBCCDDEEFF001122334455'), '80007ed905aabbccddeeff001122334455');
  assert.throws(() => normaliseEngineId('8000'), /5 to 32 octets/);
});

test('source networks: IPv4, IPv6 and v4-mapped addresses', () => {
  assert.equal(inNetwork('127.0.0.1', '127.0.0.0/8'), true);
  assert.equal(inNetwork('128.0.0.1', '127.0.0.0/8'), false);
  assert.equal(inNetwork('192.0.2.77', '192.0.2.77'), true);
  assert.equal(inNetwork('192.0.2.78', '192.0.2.77/32'), false);
  assert.equal(inNetwork('10.1.2.3', '0.0.0.0/0'), true);
  assert.equal(inNetwork('::ffff:10.1.2.3', '10.0.0.0/8'), true);
  assert.equal(inNetwork('2001:db8::1', '2001:db8::/32'), true);
  assert.equal(inNetwork('2001:db9::1', '2001:db8::/32'), false);
  assert.equal(inNetwork('::1', '::1/128'), true);
  assert.equal(inNetwork('10.1.2.3', '2001:db8::/32'), false);
  assert.equal(inNetwork('fe80::1:2', 'fe80::/10'), true);
});

test('peeking at a datagram never throws on garbage', () => {
  assert.equal(peekMessage(Buffer.alloc(0)), null);
  assert.equal(peekMessage(Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff])), null);
  assert.equal(peekMessage(Buffer.from('hello world')), null);
  // A v2c GetRequest for sysDescr.0 with community "public".
  const v2c = Buffer.from('302602010104067075626c6963a019020411223344020100020100300b300906052b060102010500', 'hex');
  assert.deepEqual(peekMessage(v2c), { version: 1, community: 'public' });
});

test('snmpd access lines: authPriv users and per-network read-only communities in the callbox view', () => {
  const text = renderSnmpdAccess(
    parseSnmpConfig({
      users: [{ name: 'nms', auth: { protocol: 'sha', password: 'auth-secret-1' }, priv: { password: 'priv-secret-1' } }],
      communities: [{ name: 'ro', networks: ['192.0.2.0/24', '2001:db8::/32'] }],
    }),
  );
  assert.equal(
    text.split('\n').slice(1).join('\n'),
    ['createUser nms SHA auth-secret-1 AES priv-secret-1', 'rouser -s usm nms authpriv -V callbox', 'rocommunity ro 192.0.2.0/24 -V callbox', 'rocommunity6 ro 2001:db8::/32 -V callbox', ''].join('\n'),
  );
});
