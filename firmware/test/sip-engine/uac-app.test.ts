import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freePort } from '../helpers/ports.ts';
import { connectApp, loose, SDP, settle, startSipp, startTestEngine } from './helpers.ts';

for (const transport of ['udp', 'tcp'] as const) {
  test(`app UAC (createUAC) calls a SIPp UAS and hangs up (${transport})`, async (t) => {
    const { engine, adminPort } = await startTestEngine(t);
    const srf = loose(await connectApp(t, adminPort));
    const port = await freePort('127.0.0.4');
    const uas = await startSipp(t, ['-sn', 'uas', '-t', transport === 'udp' ? 'u1' : 't1', '-i', '127.0.0.4', '-p', String(port), '-m', '1']);
    const uri = `sip:bob@127.0.0.4:${port}${transport === 'tcp' ? ';transport=tcp' : ''}`;
    const dlg = await srf.createUAC(uri, { localSdp: SDP, callingNumber: '1000', headers: { 'X-Test': 'uac' } });
    assert.match(dlg.remote.sdp, /^v=0/);
    assert.match(dlg.sip.localTag, /\w+/);
    await dlg.destroy();
    const { code } = await uas.exited;
    assert.equal(code, 0, uas.output());
    await settle(engine);
    assert.equal(engine.counters().liveDialogs, 0);
    assert.equal(engine.counters().liveTransactions, 0);
  });
}

test('a callee ringing longer than 64*T1 is still answered: Timer B stops at the first provisional response', async (t) => {
  const { engine, adminPort } = await startTestEngine(t);
  const srf = loose(await connectApp(t, adminPort));
  const port = await freePort('127.0.0.4');
  const uas = await startSipp(t, ['-sf', 'uas-long-ring.xml', '-i', '127.0.0.4', '-p', String(port), '-m', '1']);
  const dlg = await srf.createUAC(`sip:bob@127.0.0.4:${port}`, { localSdp: SDP });
  assert.match(dlg.remote.sdp, /^v=0/);
  await dlg.destroy();
  const { code } = await uas.exited;
  assert.equal(code, 0, uas.output());
  await settle(engine);
  assert.equal(engine.counters().liveTransactions, 0);
});

test('app UAC with digest: the 401 is retried with credentials on the same Call-ID and CSeq+1', async (t) => {
  const { engine, adminPort } = await startTestEngine(t);
  const srf = loose(await connectApp(t, adminPort));
  const port = await freePort('127.0.0.4');
  const uas = await startSipp(t, ['-sf', 'uas-auth.xml', '-i', '127.0.0.4', '-p', String(port), '-m', '1']);
  const dlg = await srf.createUAC(`sip:bob@127.0.0.4:${port}`, { localSdp: SDP, auth: { username: 'alice', password: 's3cret' } });
  await dlg.destroy();
  // SIPp ties both INVITEs to one call by Call-ID and checks the digest (verifyauth), so its success proves both.
  const { code } = await uas.exited;
  assert.equal(code, 0, uas.output());
  assert.equal(engine.counters().requestsOut['INVITE'], 2);
  assert.equal(engine.counters().responsesIn['4xx'], 1);
  await settle(engine);
  assert.equal(engine.counters().liveDialogs, 0);
});

test('app-originated requests inside a dialog: INFO, re-INVITE (modify), NOTIFY, BYE', async (t) => {
  const { engine, adminPort } = await startTestEngine(t);
  const srf = loose(await connectApp(t, adminPort));
  const port = await freePort('127.0.0.4');
  const uas = await startSipp(t, ['-sf', 'uas-indialog.xml', '-i', '127.0.0.4', '-p', String(port), '-m', '1']);
  const dlg = await srf.createUAC(`sip:bob@127.0.0.4:${port}`, { localSdp: SDP });
  const info = await dlg.request({ method: 'INFO', headers: { 'Content-Type': 'application/dtmf-relay' }, body: 'Signal=1\r\nDuration=100\r\n' });
  assert.equal(info.status, 200);
  const remote = await dlg.modify(SDP.replace('a=rtpmap', 'a=sendonly\r\na=rtpmap'));
  assert.match(String(remote), /^v=0/);
  const notify = await dlg.request({ method: 'NOTIFY', headers: { Event: 'talk', 'Subscription-State': 'active', 'Content-Type': 'text/plain' }, body: 'hi' });
  assert.equal(notify.status, 200);
  await dlg.destroy();
  const { code } = await uas.exited;
  assert.equal(code, 0, uas.output());
  await settle(engine);
  assert.equal(engine.counters().liveDialogs, 0);
  assert.equal(engine.counters().liveTransactions, 0);
});

test('srf.request out of dialog (OPTIONS) and a request the engine refuses', async (t) => {
  const { adminPort, sipPort } = await startTestEngine(t);
  const srf = loose(await connectApp(t, adminPort));
  const port = await freePort('127.0.0.4');
  const uas = await startSipp(t, ['-sf', 'uas-options.xml', '-i', '127.0.0.4', '-p', String(port), '-m', '1']);
  const status = await new Promise<number>((resolve, reject) => {
    srf.request(`sip:ping@127.0.0.4:${port}`, { method: 'OPTIONS' }, (err, req) => {
      if (err) return reject(err);
      req.on('response', (res) => resolve(res.status));
    });
  });
  assert.equal(status, 200);
  assert.equal((await uas.exited).code, 0, uas.output());
  const err = await new Promise<Error>((resolve) => {
    srf.request(`sip:me@127.0.0.1:${sipPort}`, { method: 'OPTIONS' }, (e) => resolve(e!));
  });
  assert.match(err.message, /can not send request to myself/);
  const err2 = await new Promise<Error>((resolve) => {
    srf.request(`sip:x@127.0.0.4:${port}`, { method: 'MESSAGE', body: 'no type' }, (e) => resolve(e!));
  });
  assert.match(err2.message, /missing content-type/);
});
