import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { settledAdmin, startHarness, type Client } from './harness.ts';

interface Sse {
  events: { event: string; data: unknown }[];
  close(): void;
  until(pred: (e: { event: string; data: unknown }[]) => boolean, ms?: number): Promise<void>;
}

function openEvents(c: Client, path: string): Promise<Sse> {
  return new Promise((resolve, reject) => {
    const url = new URL(c.base + path);
    const req = http.get(url, { headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`SSE ${res.statusCode}`));
      assert.match(res.headers['content-type'] ?? '', /^text\/event-stream/);
      const events: Sse['events'] = [];
      const waiters = new Set<() => void>();
      let buf = '';
      res.on('data', (b: Buffer) => {
        buf += b.toString();
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event !== undefined && data !== undefined) events.push({ event, data: JSON.parse(data) });
        }
        for (const w of waiters) w();
      });
      resolve({
        events,
        close: () => req.destroy(),
        until: (pred, ms = 5000) =>
          new Promise<void>((ok, fail) => {
            const timer = setTimeout(() => fail(new Error(`no matching events; got ${JSON.stringify(events).slice(0, 500)}`)), ms);
            const check = () => {
              if (pred(events)) {
                clearTimeout(timer);
                waiters.delete(check);
                ok();
              }
            };
            waiters.add(check);
            check();
          }),
      });
    });
    req.on('error', reject);
  });
}

const queue = (waiting: number) => ({
  number: '500',
  name: 'Support',
  waiting,
  longestWaitS: waiting * 10,
  estimatedWaitS: waiting * 20,
  agents: { idle: 1, busy: 0, paused: 0, 'wrap-up': 0, ringing: 0 },
  answeredToday: 0,
  abandonedToday: 0,
  serviceLevelPercent: null,
});

test('the event stream starts with the current state and follows changes, coalescing bursts', async (t) => {
  const h = await startHarness(t, { streams: { minIntervalMs: 300, maxStreams: 4, heartbeatMs: 60_000 } });
  const c = await settledAdmin(h);
  h.live.setQueue(queue(0));
  const sse = await openEvents(c, '/api/v1/live/events?topics=queues,health');
  t.after(() => sse.close());
  await sse.until((e) => e.some((x) => x.event === 'queues') && e.some((x) => x.event === 'health'));
  assert.equal((sse.events.find((e) => e.event === 'queues')?.data as { waiting: number }[])[0]?.waiting, 0);

  const start = sse.events.length;
  for (let i = 1; i <= 200; i++) h.live.setQueue(queue(i));
  await sse.until((e) => e.slice(start).some((x) => x.event === 'queues' && (x.data as { waiting: number }[])[0]?.waiting === 200));
  const sent = sse.events.slice(start).filter((e) => e.event === 'queues').length;
  assert.ok(sent <= 2, `200 changes in a burst became ${sent} events`);

  h.health.set('rtpengine', 'down', 'no answer');
  await sse.until((e) => e.some((x) => x.event === 'health' && (x.data as { status: string }).status === 'fault'));
  assert.ok(!sse.events.some((e) => e.event === 'agents'), 'only the topics asked for');
});

test('agents get only their own slice of the live state; streams are capped', async (t) => {
  const h = await startHarness(t, { streams: { minIntervalMs: 50, maxStreams: 2, heartbeatMs: 60_000 } });
  const admin = await settledAdmin(h);
  await admin.post('/api/v1/extensions', { number: '1001', name: 'Alice', agent: {} });
  await admin.post('/api/v1/extensions', { number: '1002', name: 'Bob', agent: {} });
  await admin.post('/api/v1/queues', { number: '500', name: 'Support', members: ['1001', '1002'] });
  h.addUser('alice', 'agent', { extension: '1001' });
  for (const n of ['1001', '1002']) h.live.setAgent({ extension: n, name: n, state: 'logged-out', since: new Date().toISOString(), queues: [], registered: true, answeredToday: 0 });
  const alice = await h.as('alice');
  const sse = await openEvents(alice, '/api/v1/live/events?topics=agents,registrations');
  t.after(() => sse.close());
  await sse.until((e) => e.some((x) => x.event === 'agents'));
  assert.deepEqual((sse.events[0]?.data as { extension: string }[]).map((a) => a.extension), ['1001']);
  assert.ok(!sse.events.some((e) => e.event === 'registrations'), 'agents do not see registrations');

  assert.equal((await alice.post('/api/v1/agents/1001/login', {})).status, 200);
  await sse.until((e) => e.some((x) => x.event === 'agents' && (x.data as { state: string; queues: string[] }[])[0]?.state === 'idle'));
  assert.deepEqual(h.live.snapshot().agents.find((a) => a.extension === '1001')?.queues, ['500']);
  assert.equal((await alice.post('/api/v1/agents/1002/logout')).status, 403);

  const second = await openEvents(admin, '/api/v1/live/events');
  t.after(() => second.close());
  await assert.rejects(openEvents(admin, '/api/v1/live/events'), /SSE 503/);
});
