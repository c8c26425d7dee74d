import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectApp, runSipp, SDP, settle, startTestEngine } from './helpers.ts';

for (const transport of ['u1', 't1'] as const) {
  test(`SIPp UAC calls a drachtio-srf UAS app through the engine (${transport === 'u1' ? 'UDP' : 'TCP'})`, async (t) => {
    const { engine, adminPort, target } = await startTestEngine(t);
    const srf = await connectApp(t, adminPort);
    let byes = 0;
    srf.invite(async (req, res) => {
      const dlg = await srf.createUAS(req, res, { localSdp: SDP });
      dlg.on('destroy', () => byes++);
    });
    const r = await runSipp(t, ['-sn', 'uac', target, '-t', transport, '-i', '127.0.0.2', '-p', '0', '-m', '5', '-r', '10', '-l', '5']);
    assert.equal(r.code, 0, r.output);
    assert.equal(byes, 5);
    await settle(engine);
    const c = engine.counters();
    assert.equal(c.liveDialogs, 0);
    assert.equal(c.liveTransactions, 0);
    assert.equal(c.requestsIn['INVITE'], 5);
    assert.equal(c.requestsIn['BYE'], 5);
    assert.equal(c.responsesOut['2xx'], 10);
  });
}

test('in-dialog requests from the network reach the app that owns the dialog (INFO, re-INVITE, OPTIONS, BYE)', async (t) => {
  const { engine, adminPort, target } = await startTestEngine(t);
  const srf = await connectApp(t, adminPort);
  const seen: string[] = [];
  srf.invite(async (req, res) => {
    const dlg = await srf.createUAS(req, res, { localSdp: SDP });
    dlg.on('info', (r, s) => {
      seen.push(`info:${r.get('Content-Type')}`);
      s.send(200);
    });
    dlg.on('modify', (r, s) => {
      seen.push(`modify:${/sendonly/.test(r.body)}`);
      s.send(200, { body: SDP.replace('a=rtpmap', 'a=recvonly\r\na=rtpmap') });
    });
    dlg.on('destroy', () => seen.push('destroy'));
  });
  const r = await runSipp(t, ['-sf', 'uac-indialog.xml', target, '-i', '127.0.0.2', '-p', '0', '-m', '1']);
  assert.equal(r.code, 0, r.output);
  assert.deepEqual(seen, ['info:application/dtmf-relay', 'modify:true', 'destroy']);
  await settle(engine);
  assert.equal(engine.counters().liveDialogs, 0);
  assert.equal(engine.counters().liveTransactions, 0);
});

test('no app routes INVITE: 503; an unknown method: 501; BYE outside a dialog: 481', async (t) => {
  const { engine, target } = await startTestEngine(t);
  const r = await runSipp(t, ['-sf', 'uac-expect-503.xml', target, '-i', '127.0.0.2', '-p', '0', '-m', '1']);
  assert.equal(r.code, 0, r.output);
  assert.equal(engine.counters().responsesOut['5xx'], 2);
  assert.equal(engine.counters().responsesOut['4xx'], 1);
});

test('CANCEL before answer: 200 to the CANCEL, 487 to the INVITE, the app sees the cancel', async (t) => {
  const { engine, adminPort, target } = await startTestEngine(t);
  const srf = await connectApp(t, adminPort);
  let canceled = 0;
  srf.invite((req, res) => {
    req.on('cancel', () => canceled++);
    res.send(180);
  });
  const r = await runSipp(t, ['-sf', 'uac-cancel.xml', target, '-i', '127.0.0.2', '-p', '0', '-m', '3', '-r', '5']);
  assert.equal(r.code, 0, r.output);
  assert.equal(canceled, 3);
  await settle(engine);
  assert.equal(engine.counters().liveDialogs, 0);
  assert.equal(engine.counters().liveTransactions, 0);
});
