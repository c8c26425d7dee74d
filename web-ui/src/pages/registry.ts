import type { AppState } from '../app.ts';
import { post, type Me } from '../api.ts';
import { h, notice } from '../dom.ts';
import { agentView } from './agent-view.ts';
import { agentsPage } from './agents.ts';
import { col, entityPage, settingsPage } from './config.ts';
import { dashboard } from './dashboard.ts';
import { auditPage, cdrPage } from './records.ts';
import { systemPage } from './system.ts';
import { wallboard } from './wallboard.ts';

type Role = Me['user']['role'];

export interface Page {
  id: string;
  title: string;
  /** Navigation group; later features (reports, IVR editor, recordings, SBC) add pages to these groups. */
  group: 'Operations' | 'Configuration' | 'Network' | 'Records' | 'System';
  roles: Role[];
  render(main: HTMLElement, state: AppState): (() => void) | void;
}

/** Queue members as people read them: "1001, 1007 (penalty 2)". */
const members = (list: unknown) =>
  ((list ?? []) as (string | { extension: string; penalty?: number; weight?: number })[])
    .map((m) => (typeof m === 'string' ? m : `${m.extension}${m.penalty ? ` (penalty ${m.penalty})` : ''}${m.weight !== undefined && m.weight !== 1 ? ` (weight ${m.weight})` : ''}`))
    .join(', ');

const ALL: Role[] = ['admin', 'supervisor', 'installer', 'agent', 'auditor'];
const can = (state: AppState, roles: Role[]) => roles.includes(state.me.user.role);

/** Mirrors the server's roles (firmware/src/web/auth/roles.ts); the server enforces them, this only hides. */
const STATIONS_W: Role[] = ['admin', 'installer'];
const NETWORK_R: Role[] = ['admin', 'installer', 'auditor'];
const CALLFLOW_R: Role[] = ['admin', 'installer', 'supervisor', 'auditor'];

