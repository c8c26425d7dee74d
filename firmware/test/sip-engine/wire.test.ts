import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { test } from 'node:test';
import { encodeFrame, WireDecoder } from '../../src/sip-engine/wire/framing.ts';
import { startTestEngine } from './helpers.ts';

/** A raw drachtio-protocol client: frames out, decoded payloads in. */
async function rawClient(port: number) {
  const sock = net.connect(port, '127.0.0.1');
  await new Promise<void>((r) => sock.once('connect', () => r()));
  const dec = new WireDecoder();
  const inbox: string[] = [];
  const waiters: (() => void)[] = [];
  let closed = false;
  sock.on('data', (d: Buffer) => {
    inbox.push(...dec.push(d));
    waiters.splice(0).forEach((w) => w());
  });
  sock.on('close', () => {
    closed = true;
    waiters.splice(0).forEach((w) => w());
  });
  const next = async (ms = 2000): Promise<string> => {
    const end = Date.now() + ms;
    while (inbox.length === 0) {
      if (closed) throw new Error('connection closed');
      if (Date.now() > end) throw new Error('timeout waiting for a wire message');
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 50);
      });
    }
    return inbox.shift()!;
  };
  const waitClosed = async (ms = 2000) => {
    const end = Date.now() + ms;
    while (!closed && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    return closed;
  };
  return { sock, next, waitClosed, send: (payload: string) => sock.write(encodeFrame(payload)) };
}

test('framing: byte lengths, split and merged frames, multi-byte UTF-8', () => {
  const dec = new WireDecoder();
  const a = 'x|route|invite';
  const b = 'y|sip|||\r\nMESSAGE sip:a SIP/2.0\r\nX-Name: Jürgen €\r\n\r\n';
  const bytes = Buffer.from(encodeFrame(a) + encodeFrame(b));
  assert.ok(encodeFrame(b).startsWith(`${Buffer.byteLength(b)}#`));
  const got: string[] = [];
  for (let i = 0; i < bytes.length; i += 3) got.push(...dec.push(bytes.subarray(i, i + 3)));
  assert.deepEqual(got, [a, b]);
  assert.deepEqual(new WireDecoder().push(bytes), [a, b]);
  assert.throws(() => new WireDecoder().push(Buffer.from('12x#abc')), /prefix/);
});

test('authenticate: a wrong secret gets NO and the socket is closed; commands before auth are refused', async (t) => {
  const { adminPort } = await startTestEngine(t);
  const bad = await rawClient(adminPort);
  bad.send('a1|authenticate|wrong|');
  assert.match(await bad.next(), /^s\d+\|response\|a1\|NO\|incorrect secret$/);
  assert.equal(await bad.waitClosed(), true);

  const early = await rawClient(adminPort);
  early.send('a2|route|invite');
  assert.match(await early.next(), /^s\d+\|response\|a2\|NO\|/);
  assert.equal(await early.waitClosed(), true);
});

test('authenticate, route, ping, merged frames, unknown type closes the connection', async (t) => {
  const { adminPort, sipPort } = await startTestEngine(t);
  const c = await rawClient(adminPort);
  c.sock.write(encodeFrame('a1|authenticate|cymru|tag1') + encodeFrame('a2|route|options') + encodeFrame('a3|ping'));
  const hp = `udp/127.0.0.1:${sipPort},tcp/127.0.0.1:${sipPort}`;
  assert.equal((await c.next()).replace(/^s\d+/, 'S'), `S|response|a1|OK|${hp}|v0.9.10-callbox|${hp}`);
  assert.match(await c.next(), /^s\d+\|response\|a2\|OK$/);
  assert.match(await c.next(), /^s\d+\|response\|a3\|OK\|pong$/);
  c.send('a4|sip||\r\nSIP/2.0 200 OK\r\n\r\n');
  assert.match(await c.next(), /^s\d+\|response\|a4\|NO\|transaction id missing$/);
  assert.equal(await c.waitClosed(), true);

  const d = await rawClient(adminPort);
  d.send('b1|authenticate|cymru|');
  await d.next();
  d.send('b2|frobnicate');
  assert.match(await d.next(), /^s\d+\|response\|b2\|NO\|Unknown message type$/);
  assert.equal(await d.waitClosed(), true);
});

