import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectApp, SDP, settle, startTestEngine } from './helpers.ts';
import { header, okFor, phoneRequest, udpPhone } from './udp-phone.ts';

type DestroyEvents = { on(e: 'destroy', f: (msg: unknown, reason: string) => void): void; on(e: 'modify' | 'refresh', f: () => void): void };

async function setup(t: Parameters<typeof startTestEngine>[0]) {
  const e = await startTestEngine(t, ['--min-se', '2']);
  const srf = await connectApp(t, e.adminPort);
  const events: string[] = [];
  let invites = 0;
  srf.invite(async (req, res) => {
    invites++;
    const dlg = (await srf.createUAS(req, res, { localSdp: SDP })) as unknown as DestroyEvents;
    dlg.on('destroy', (_m, reason) => events.push(`destroy:${reason}`));
    dlg.on('modify', () => events.push('modify'));
    dlg.on('refresh', () => events.push('refresh'));
  });
  const phone = await udpPhone(t, e.sipPort);
  const id = `st-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const base = { uri: `sip:svc@127.0.0.1:${e.sipPort}`, port: phone.port, callId: id, fromTag: 'st1', cseq: 1 };
  const invite = (se: string) => phone.send(phoneRequest({ ...base, method: 'INVITE', branch: `z9hG4bK${id}`, extra: [`Session-Expires: ${se}`, 'Supported: timer'], body: SDP }));
  const ack = (res: string, branch = `z9hG4bK${id}-ack`) => {
    const toTag = /tag=([^;\s>]+)/.exec(header(res, 'To') ?? '')?.[1] ?? '';
    phone.send(phoneRequest({ ...base, method: 'ACK', branch, toTag }));
  };
  return { e, phone, events, invite, ack, invites: () => invites, id };
}

test('session timers: Session-Expires below Min-SE gets 422 with Min-SE from the engine; the app never sees the INVITE', async (t) => {
  const s = await setup(t);
  s.invite('1');
  const r = await s.phone.next(/^SIP\/2\.0 422 /);
  assert.equal(header(r, 'Min-SE'), '2');
  s.ack(r, `z9hG4bK${s.id}`);
  await settle(s.e.engine);
  assert.equal(s.invites(), 0);
  assert.equal(s.e.engine.counters().liveTransactions, 0);
});

test('session timers: refresher=uas makes the engine send the refreshing re-INVITE (our SDP again), unseen by the app', async (t) => {
  const s = await setup(t);
  s.invite('2;refresher=uas');
  const ok = await s.phone.next(/^SIP\/2\.0 200 /);
  assert.equal(header(ok, 'Session-Expires'), '2;refresher=uas');
  assert.equal(header(ok, 'Require'), 'timer');
  s.ack(ok);
  const reinvite = await s.phone.next(/^INVITE /);
  assert.equal(header(reinvite, 'Session-Expires'), '2;refresher=uac');
  assert.ok(reinvite.endsWith(SDP), 'the refresh offers the SDP of the answer again');
  s.phone.send(okFor(reinvite));
  const ack = await s.phone.next(/^ACK /);
  assert.equal(header(ack, 'CSeq'), `${header(reinvite, 'CSeq')!.split(' ')[0]} ACK`);
  assert.deepEqual(s.events, []);
  assert.equal(s.e.engine.counters().liveDialogs, 1);
});

test('session timers: refresher=uac and no refresh from the phone: the engine hangs up and tells the app', async (t) => {
  const s = await setup(t);
  s.invite('2;refresher=uac');
  const ok = await s.phone.next(/^SIP\/2\.0 200 /);
  assert.equal(header(ok, 'Session-Expires'), '2;refresher=uac');
  s.ack(ok);
  const bye = await s.phone.next(/^BYE /, 10000);
  assert.match(header(bye, 'Reason') ?? '', /Session timer expired/);
  s.phone.send(okFor(bye));
  await settle(s.e.engine);
  assert.deepEqual(s.events, ['destroy:Session timer expired']);
  assert.equal(s.e.engine.counters().liveDialogs, 0);
});
