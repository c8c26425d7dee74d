import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Role } from '../../src/config/site-schema.ts';
import { settledAdmin, startHarness, type Client } from './harness.ts';

const ROLES: Role[] = ['admin', 'supervisor', 'installer', 'agent', 'auditor'];
const ext = (number: string, name: string) => ({ number, name, password: `sip-secret-${number}`, agent: {} });

/** [method, path, body, roles that may] — one or more endpoints of every family. */
const MATRIX: [string, string, unknown, Role[]][] = [
  ['GET', '/extensions', undefined, ['admin', 'installer', 'supervisor', 'auditor']],
  ['PUT', '/extensions/1002', ext('1002', 'Bob Renamed'), ['admin', 'installer']],
  ['POST', '/phones', { mac: '00:15:65:12:34:56', vendor: 'yealink', extension: '1001' }, ['admin', 'installer']],
  ['PUT', '/agents/1002', { skills: { billing: 3 } }, ['admin', 'installer']],
  ['GET', '/queues', undefined, ['admin', 'installer', 'supervisor', 'auditor']],
  ['PUT', '/queues/500', { number: '500', name: 'Support', members: ['1001'] }, ['admin', 'supervisor']],
  ['PUT', '/queues/501', { number: '501', name: 'Sales', members: ['1002'] }, ['admin']],
  ['POST', '/queues', { number: '502', name: 'Billing' }, ['admin']],
  ['POST', '/hours', { name: 'office', weekly: [{ days: ['mon'], open: '08:00', close: '17:00' }] }, ['admin']],
  ['GET', '/ivr', undefined, ['admin', 'installer', 'supervisor', 'auditor']],
  ['GET', '/trunks', undefined, ['admin', 'installer', 'auditor']],
  ['POST', '/trunks', { name: 'carrier-a', host: '127.0.0.1', port: 5080 }, ['admin', 'installer']],
  ['PUT', '/routes', { inbound: [], outbound: [] }, ['admin', 'installer']],
  ['GET', '/recording-policy', undefined, ['admin', 'supervisor', 'auditor']],
  ['PUT', '/recording-policy', { mode: 'none' }, ['admin']],
  ['PUT', '/sbc-policy', {}, ['admin', 'installer']],
  ['PUT', '/snmp', { location: 'rack 2' }, ['admin', 'installer']],
  ['GET', '/users', undefined, ['admin', 'auditor']],
  ['POST', '/users', { username: 'newbie', role: 'agent', password: 'temporary-pass-1' }, ['admin']],
  ['GET', '/audit', undefined, ['admin', 'auditor']],
  ['GET', '/cdrs', undefined, ['admin', 'supervisor', 'auditor']],
  ['GET', '/stats/today', undefined, ['admin', 'supervisor', 'installer', 'auditor']],
  ['GET', '/live/registrations', undefined, ['admin', 'supervisor', 'installer', 'auditor']],
  ['GET', '/live/agents', undefined, ['admin', 'supervisor', 'agent', 'auditor']],
  ['POST', '/agents/1001/pause', { reason: 'lunch' }, ['admin', 'supervisor', 'agent']],
  ['POST', '/agents/1002/pause', { reason: 'lunch' }, ['admin']],
  ['GET', '/system/version', undefined, ['admin', 'supervisor', 'installer', 'agent', 'auditor']],
  ['GET', '/system/backup', undefined, ['admin']],
  ['GET', '/system/config', undefined, ['admin']],
  ['PUT', '/system/diagnostics', { sip_trace: false }, ['admin', 'installer']],
  ['PUT', '/system/settings', { totp_required_for_admins: false }, ['admin']],
];

async function setUp(t: Parameters<typeof startHarness>[0]) {
  const h = await startHarness(t);
  const admin = await settledAdmin(h);
  for (const e of [ext('1001', 'Alice'), ext('1002', 'Bob')]) assert.equal((await admin.post('/api/v1/extensions', e)).status, 201);
  assert.equal((await admin.post('/api/v1/queues', { number: '500', name: 'Support', members: ['1001'] })).status, 201);
  assert.equal((await admin.post('/api/v1/queues', { number: '501', name: 'Sales', members: ['1002'] })).status, 201);
  h.addUser('sup', 'supervisor', { queues: ['500'] });
  h.addUser('inst', 'installer');
  h.addUser('agt', 'agent', { extension: '1001' });
  h.addUser('aud', 'auditor');
  for (const n of ['1001', '1002']) {
    h.live.setAgent({ extension: n, name: n, state: 'idle', since: new Date().toISOString(), queues: [], registered: true, answeredToday: 0 });
  }
  const clients: Record<Role, Client> = { admin, supervisor: await h.as('sup'), installer: await h.as('inst'), agent: await h.as('agt'), auditor: await h.as('aud') };
  return { h, clients };
}

test('every role against every endpoint family: allowed where its job needs it, 403 elsewhere', async (t) => {
  const { clients } = await setUp(t);
  const wrong: string[] = [];
  for (const [method, path, body, may] of MATRIX) {
    for (const role of ROLES) {
      const r = await clients[role].req(method, `/api/v1${path}`, body);
      const ok = r.status !== 403 && r.status !== 401;
      if (ok !== may.includes(role)) wrong.push(`${role} ${method} ${path}: ${r.status} ${JSON.stringify(r.body).slice(0, 120)}`);
      if (may.includes(role) && r.status >= 400 && r.status !== 409) wrong.push(`${role} ${method} ${path} allowed but failed: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('scoping inside a family: supervisors see their queues, agents themselves, auditors no secrets', async (t) => {
  const { clients, h } = await setUp(t);
  assert.deepEqual((await clients.supervisor.get('/api/v1/queues')).body.map((q: { number: string }) => q.number), ['500']);
  assert.equal((await clients.supervisor.get('/api/v1/queues/501')).status, 404);
  assert.deepEqual((await clients.agent.get('/api/v1/live/agents')).body.map((a: { extension: string }) => a.extension), ['1001']);
  assert.deepEqual((await clients.supervisor.get('/api/v1/live/agents')).body.map((a: { extension: string }) => a.extension), ['1001']);
  const seenByAuditor = (await clients.auditor.get('/api/v1/extensions')).body as { password: string }[];
  assert.ok(seenByAuditor.every((e) => e.password === '(redacted)'));
  const seenByInstaller = (await clients.installer.get('/api/v1/extensions')).body as { password: string }[];
  assert.equal(seenByInstaller[0]?.password, 'sip-secret-1001');
  // An agent's pause reaches the live state the ACD reads.
  assert.equal((await clients.agent.post('/api/v1/agents/1001/pause', { reason: 'coffee' })).status, 200);
  assert.equal(h.live.snapshot().agents.find((a) => a.extension === '1001')?.state, 'paused');
  assert.equal(h.live.snapshot().agents.find((a) => a.extension === '1001')?.pauseReason, 'coffee');
});
