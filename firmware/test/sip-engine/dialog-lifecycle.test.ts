import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectApp, SDP, startSrf, settle, startTestEngine, type LooseDialog, type TestEngine } from './helpers.ts';
import { header, okFor, phoneRequest, udpPhone, type UdpPhone } from './udp-phone.ts';

let seq = 0;

/** The phone calls the engine; resolves with the 200 (or the first final answer) and the call's identifiers. */
async function call(phone: UdpPhone, e: TestEngine, status = /^SIP\/2\.0 200 /) {
  const id = `lc-${process.pid}-${++seq}`;
  const base = { uri: `sip:svc@127.0.0.1:${e.sipPort}`, port: phone.port, callId: id, fromTag: `f${seq}`, cseq: 1 };
  const invite = phoneRequest({ ...base, method: 'INVITE', branch: `z9hG4bK${id}`, body: SDP });
  phone.send(invite);
  const answer = await phone.next(status);
  const toTag = /tag=([^;\s>]+)/.exec(header(answer, 'To') ?? '')?.[1] ?? '';
  const ack = () => phone.send(phoneRequest({ ...base, method: 'ACK', branch: `z9hG4bK${id}-ack`, toTag }));
  const inDialog = (method: string, cseq: number) => phone.send(phoneRequest({ ...base, method, branch: `z9hG4bK${id}-${method}${cseq}`, toTag, cseq }));
  return { base, answer, toTag, ack, inDialog, invite };
}

test('app connection closes: a BYE in its dialog gets 481 and ends the dialog; an unanswered INVITE gets 480 at once', async (t) => {
  const e = await startTestEngine(t);
  const srf = await startSrf(e.adminPort);
  let ringing = false;
  srf.invite(async (req, res) => {
    if (req.get('Subject') === 'ring') {
      res.send(180);
      ringing = true;
      return;
    }
    await srf.createUAS(req, res, { localSdp: SDP });
  });
  const phone = await udpPhone(t, e.sipPort);
  const c = await call(phone, e);
  c.ack();
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(e.engine.counters().liveDialogs, 1);

  // a second call rings at the app, which then dies without answering
  const id = `lc-${process.pid}-ring`;
  phone.send(phoneRequest({ method: 'INVITE', uri: `sip:svc@127.0.0.1:${e.sipPort}`, port: phone.port, branch: `z9hG4bK${id}`, callId: id, fromTag: 'ring', cseq: 1, extra: ['Subject: ring'], body: SDP }));
  await phone.next(/^SIP\/2\.0 180 /);
  assert.ok(ringing);
  srf.disconnect();
  const refused = await phone.next(/^SIP\/2\.0 480 /);
  assert.equal(header(refused, 'Call-ID'), id);

  c.inDialog('BYE', 2);
  const r = await phone.next(/^SIP\/2\.0 481 /);
  assert.match(header(r, 'CSeq') ?? '', /^2 BYE$/);
  await settle(e.engine);
  assert.equal(e.engine.counters().liveDialogs, 0);
  assert.equal(e.engine.counters().liveTransactions, 0);
});

test('an app restarted after a crash hangs up an orphan dialog by its identifiers; the engine forgets the dialog', async (t) => {
  const e = await startTestEngine(t);
  const srf = await startSrf(e.adminPort);
  srf.invite((req, res) => void srf.createUAS(req, res, { localSdp: SDP }));
  const phone = await udpPhone(t, e.sipPort);
  const c = await call(phone, e);
  c.ack();
  await new Promise((r) => setTimeout(r, 200));
  srf.disconnect();
  const second = await connectApp(t, e.adminPort);
  const send = second.request.bind(second) as unknown as (uri: string, opts: unknown, cb: (err: Error | null) => void) => void;
  const sent = new Promise<Error | null>((resolve) =>
    send(
      `sip:phone@127.0.0.1:${phone.port}`,
      { method: 'BYE', headers: { 'Call-ID': c.base.callId, From: `<sip:svc@127.0.0.1>;tag=${c.toTag}`, To: `<sip:phone@127.0.0.1>;tag=${c.base.fromTag}`, CSeq: '10 BYE' } },
      resolve,
    ),
  );
  assert.equal(await sent, null);
  phone.send(okFor(await phone.next(/^BYE /)));
  await settle(e.engine);
  assert.equal(e.engine.counters().liveDialogs, 0);
});

test('a NOTIFY with Subscription-State: terminated (REFER progress) leaves the INVITE dialog up', async (t) => {
  const e = await startTestEngine(t);
  const srf = await connectApp(t, e.adminPort);
  const dialogs: LooseDialog[] = [];
  srf.invite(async (req, res) => dialogs.push((await srf.createUAS(req, res, { localSdp: SDP })) as unknown as LooseDialog));
  const phone = await udpPhone(t, e.sipPort);
  const c = await call(phone, e);
  c.ack();
  while (dialogs.length === 0) await new Promise((r) => setTimeout(r, 20));
  const dlg = dialogs[0]!;
  const notified = dlg.request({ method: 'NOTIFY', headers: { Event: 'refer', 'Subscription-State': 'terminated;reason=noresource', 'Content-Type': 'message/sipfrag' }, body: 'SIP/2.0 200 OK\r\n' });
  phone.send(okFor(await phone.next(/^NOTIFY /)));
  assert.equal((await notified).status, 200);
  assert.equal(e.engine.counters().liveDialogs, 1);
  const hangUp = dlg.destroy();
  phone.send(okFor(await phone.next(/^BYE /)));
  await hangUp;
  await settle(e.engine);
  assert.equal(e.engine.counters().liveDialogs, 0);
});

test('CANCEL crossing the 200 (before the ACK): 481 to the CANCEL, BYE to the caller, the app sees the hang-up only', async (t) => {
  const e = await startTestEngine(t);
  const srf = await connectApp(t, e.adminPort);
  const events: string[] = [];
  srf.invite(async (req, res) => {
    req.on('cancel', () => events.push('cancel'));
    const dlg = await srf.createUAS(req, res, { localSdp: SDP });
    (dlg as unknown as { on(e: 'destroy', f: (msg: unknown, reason: string) => void): void }).on('destroy', (_m, reason) => events.push(`destroy:${reason}`));
  });
  const phone = await udpPhone(t, e.sipPort);
  const c = await call(phone, e);
  phone.send(phoneRequest({ ...c.base, method: 'CANCEL', branch: `z9hG4bK${c.base.callId}` }));
  const r = await phone.next(/^SIP\/2\.0 \d+ [^\r]*\r\n(?:[^\r]+\r\n)*CSeq: 1 CANCEL/);
  assert.match(r, /^SIP\/2\.0 481 /);
  const bye = await phone.next(/^BYE /);
  assert.match(header(bye, 'Reason') ?? '', /CANCEL after 200 OK/);
  phone.send(okFor(bye));
  await settle(e.engine);
  assert.deepEqual(events, ['destroy:CANCEL after 200 OK']);
  assert.equal(e.engine.counters().liveDialogs, 0);
  assert.equal(e.engine.counters().liveTransactions, 0);
});
