import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EnvError, readEnv } from '../../src/env.ts';

test('defaults are the dev profile of DESIGN.md on loopback', () => {
  const env = readEnv({});
  assert.equal(env.CALLBOX_BIND, '127.0.0.1');
  assert.equal(env.CALLBOX_HTTP_PORT, 8080);
  assert.equal(env.CALLBOX_SIP_PORT, 5060);
  assert.equal(env.CALLBOX_DRACHTIO_PORT, 9022);
  assert.equal(env.CALLBOX_SNMP_PORT, 1161);
  assert.deepEqual(env.CALLBOX_RTPENGINE_NG, { host: '127.0.0.1', port: 22222 });
  assert.match(env.dataDir, /\/var$/);
});

test('each bad variable is named with what it must be', () => {
  assert.throws(
    () => readEnv({ CALLBOX_HTTP_PORT: '99999', CALLBOX_BIND: 'localhost', CALLBOX_RTPENGINE_NG: '22222' }),
    (e: Error) =>
      e instanceof EnvError &&
      /CALLBOX_HTTP_PORT="99999": must be a port number/.test(e.message) &&
      /CALLBOX_BIND="localhost": must be an IP address/.test(e.message) &&
      /CALLBOX_RTPENGINE_NG="22222": must be HOST:PORT/.test(e.message),
  );
});
