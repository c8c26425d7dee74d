import type { Role } from '../../config/site-schema.ts';

export type { Role };

/**
 * Who may do what, by endpoint family. Least privilege: each role gets what its job needs. Scoping inside a
 * family (a supervisor's own queues, an agent's own extension) is done by the handlers.
 */
export const ACCESS = {
  /** Extensions, phones, agents and skills: the installer's daily work. */
  'stations.read': ['admin', 'installer', 'supervisor', 'auditor'],
  'stations.write': ['admin', 'installer'],
  /** Queues, IVR flows, hours and holidays, pause reasons: how calls are handled. */
  'callflow.read': ['admin', 'installer', 'supervisor', 'auditor'],
  'callflow.write': ['admin'],
  /** Pause reason codes: agents pick one when they pause. */
  'pause-reasons.read': ['admin', 'installer', 'supervisor', 'agent', 'auditor'],
  /** A supervisor edits the queues they are given. */
  'queues.write': ['admin', 'supervisor'],
  /** Trunks, routes, SBC, QoS, SNMP, feature codes, site settings: the network side. */
  'network.read': ['admin', 'installer', 'auditor'],
  'network.write': ['admin', 'installer'],
  /** Recording policy (and later the recordings): never the installer. */
  'recording.read': ['admin', 'supervisor', 'auditor'],
  'recording.write': ['admin'],
  'users.read': ['admin', 'auditor'],
  'users.write': ['admin'],
  'audit.read': ['admin', 'auditor'],
  'cdrs.read': ['admin', 'supervisor', 'auditor'],
  /** Live registrations, calls and trunk states. */
  'live.read': ['admin', 'supervisor', 'installer', 'auditor'],
  /** Live queues and agents: agents see their own, supervisors their queues. */
  'live.queues': ['admin', 'supervisor', 'agent', 'auditor'],
  /** Logging agents in and out, pausing them: agents themselves, supervisors for their queues. */
  'agents.control': ['admin', 'supervisor', 'agent'],
  'system.read': ['admin', 'supervisor', 'installer', 'agent', 'auditor'],
  'system.admin': ['admin'],
  'system.diagnostics': ['admin', 'installer'],
  'config.export': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Access = keyof typeof ACCESS;

export function allowed(role: Role, access: Access): boolean {
  return (ACCESS[access] as readonly Role[]).includes(role);
}
