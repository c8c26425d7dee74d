import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { startTestEngine } from './helpers.ts';

const options = (port: number, n: number) =>
  [
    `OPTIONS sip:svc@127.0.0.1:${port} SIP/2.0`,
    `Via: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bKtcp${n}`,
    `From: <sip:a@127.0.0.1>;tag=t${n}`,
    'To: <sip:svc@127.0.0.1>',
    `Call-ID: tcp-${n}`,
    `CSeq: ${n} OPTIONS`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');

async function collect(sock: net.Socket, until: (s: string) => boolean, ms = 2000): Promise<string> {
  let buf = '';
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(buf), ms);
    sock.on('data', (d) => {
      buf += d.toString();
      if (until(buf)) {
        clearTimeout(timer);
        resolve(buf);
      }
    });
  });
}

test('TCP: framing by Content-Length across split and merged writes, CRLF keep-alive, idle timeout', async (t) => {
  const { sipPort } = await startTestEngine(t, ['--tcp-idle-ms', '500']);
  const sock = net.connect(sipPort, '127.0.0.1');
  await new Promise<void>((r) => sock.once('connect', () => r()));
  const replies = collect(sock, (s) => (s.match(/SIP\/2\.0 503/g) ?? []).length === 3);
  const one = options(sipPort, 1);
  sock.write(one.slice(0, 30));
  await new Promise((r) => setTimeout(r, 50));
  sock.write(one.slice(30) + options(sipPort, 2) + options(sipPort, 3));
  const got = await replies;
  assert.equal((got.match(/SIP\/2\.0 503 Service Unavailable/g) ?? []).length, 3, got);
  assert.match(got, /Call-ID: tcp-1[\s\S]*Call-ID: tcp-2[\s\S]*Call-ID: tcp-3/);

  sock.removeAllListeners('data');
  const pong = collect(sock, (s) => s === '\r\n', 1000);
  sock.write('\r\n\r\n');
  assert.equal(await pong, '\r\n', 'a CRLFCRLF ping gets a CRLF pong (RFC 5626)');

  const closed = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 3000);
    sock.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  assert.equal(closed, true, 'an idle connection is closed');
});