test('a routed request is delivered with the exact leader fields; the app answers by txnId and gets the echo', async (t) => {
  const { adminPort, sipPort } = await startTestEngine(t);
  const c = await rawClient(adminPort);
  c.send('a1|authenticate|cymru|');
  await c.next();
  c.send('a2|route|options');
  c.send('a3|route|options'); // srf repeats routes: must not duplicate delivery
  await c.next();
  await c.next();
  const phone = dgram.createSocket('udp4');
  await new Promise<void>((r) => phone.bind(0, '127.0.0.1', () => r()));
  t.after(() => phone.close());
  const phonePort = phone.address().port;
  const replies: string[] = [];
  phone.on('message', (m) => replies.push(m.toString()));
  const options = [
    `OPTIONS sip:svc@127.0.0.1:${sipPort} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${phonePort};branch=z9hG4bKw1;rport`,
    'From: <sip:a@127.0.0.1>;tag=w1',
    'To: <sip:svc@127.0.0.1>',
    'Call-ID: wire-1',
    'CSeq: 7 OPTIONS',
    'Max-Forwards: 70',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  phone.send(options, sipPort, '127.0.0.1');
  const msg = await c.next();
  const [leader, ...rest] = msg.split('\r\n');
  const f = leader!.split('|');
  assert.equal(f.length, 13, leader);
  assert.deepEqual([f[1], f[2], f[4], f[5], f[6]], ['sip', 'network', 'udp', '127.0.0.1', String(phonePort)]);
  assert.equal(Number(f[3]), Buffer.byteLength(rest.join('\r\n')));
  assert.match(f[7]!, /^\d\d:\d\d:\d\d\.\d{6}$/);
  const txnId = f[8]!;
  assert.ok(txnId);
  assert.deepEqual(f.slice(9), ['', '127.0.0.1', String(sipPort), '']);
  assert.match(rest[1]!, new RegExp(`^Via: SIP/2\\.0/UDP 127\\.0\\.0\\.1:${phonePort};branch=z9hG4bKw1;rport=${phonePort};received=127\\.0\\.0\\.1$`));

  c.send(`a4|sip|${txnId}|\r\nSIP/2.0 200 OK\r\ncall-id: wire-1\r\ncseq: 7 OPTIONS\r\nx-test: ü\r\nContent-Length: 0\r\n\r\n`);
  const echo = await c.next();
  const ef = echo.split('\r\n')[0]!.split('|');
  assert.deepEqual([ef[1], ef[2], ef[3], ef[4], ef[10], ef[11], ef[12], ef[13]], ['response', 'a4', 'OK', 'application', txnId, '', '', 'Msg sent:']);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(replies.length, 1);
  assert.match(replies[0]!, /^SIP\/2\.0 200 OK\r\n/);
  assert.match(replies[0]!, /\r\nTo: <sip:svc@127\.0\.0\.1>;tag=\w+\r\n/);
  assert.match(replies[0]!, /\r\nX-Test: ü\r\n/);
  assert.ok(echo.endsWith(replies[0]!), 'the echo is the message as sent');

  // a retransmission of the request is absorbed: the same response again, nothing to the app
  phone.send(options, sipPort, '127.0.0.1');
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(replies.length, 2);
  assert.equal(replies[1], replies[0]);
  c.send(`a5|sip|${txnId}|\r\nSIP/2.0 200 OK\r\n\r\n`);
  assert.match(await c.next(), /^s\d+\|response\|a5\|NOK\|Response not sent due to unknown transaction$/);
});
