import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NgError } from '../../src/media/ng-client.ts';
import { endpointSdp, sdpPort, startTestRtpengine } from '../helpers/rtpengine.ts';

test('rtpengine spawned with our flags anchors media, and comes back after it is killed', async (t) => {
  const { ng, proc, rtpPorts } = await startTestRtpengine(t);
  assert.equal(await ng.ping(), true);

  // An offer with a real SDP gets an SDP anchored on rtpengine's own port range.
  const res = await ng.command('offer', { 'call-id': 'anchor-call', 'from-tag': 'a', sdp: endpointSdp(40000) });
  const port = sdpPort(res['sdp']);
  assert.ok(port >= rtpPorts.min && port <= rtpPorts.max, `media anchored on ${port}`);
  await ng.command('delete', { 'call-id': 'anchor-call', 'from-tag': 'a' });
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
