import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { test } from 'node:test';
import { corpus, type CorpusEntry } from './corpus.ts';
import { connectApp, runSipp, SDP, settle, startTestEngine } from './helpers.ts';

/** What the engine must answer with no app connected: a status, or nothing. */
function expected(e: CorpusEntry): number | undefined {
  if (e.text.startsWith('SIP/')) return undefined;
  if (e.expect === 'ok') return e.network ?? 503;
  return e.expect === 'drop' ? undefined : e.expect;
}

const statusOf = (reply: string) => Number(/^SIP\/2\.0 (\d{3})/.exec(reply)?.[1]);

async function sendUdp(port: number, text: string): Promise<string | undefined> {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  try {
    const reply = new Promise<string | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), 400);
      sock.on('message', (m) => {
        clearTimeout(timer);
        resolve(m.toString());
      });
    });
    sock.send(text, port, '127.0.0.1');
    return await reply;
  } finally {
    sock.close();
  }
}

async function sendTcp(port: number, text: string): Promise<{ reply: string | undefined; closed: boolean }> {
  const sock = net.connect(port, '127.0.0.1');
  await new Promise<void>((r) => sock.once('connect', () => r()));
  let closed = false;
  const reply = await new Promise<string | undefined>((resolve) => {
    let buf = '';
    const timer = setTimeout(() => resolve(buf || undefined), 400);
    sock.on('data', (d) => {
      buf += d.toString();
      if (buf.includes('\r\n\r\n')) {
        clearTimeout(timer);
        resolve(buf);
      }
    });
    sock.on('close', () => {
      closed = true;
      clearTimeout(timer);
      resolve(buf || undefined);
    });
    sock.write(text);
  });
  sock.destroy();
  return { reply, closed };
}

test('malformed corpus over UDP and TCP: each is answered or dropped and counted, then a call still works', async (t) => {
  const { engine, sipPort, adminPort, target } = await startTestEngine(t);
  for (const e of corpus) {
    const text = e.text.replaceAll('PORT', String(sipPort));
    const want = expected(e);
    const udp = await sendUdp(sipPort, text);
    if (want === undefined) assert.equal(udp, undefined, `${e.name} over UDP got ${udp}`);
    else {
      assert.equal(statusOf(udp ?? ''), want, `${e.name} over UDP: ${udp}`);
      if (want === 400) assert.match(udp!, /^SIP\/2\.0 400 Bad Request - \S/, 'the reason says what was wrong');
    }
    // Over TCP a declared body that never comes just waits, so those entries only must not be answered wrongly.
    const tcp = await sendTcp(sipPort, text);
    if (e.name.startsWith('content-length') || e.name === 'no-blank-line') {
      assert.ok(tcp.reply === undefined, `${e.name} over TCP got ${tcp.reply}`);
    } else if (want === undefined) assert.equal(tcp.reply, undefined, `${e.name} over TCP got ${tcp.reply}`);
    else assert.equal(statusOf(tcp.reply ?? ''), want, `${e.name} over TCP: ${tcp.reply}`);
  }
  const drops = corpus.filter((e) => e.expect !== 'ok').length;
  assert.ok(engine.counters().parseErrors >= drops, `parse errors counted: ${engine.counters().parseErrors}`);

  const srf = await connectApp(t, adminPort);
  srf.invite((req, res) => void srf.createUAS(req, res, { localSdp: SDP }));
  const r = await runSipp(t, ['-sn', 'uac', target, '-i', '127.0.0.3', '-p', '0', '-m', '2', '-r', '5']);
  assert.equal(r.code, 0, r.output);
  const r2 = await runSipp(t, ['-sn', 'uac', target, '-t', 't1', '-i', '127.0.0.3', '-p', '0', '-m', '2', '-r', '5']);
  assert.equal(r2.code, 0, r2.output);
  await settle(engine);
  assert.equal(engine.counters().liveDialogs, 0);
  assert.equal(engine.counters().liveTransactions, 0);
});
