import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { readSite } from '../../config/site-export.ts';
import {
  agentSchema,
  extensionSchema,
  featureCodesSchema,
  hoursSchema,
  ivrFlowSchema,
  pauseReasonSchema,
  phoneSchema,
  qosSchema,
  queueSchema,
  recordingSchema,
  sbcSchema,
  siteSchema,
  siteSettingsSchema,
  snmpSchema,
  trunkSchema,
  type SiteFile,
} from '../../config/site-schema.ts';
import { redact, type Api, type Caller } from '../api.ts';
import { allowed, type Access } from '../auth/roles.ts';
import { changeSite } from '../config-change.ts';
import { ApiError, forbidden, notFound } from '../http/errors.ts';

type Collection = 'extensions' | 'phones' | 'pause_reasons' | 'queues' | 'ivr' | 'hours' | 'trunks';
type Singleton = 'site' | 'routes' | 'recording' | 'sbc' | 'qos' | 'feature_codes' | 'snmp';

interface CollectionDef {
  section: Collection;
  path: string;
  /** The identifying field, which is also the URL parameter. */
  key: string;
  label: string;
  schema: z.ZodType;
  tag: string;
  read: Access;
  write: Access;
}

const COLLECTIONS: CollectionDef[] = [
  { section: 'extensions', path: '/extensions', key: 'number', label: 'extension', schema: extensionSchema, tag: 'extensions', read: 'stations.read', write: 'stations.write' },
  { section: 'phones', path: '/phones', key: 'mac', label: 'phone', schema: phoneSchema, tag: 'phones', read: 'stations.read', write: 'stations.write' },
  { section: 'pause_reasons', path: '/pause-reasons', key: 'code', label: 'pause reason', schema: pauseReasonSchema, tag: 'agents', read: 'pause-reasons.read', write: 'callflow.write' },
  { section: 'queues', path: '/queues', key: 'number', label: 'queue', schema: queueSchema, tag: 'queues', read: 'callflow.read', write: 'queues.write' },
  { section: 'ivr', path: '/ivr', key: 'name', label: 'IVR flow', schema: ivrFlowSchema, tag: 'ivr', read: 'callflow.read', write: 'callflow.write' },
  { section: 'hours', path: '/hours', key: 'name', label: 'hours', schema: hoursSchema, tag: 'hours', read: 'callflow.read', write: 'callflow.write' },
  { section: 'trunks', path: '/trunks', key: 'name', label: 'trunk', schema: trunkSchema, tag: 'trunks', read: 'network.read', write: 'network.write' },
];

const SINGLETONS: { section: Singleton; path: string; label: string; schema: z.ZodType; read: Access; write: Access }[] = [
  { section: 'site', path: '/site', label: 'site settings', schema: siteSettingsSchema, read: 'system.read', write: 'network.write' },
  { section: 'routes', path: '/routes', label: 'inbound and outbound routes', schema: siteSchema.shape.routes.unwrap(), read: 'network.read', write: 'network.write' },
  { section: 'recording', path: '/recording-policy', label: 'recording policy', schema: recordingSchema, read: 'recording.read', write: 'recording.write' },
  { section: 'sbc', path: '/sbc-policy', label: 'SBC policy', schema: sbcSchema, read: 'network.read', write: 'network.write' },
  { section: 'qos', path: '/qos', label: 'QoS policy', schema: qosSchema, read: 'network.read', write: 'network.write' },
  { section: 'feature_codes', path: '/feature-codes', label: 'feature codes', schema: featureCodesSchema, read: 'network.read', write: 'network.write' },
  { section: 'snmp', path: '/snmp', label: 'SNMP settings', schema: snmpSchema, read: 'network.read', write: 'network.write' },
];

const normMac = (m: string) => m.replace(/[:-]/g, '').toLowerCase();

/** Those without the right to change an entity do not see its secrets either (SIP, SNMP and trunk passwords). */
const visible = (caller: Caller, write: Access, value: unknown) => (allowed(caller.user.role, write) ? value : redact(value));

/** A supervisor works with the queues they were given; everyone else with the role's access sees all. */
function queueScope(caller: Caller): ((n: string) => boolean) | undefined {
  return caller.user.role === 'supervisor' ? (n) => caller.user.queues.includes(n) : undefined;
}

function sameKey(def: CollectionDef, a: string, b: string): boolean {
  return def.section === 'phones' ? normMac(a) === normMac(b) : a === b;
}

