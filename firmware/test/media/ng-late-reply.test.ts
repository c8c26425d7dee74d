import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { test } from 'node:test';
import { createLogger } from '../../src/log.ts';
import { NgClient, NgError } from '../../src/media/ng-client.ts';

test('a reply from a busy rtpengine that comes after its command timed out is logged, and the box keeps running', async (t) => {
  // A stand-in rtpengine that answers every ping, but too late.
  const slow = dgram.createSocket('udp4');
  slow.on('message', (msg, peer) => {
    const cookie = msg.toString().split(' ')[0];
    setTimeout(() => slow.send(`${cookie} d6:result4:ponge`, peer.port, peer.address), 300);
  });
  slow.bind(0, '127.0.0.1');
  await once(slow, 'listening');
  t.after(() => slow.close());

  const warnings: string[] = [];
  const log = createLogger('test', 'silent');
  log.warn = ((_o: unknown, msg: string) => void warnings.push(msg)) as typeof log.warn;
  const ng = new NgClient({ host: '127.0.0.1', port: slow.address().port, timeoutMs: 100, log });
  t.after(() => ng.close());

  await assert.rejects(ng.command('ping'), (err: unknown) => err instanceof NgError && /timeout/.test(err.message));
  // Without a listener the late reply would be an unhandled 'error' event and end this process.
  for (let i = 0; i < 30 && warnings.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(warnings, ['rtpengine reply that no command waits for']);
});
