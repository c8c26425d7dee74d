import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Acd, type AcdInput } from '../../src/acd/index.ts';
import { acdBridge } from '../../src/web/acd-bridge.ts';
import { GOOD_PASSWORD, settledAdmin, startHarness } from '../web/harness.ts';
import { buildUi, openBrowser, shot } from './browser.ts';

test('through the real ACD core: an agent who pauses in the agent view gets no offers, and gets the waiting caller on resume', async (t) => {
  const h = await startHarness(t, { uiDir: buildUi() });
  const admin = await settledAdmin(h);
  await admin.post('/api/v1/extensions', { number: '1001', name: 'Alice Example', agent: {} });
  await admin.post('/api/v1/queues', { number: '500', name: 'Support', members: ['1001'] });
  await admin.post('/api/v1/pause-reasons', { code: 'lunch', name: 'Lunch' });
  h.addUser('alice', 'agent', { extension: '1001' });

  // The engine's own config (acdConfigFromSite is the calls adapter's business): one agent in one queue.
  const acd = new Acd({ agents: [{ id: '1001' }], queues: [{ id: '500', members: [{ agentId: '1001' }] }] }, { now: Date.now(), newId: (() => { let n = 0; return () => `int-${++n}`; })() });
  const offers: { agentId: string; callId: string }[] = [];
  const submit = (input: AcdInput) => {
    for (const c of acd.handle(input, Date.now()).commands) if (c.type === 'offer') offers.push({ agentId: c.agentId, callId: c.callId });
  };
  const bridge = acdBridge({
    acd,
    live: h.live,
    submit,
    names: () => ({ agents: new Map([['1001', 'Alice Example']]), queues: new Map([['500', 'Support']]) }),
    members: () => new Map([['500', ['1001']]]),
    registered: () => true,
  });
  h.live.setAgentControl(bridge.control);
  bridge.publish();

  const { page } = await openBrowser(t);
  await page.goto(h.web.url);
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill(GOOD_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Log in to my queues' }).click();
  await page.locator('.badge.agent-idle').waitFor();
  assert.equal(acd.agent('1001').state, 'available');

  await page.getByLabel('Pause reason').selectOption('lunch');
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.locator('.badge.agent-paused').waitFor();
  assert.equal(acd.agent('1001').state, 'paused');
  assert.equal(acd.agent('1001').pauseReason, 'lunch');

  submit({ type: 'caller-entered', callId: 'c1', queue: '500', callerNumber: '+4930555123' });
  bridge.publish();
  assert.deepEqual(offers, [], 'a paused agent is not offered the call');
  await page.getByRole('row', { name: /Support \(500\) 1/ }).waitFor();
  assert.equal(h.live.snapshot().queues[0]?.waiting, 1);
  await shot(page, '17-agent-paused-caller-waiting');

  await page.getByRole('button', { name: 'Resume' }).click();
  await page.locator('.badge.agent-ringing').waitFor();
  assert.deepEqual(offers, [{ agentId: '1001', callId: 'c1' }], 'on resume the waiting caller is offered to the agent');
});
