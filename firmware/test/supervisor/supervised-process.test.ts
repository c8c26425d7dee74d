import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../../src/log.ts';
import { SupervisedProcess } from '../../src/supervisor/supervised-process.ts';
import { tcpReachable } from '../../src/supervisor/probes.ts';
import { freePort } from '../helpers/ports.ts';
import { alive } from '../helpers/process.ts';

// A tiny daemon: listens on the port it is given; the test kills it to play a crash.
const daemon = (port: number) => [
  '-e',
  `require('node:net').createServer((s) => s.end()).listen(${port}, '127.0.0.1'); console.log('listening');`,
];

test('a crashed child is restarted with backoff, and stop leaves no process behind', async (t) => {
  const port = await freePort();
  const log = createLogger('test', 'silent');
  const proc = new SupervisedProcess({
    name: 'daemon',
    cmd: process.execPath,
    args: daemon(port),
    log,
    ready: () => tcpReachable('127.0.0.1', port),
    backoffMs: { initial: 50, max: 200 },
  });
  t.after(() => proc.stop());
  const states: string[] = [];
  proc.on('state', (s) => states.push(s));

  await proc.start();
  assert.equal(proc.state, 'running');
  const firstPid = proc.pid as number;

  process.kill(firstPid, 'SIGKILL');
  await waitUntil(() => proc.state === 'running' && proc.pid !== firstPid);
  assert.ok(states.includes('restarting'), `states were ${states.join(',')}`);
  assert.equal(proc.restarts, 1);
  assert.ok(await tcpReachable('127.0.0.1', port), 'the restarted daemon serves again');

  const secondPid = proc.pid as number;
  await proc.stop();
  assert.equal(proc.state, 'stopped');
  assert.equal(alive(secondPid), false, 'the child is gone after stop');
  assert.equal(alive(firstPid), false);
});

test('a missing binary fails start with a message that says to install it', async () => {
  const proc = new SupervisedProcess({
    name: 'ghost',
    cmd: '/nonexistent/rtpengine',
    args: [],
    log: createLogger('test', 'silent'),
    ready: async () => false,
    readyTimeoutMs: 2000,
  });
  await assert.rejects(proc.start(), /ghost failed to start: .*not found: install it/);
  assert.equal(proc.state, 'stopped');
});

test('a child that never becomes ready is stopped, not left running', async () => {
  const proc = new SupervisedProcess({
    name: 'sleepy',
    cmd: process.execPath,
    args: ['-e', 'setInterval(() => {}, 1000)'],
    log: createLogger('test', 'silent'),
    ready: async () => false,
    readyTimeoutMs: 500,
  });
  let pid: number | undefined;
  proc.on('state', () => (pid ??= proc.pid));
  await assert.rejects(proc.start(), /not ready within 500 ms/);
  assert.ok(pid !== undefined);
  assert.equal(alive(pid), false);
});

async function waitUntil(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test("a child's warnings and errors reach the box log at their level; its chatter stays at debug", async (t) => {
  const port = await freePort();
  const seen: { level: string; line: string }[] = [];
  const log = createLogger('test', 'silent');
  for (const level of ['debug', 'warn', 'error'] as const) {
    log[level] = ((_o: unknown, line: string) => void seen.push({ level, line })) as typeof log.debug;
  }
  const proc = new SupervisedProcess({
    name: 'engine',
    cmd: process.execPath,
    args: ['-e', `console.log('{"level":30,"msg":"started"}'); console.log('{"level":40,"msg":"trunk slow"}'); console.log('{"level":50,"msg":"bind failed"}'); require('node:net').createServer((s) => s.end()).listen(${port}, '127.0.0.1');`],
    log,
    ready: () => tcpReachable('127.0.0.1', port),
  });
  t.after(() => proc.stop());
  await proc.start();
  const levelOf = (msg: string) => seen.find((s) => s.line.includes(msg))?.level;
  // The pipe may deliver the lines after the port answers.
  for (let i = 0; i < 50 && levelOf('bind failed') === undefined; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(levelOf('started'), 'debug');
  assert.equal(levelOf('trunk slow'), 'warn');
  assert.equal(levelOf('bind failed'), 'error');
});
