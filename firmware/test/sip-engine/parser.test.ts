import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMessage, SipParseError } from '../../src/sip-engine/parser/parse.ts';
import { splitList, parseUri, parseVia, parseNameAddr } from '../../src/sip-engine/parser/tokens.ts';
import { corpus } from './corpus.ts';

const text = (s: string) => s.replaceAll('PORT', '5060');

for (const entry of corpus) {
  test(`corpus ${entry.name} (${entry.category})`, () => {
    const run = () => parseMessage(text(entry.text), { bodyMode: 'datagram' });
    if (entry.expect === 'ok') {
      assert.doesNotThrow(run);
      return;
    }
    assert.throws(run, (err: unknown) => {
      assert.ok(err instanceof SipParseError, `not a SipParseError: ${String(err)}`);
      if (typeof entry.expect === 'number') {
        assert.equal(err.status, entry.expect, err.message);
        assert.ok(err.partial?.via, 'a response needs the Via');
      }
      return true;
    });
  });
}

test('tortuous message: folding, compact forms and spacing give the right eager fields', () => {
  const msg = parseMessage(text(corpus.find((e) => e.name === 'tortuous-options')!.text), { bodyMode: 'datagram' });
  assert.equal(msg.method, 'OPTIONS');
  assert.equal(msg.callId, 'torture-1@127.0.0.9');
  assert.equal(msg.cseq, 9);
  assert.equal(msg.cseqMethod, 'OPTIONS');
  assert.equal(msg.fromTag, 'abc1');
  assert.equal(msg.toTag, '');
  assert.equal(msg.via?.host, '127.0.0.9');
  assert.equal(msg.via?.port, 5099);
  assert.equal(msg.via?.branch, 'z9hG4bKt1a');
  assert.deepEqual(msg.getAll('via').length, 3);
  assert.equal(msg.get('newfangledheader'), 'newfangled value continued newfangled value');
  assert.equal(msg.get('to'), '<sip:svc@127.0.0.1>');
});

test('IPv6 references in Via, Request-URI and Contact', () => {
  const msg = parseMessage(text(corpus.find((e) => e.name === 'escaped-uri-and-ipv6')!.text), { bodyMode: 'datagram' });
  assert.equal(msg.via?.host, '2001:db8::9');
  assert.equal(msg.via?.port, 5070);
  const uri = parseUri(msg.uri)!;
  assert.equal(uri.host, '2001:db8::10');
  assert.equal(uri.port, 5060);
  const contacts = msg.getAll('contact');
  assert.equal(contacts.length, 2);
  assert.equal(parseNameAddr(contacts[0]!)?.params.get('expires'), '30');
});

test('body is framed by Content-Length: longer datagrams are cut, exact bodies kept', () => {
  const base = 'MESSAGE sip:a@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.9;branch=z9hG4bK1\r\nFrom: <sip:b@x>;tag=1\r\nTo: <sip:a@x>\r\nCall-ID: c\r\nCSeq: 2 MESSAGE\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n';
  assert.equal(parseMessage(base + 'hello world', { bodyMode: 'datagram' }).body, 'hello');
  assert.equal(parseMessage(base + 'héllo'.slice(0, 4), { bodyMode: 'datagram' }).body, 'héll');
  assert.equal(parseMessage(base + 'anything at all', { bodyMode: 'ignore' }).body, 'anything at all');
});

test('serializer writes canonical names, recomputes Content-Length and round-trips', () => {
  const msg = parseMessage(text(corpus.find((e) => e.name === 'invite-with-sdp')!.text), { bodyMode: 'datagram' });
  const again = parseMessage(msg.toString(), { bodyMode: 'datagram' });
  assert.equal(again.body, msg.body);
  assert.equal(again.getAll('route').length, 2);
  msg.body = 'v=0\r\n';
  assert.match(msg.toString(), /\r\nContent-Length: 5\r\n\r\nv=0\r\n$/);
  const compact = parseMessage('SIP/2.0 200 OK\r\nv: SIP/2.0/TCP h;branch=z9hG4bKx\r\nf: <sip:a@x>;tag=1\r\nt: <sip:b@x>;tag=2\r\ni: c1\r\nCSeq: 1 BYE\r\nl: 0\r\n\r\n', { bodyMode: 'exact' });
  assert.match(compact.toString(), /^SIP\/2\.0 200 OK\r\nVia: .*\r\nFrom: .*\r\nTo: .*\r\nCall-ID: c1\r\n/);
});

test('list splitting respects quotes and angle brackets', () => {
  assert.deepEqual(splitList('"a, b" <sip:x@y>, <sip:z@w;p=1,2>, sip:q'), ['"a, b" <sip:x@y>', '<sip:z@w;p=1,2>', 'sip:q']);
  assert.equal(parseVia('SIP/2.0/UDP [::1]:5070;rport;branch=z9hG4bKa')?.params.has('rport'), true);
  assert.equal(parseVia('SIP/2.0 host'), undefined);
});