/** REST for every entity of the site file: lists with items by key, and the single-object sections. */
export function configRoutes(api: Api, db: Database): void {
  for (const def of COLLECTIONS) {
    const items = (site: SiteFile) => site[def.section] as unknown as Record<string, unknown>[];
    const keyOf = (item: Record<string, unknown>) => String(item[def.key]);
    const find = (site: SiteFile, key: string) => items(site).findIndex((i) => sameKey(def, keyOf(i), key));
    const scoped = (caller: Caller, key: string) => def.section !== 'queues' || (queueScope(caller)?.(key) ?? true);
    const param = `:${def.key}`;

    api.add({
      method: 'get',
      path: def.path,
      summary: `List ${def.label} entries`,
      tag: def.tag,
      access: def.read,
      response: z.array(def.schema),
      handler: ({ caller }) => visible(caller, def.write, items(readSite(db)).filter((i) => scoped(caller, keyOf(i)))),
    });

    api.add({
      method: 'get',
      path: `${def.path}/${param}`,
      summary: `One ${def.label}`,
      tag: def.tag,
      access: def.read,
      response: def.schema,
      handler: ({ caller, params }) => {
        const key = params[def.key] ?? '';
        const item = items(readSite(db)).find((i) => sameKey(def, keyOf(i), key));
        if (item === undefined || !scoped(caller, key)) throw notFound(`${def.label} ${key}`);
        return visible(caller, def.write, item);
      },
    });

    api.add({
      method: 'post',
      path: def.path,
      summary: `Create a ${def.label} (validated as in the site file)`,
      tag: def.tag,
      access: def.write === 'queues.write' ? 'callflow.write' : def.write,
      body: def.schema,
      response: z.object({ revision: z.number() }),
      action: `${def.section}.create`,
      handler: (call) => {
        const body = call.body as Record<string, unknown>;
        const key = keyOf(body);
        call.auditTarget = key;
        const at = `${def.section}[${items(readSite(db)).length}]`;
        const revision = changeSite(
          db,
          call.caller.user.username,
          (site) => {
            if (find(site, key) >= 0) throw new ApiError(409, 'exists', `${def.label} ${key} already exists`, [{ path: def.key, message: 'is already used' }]);
            items(site).push(body);
          },
          at,
        );
        call.ctx.status = 201;
        return { revision };
      },
    });

    api.add({
      method: 'put',
      path: `${def.path}/${param}`,
      summary: `Replace a ${def.label}`,
      tag: def.tag,
      access: def.write,
      body: def.schema,
      response: z.object({ revision: z.number() }),
      action: `${def.section}.update`,
      handler: (call) => {
        const key = call.params[def.key] ?? '';
        const body = call.body as Record<string, unknown>;
        if (!scoped(call.caller, key)) throw forbidden(`queue ${key} is not one of your queues`);
        if (!sameKey(def, keyOf(body), key)) throw new ApiError(400, 'validation', `the ${def.key} in the body must match the URL`, [{ path: def.key, message: `must be ${key} (rename by creating a new one)` }]);
        const current = readSite(db);
        const index = find(current, key);
        if (index < 0) throw notFound(`${def.label} ${key}`);
        const revision = changeSite(db, call.caller.user.username, (site) => items(site).splice(index, 1, body), `${def.section}[${index}]`);
        return { revision };
      },
    });

    api.add({
      method: 'delete',
      path: `${def.path}/${param}`,
      summary: `Delete a ${def.label} (refused while something still refers to it)`,
      tag: def.tag,
      access: def.write === 'queues.write' ? 'callflow.write' : def.write,
      response: z.object({ revision: z.number() }),
      action: `${def.section}.delete`,
      handler: (call) => {
        const key = call.params[def.key] ?? '';
        const index = find(readSite(db), key);
        if (index < 0) throw notFound(`${def.label} ${key}`);
        return { revision: changeSite(db, call.caller.user.username, (site) => items(site).splice(index, 1)) };
      },
    });
  }

  for (const def of SINGLETONS) {
    api.add({
      method: 'get',
      path: def.path,
      summary: `The ${def.label}`,
      tag: 'settings',
      access: def.read,
      response: def.schema,
      handler: ({ caller }) => visible(caller, def.write, readSite(db)[def.section]),
    });
    api.add({
      method: 'put',
      path: def.path,
      summary: `Replace the ${def.label}`,
      tag: 'settings',
      access: def.write,
      body: def.schema,
      response: z.object({ revision: z.number() }),
      action: `${def.section}.update`,
      handler: (call) => ({
        revision: changeSite(db, call.caller.user.username, (site) => ((site as Record<string, unknown>)[def.section] = call.body), def.section),
      }),
    });
  }

  // Agents are extensions that take queue calls: their own view, so skills can be edited without the extension.
  const agentView = z.object({ extension: z.string(), name: z.string(), agent: agentSchema });
  api.add({
    method: 'get',
    path: '/agents',
    summary: 'Agents (extensions that take queue calls) and their skills',
    tag: 'agents',
    access: 'stations.read',
    response: z.array(agentView),
    handler: () => readSite(db).extensions.flatMap((e) => (e.agent === undefined ? [] : [{ extension: e.number, name: e.name, agent: e.agent }])),
  });
  api.add({
    method: 'put',
    path: '/agents/:extension',
    summary: 'Make an extension an agent, or change its skills and timers',
    tag: 'agents',
    access: 'stations.write',
    body: agentSchema,
    response: z.object({ revision: z.number() }),
    action: 'agents.update',
    handler: (call) => {
      const n = call.params['extension'] ?? '';
      const index = readSite(db).extensions.findIndex((e) => e.number === n);
      if (index < 0) throw notFound(`extension ${n}`);
      return {
        revision: changeSite(db, call.caller.user.username, (site) => {
          const ext = site.extensions[index];
          if (ext !== undefined) ext.agent = call.body;
        }, `extensions[${index}].agent`),
      };
    },
  });
  api.add({
    method: 'delete',
    path: '/agents/:extension',
    summary: 'Stop an extension taking queue calls (refused while it is a queue member)',
    tag: 'agents',
    access: 'stations.write',
    response: z.object({ revision: z.number() }),
    action: 'agents.delete',
    handler: (call) => {
      const n = call.params['extension'] ?? '';
      const index = readSite(db).extensions.findIndex((e) => e.number === n && e.agent !== undefined);
      if (index < 0) throw notFound(`agent ${n}`);
      return {
        revision: changeSite(db, call.caller.user.username, (site) => {
          const ext = site.extensions[index];
          if (ext !== undefined) delete ext.agent;
        }),
      };
    },
  });
}
