import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../../src/log.ts';
import { NgClient, NgError } from '../../src/media/ng-client.ts';
import { rtpengineCommand } from '../../src/media/rtpengine-process.ts';
import { SupervisedProcess } from '../../src/supervisor/supervised-process.ts';
import { freePort } from '../helpers/ports.ts';
import { tempDir } from '../helpers/tmp.ts';

test('rtpengine spawned with our flags answers ng, and comes back after it is killed', async (t) => {
  const dir = tempDir(t);
  const ngPort = await freePort();
  const ng = new NgClient({ host: '127.0.0.1', port: ngPort, timeoutMs: 500 });
  t.after(() => ng.close());
  const base = 32000 + (ngPort % 200) * 10;
  const { cmd, args } = rtpengineCommand({
    bin: 'rtpengine',
    dataDir: dir,
    interfaceAddress: '127.0.0.1',
    ng: { host: '127.0.0.1', port: ngPort },
    rtpPorts: { min: base, max: base + 9 },
    dtmfLogDest: { host: '127.0.0.1', port: ngPort + 1 },
  });
  const proc = new SupervisedProcess({ name: 'rtpengine', cmd, args, log: createLogger('test', 'silent'), ready: () => ng.ping(), backoffMs: { initial: 100, max: 500 } });
  t.after(() => proc.stop());
  await proc.start();
  assert.equal(await ng.ping(), true);

  // An offer with a real SDP gets an SDP anchored on rtpengine's own port range.
  const res = await ng.command('offer', {
    'call-id': 'selftest-call',
    'from-tag': 'a',
    sdp: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=sendrecv\r\n',
  });
  const port = Number(/m=audio (\d+)/.exec(String(res['sdp']))?.[1]);
  assert.ok(port >= base && port <= base + 9, `media anchored on ${port}`);
  await ng.command('delete', { 'call-id': 'selftest-call', 'from-tag': 'a' });
  // A delete of an unknown call is only a warning in rtpengine; a query of one is an error we must surface.
  await assert.rejects(ng.command('query', { 'call-id': 'no-such-call' }), (e: Error) => e instanceof NgError && /Unknown call-id/.test(e.message));

  process.kill(proc.pid as number, 'SIGKILL');
  assert.equal(await ng.ping(), false, 'a dead rtpengine does not answer');
  const deadline = Date.now() + 10_000;
  while (!(proc.state === 'running' && (await ng.ping()))) {
    assert.ok(Date.now() < deadline, 'rtpengine was not restarted');
    await new Promise((r) => setTimeout(r, 100));
  }
});