export const PAGES: Page[] = [
  { id: 'dashboard', title: 'Dashboard', group: 'Operations', roles: ['admin', 'supervisor', 'installer', 'auditor'], render: (m) => dashboard(m) },
  { id: 'wallboard', title: 'Wallboard', group: 'Operations', roles: ['admin', 'supervisor', 'auditor'], render: (m) => wallboard(m) },
  { id: 'agents-live', title: 'Agents', group: 'Operations', roles: ['admin', 'supervisor', 'auditor'], render: (m, s) => agentsPage(m, can(s, ['admin', 'supervisor'])) },
  { id: 'agent', title: 'Agent view', group: 'Operations', roles: ['agent', 'admin', 'supervisor'], render: (m, s) => agentView(m, s.me.user.extension) },

  { id: 'extensions', title: 'Extensions', group: 'Configuration', roles: CALLFLOW_R, render: (m, s) => entityPage(m, { path: '/extensions', key: 'number', noun: 'extension', columns: [col('Number', 'number'), col('Name', 'name'), ['Agent', (i) => (i['agent'] ? 'yes' : '')], col('Email', 'email')], canWrite: can(s, STATIONS_W) }) },
  { id: 'phones', title: 'Phones', group: 'Configuration', roles: CALLFLOW_R, render: (m, s) => entityPage(m, { path: '/phones', key: 'mac', noun: 'phone', columns: [col('MAC', 'mac'), col('Vendor', 'vendor'), col('Model', 'model'), col('Extension', 'extension')], canWrite: can(s, STATIONS_W) }) },
  { id: 'agents', title: 'Agents and skills', group: 'Configuration', roles: CALLFLOW_R, render: (m, s) => entityPage(m, { path: '/agents', key: 'extension', noun: 'agent', columns: [col('Extension', 'extension'), col('Name', 'name'), ['Skills', (i) => Object.entries(((i['agent'] as { skills?: Record<string, number> }).skills) ?? {}).map(([k, v]) => `${k} ${v}`).join(', ')]], canWrite: can(s, STATIONS_W), canCreate: false, bodyOf: 'agent' }) },
  { id: 'queues', title: 'Queues', group: 'Configuration', roles: CALLFLOW_R, render: (m, s) => entityPage(m, { path: '/queues', key: 'number', noun: 'queue', columns: [col('Number', 'number'), col('Name', 'name'), col('Strategy', 'strategy'), ['Members', (i) => members(i['members'])]], canWrite: can(s, ['admin', 'supervisor']), canCreate: can(s, ['admin']) }) },
  { id: 'pause-reasons', title: 'Pause reasons', group: 'Configuration', roles: CALLFLOW_R, render: (m, s) => entityPage(m, { path: '/pause-reasons', key: 'code', noun: 'pause reason', columns: [col('Code', 'code'), col('Name', 'name'), col('Paid', 'paid')], canWrite: can(s, ['admin']) }) },
  { id: 'ivr', title: 'IVR flows', group: 'Configuration', roles: CALLFLOW_R, render: (m, s) => entityPage(m, { path: '/ivr', key: 'name', noun: 'IVR flow', columns: [col('Name', 'name'), col('Start', 'start'), ['Nodes', (i) => Object.keys((i['nodes'] as object | undefined) ?? {}).join(', ')]], canWrite: can(s, ['admin']) }) },
  { id: 'hours', title: 'Hours and holidays', group: 'Configuration', roles: CALLFLOW_R, render: (m, s) => entityPage(m, { path: '/hours', key: 'name', noun: 'hours', columns: [col('Name', 'name'), col('Time zone', 'timezone'), ['Holidays', (i) => String(((i['holidays'] as unknown[] | undefined) ?? []).length)]], canWrite: can(s, ['admin']) }) },
  { id: 'recording', title: 'Recording policy', group: 'Configuration', roles: ['admin', 'supervisor', 'auditor'], render: (m, s) => settingsPage(m, '/recording-policy', 'recording policy', can(s, ['admin'])) },
  { id: 'users', title: 'Users', group: 'Configuration', roles: ['admin', 'auditor'], render: (m, s) => entityPage(m, { path: '/users', key: 'username', noun: 'user', columns: [col('Username', 'username'), col('Name', 'name'), col('Role', 'role'), col('Extension', 'extension'), col('Queues', 'queues'), ['Second factor', (i) => (i['totp_enabled'] ? 'on' : 'off')]], hide: ['password_hash'], canWrite: can(s, ['admin']), actions: (i, reload) => [
    can(s, ['admin']) && i['totp_enabled'] ? h('button', { type: 'button', class: 'small', 'aria-label': `Reset second factor of ${String(i['username'])}`, onclick: () => {
      if (confirm(`Remove the second factor of ${String(i['username'])}? They enrol again at their next sign-in.`)) {
        void post(`/users/${String(i['username'])}/reset-totp`).then(() => notice('ok', 'Second factor removed'), (err: unknown) => notice('error', String(err))).then(reload);
      }
    } }, 'Reset 2FA') : null,
  ] }) },

  { id: 'trunks', title: 'Trunks', group: 'Network', roles: NETWORK_R, render: (m, s) => entityPage(m, { path: '/trunks', key: 'name', noun: 'trunk', columns: [col('Name', 'name'), col('Host', 'host'), col('Port', 'port'), col('Transport', 'transport')], canWrite: can(s, STATIONS_W) }) },
  { id: 'routes', title: 'Routes', group: 'Network', roles: NETWORK_R, render: (m, s) => settingsPage(m, '/routes', 'routes', can(s, STATIONS_W)) },
  { id: 'sbc', title: 'SBC policy', group: 'Network', roles: NETWORK_R, render: (m, s) => settingsPage(m, '/sbc-policy', 'SBC policy', can(s, STATIONS_W)) },
  { id: 'qos', title: 'QoS', group: 'Network', roles: NETWORK_R, render: (m, s) => settingsPage(m, '/qos', 'QoS policy', can(s, STATIONS_W)) },
  { id: 'snmp', title: 'SNMP', group: 'Network', roles: NETWORK_R, render: (m, s) => settingsPage(m, '/snmp', 'SNMP settings', can(s, STATIONS_W)) },
  { id: 'feature-codes', title: 'Feature codes', group: 'Network', roles: NETWORK_R, render: (m, s) => settingsPage(m, '/feature-codes', 'feature codes', can(s, STATIONS_W)) },
  { id: 'site', title: 'Site', group: 'Network', roles: NETWORK_R, render: (m, s) => settingsPage(m, '/site', 'site settings', can(s, STATIONS_W)) },

  { id: 'cdrs', title: 'Call records', group: 'Records', roles: ['admin', 'supervisor', 'auditor'], render: (m) => cdrPage(m) },
  { id: 'audit', title: 'Audit log', group: 'Records', roles: ['admin', 'auditor'], render: (m) => auditPage(m) },

  { id: 'system', title: 'System', group: 'System', roles: ALL, render: (m, s) => systemPage(m, s.me) },
];
