import { z } from 'zod';
import { queueOptionsObject, refineQueueOptions, STRATEGIES } from '../acd/queue-options-schema.ts';
import { snmpConfigSchema } from './snmp-schema.ts';

export { snmpConfigSchema as snmpSchema, type SnmpConfig, type SnmpUser, type TrapReceiver } from './snmp-schema.ts';

/*
 * The site file (DESIGN.md section 4): the whole appliance configuration as one YAML document. The names and
 * meanings of the contract's fields are fixed; fields are added freely with defaults, so an older file stays
 * valid. Cross-references (a queue member must be an extension, a route must point to something that exists)
 * are checked by site-validate.ts, after this shape is valid.
 */

const NUMBER_RE = /^[0-9]{2,10}$/;
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
const E164_RE = /^\+[1-9][0-9]{6,14}$/;

const positiveSeconds = (max = 86_400) => z.number().int().min(0).max(max);

/** Extension and queue numbers: digits, always quoted in YAML (unquoted 0123 would be read as the number 123). */
export const numberSchema = z.string().regex(NUMBER_RE, 'must be 2 to 10 digits, quoted, e.g. "1001"');
export const nameSchema = z.string().regex(NAME_RE, 'must be letters, digits, "-" or "_" (at most 63), starting with a letter or digit');
const e164Schema = z.string().regex(E164_RE, 'must be an E.164 number such as +4930123456');
const skillsSchema = z.record(nameSchema, z.number().int().min(1).max(5));
const promptSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_./-]{0,127}$/, 'must be a prompt name such as "welcome" or "custom/holiday-2026"');
const secretSchema = z.string().min(8, 'must be at least 8 characters').max(128);
const timeSchema = z.string().regex(/^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/, 'must be a time HH:MM, e.g. "08:30"');
const dateSchema = z.string().regex(/^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/, 'must be a date YYYY-MM-DD');
const hostSchema = z
  .string()
  .regex(/^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$|^\[?[0-9A-Fa-f:.]+\]?$/, 'must be a host name or an IP address');
const cidrSchema = z
  .string()
  .regex(/^([0-9]{1,3}(\.[0-9]{1,3}){3}(\/([0-9]|[12][0-9]|3[0-2]))?|[0-9A-Fa-f:]+:[0-9A-Fa-f:.]*(\/[0-9]{1,3})?)$/, 'must be an IP address or network, e.g. 192.168.1.0/24');
const portSchema = z.number().int().min(1).max(65535);

/**
 * Any named zone ICU knows, aliases included (Europe/Kiev as well as Europe/Kyiv): the clock code uses ICU too.
 * Fixed offsets such as +01:00 are refused: they ignore daylight saving, which business hours must follow.
 */
function isTimeZone(tz: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+/-]*$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
const timezoneSchema = z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin');

const TARGET_KINDS = `extension:N, queue:N, ivr:NAME, external:+E164, hangup`;
const ROUTE_TARGET = /^(extension:[0-9]{2,10}|queue:[0-9]{2,10}|ivr:[A-Za-z0-9][A-Za-z0-9_-]{0,62}|external:\+[1-9][0-9]{6,14}|hangup)$/;
/** Where a call can be sent: inbound routes, forwarding, IVR route nodes. */
export const routeTargetSchema = z.string().regex(ROUTE_TARGET, `must be one of ${TARGET_KINDS}`);
/** Where a queue sends a caller it gives up on: a route target, or a callback offer. */
export const overflowTargetSchema = z
  .string()
  .refine((t) => t === 'callback' || ROUTE_TARGET.test(t), `must be one of ${TARGET_KINDS}, callback`);
/** Inside an IVR flow a target may also be another node of the same flow. */
export const ivrTargetSchema = z
  .string()
  .refine((t) => /^node:[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/.test(t) || ROUTE_TARGET.test(t), `must be node:ID or one of ${TARGET_KINDS}`);

export type Target =
  | { kind: 'extension' | 'queue'; number: string }
  | { kind: 'ivr'; name: string }
  | { kind: 'node'; id: string }
  | { kind: 'external'; e164: string }
  | { kind: 'hangup' }
  | { kind: 'callback' };

/** Reads a target string that the schema accepted. */
export function parseTarget(target: string): Target {
  if (target === 'hangup' || target === 'callback') return { kind: target };
  // A queue may hang up after a prompt of its own: `hangup:PROMPT`.
  if (target.startsWith('hangup:')) return { kind: 'hangup' };
  const i = target.indexOf(':');
  const kind = target.slice(0, i);
  const value = target.slice(i + 1);
  switch (kind) {
    case 'extension':
    case 'queue':
      return { kind, number: value };
    case 'ivr':
      return { kind, name: value };
    case 'node':
      return { kind, id: value };
    case 'external':
      return { kind, e164: value };
    default:
      throw new Error(`not a target: ${target}`);
  }
}

export const siteSettingsSchema = z.strictObject({
  name: z.string().min(1).max(100),
  timezone: timezoneSchema,
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 country code in capitals, e.g. DE'),
  language: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must be a language code such as en or de-DE'),
});

export const agentSchema = z.strictObject({
  skills: skillsSchema.default({}).describe('skill name -> proficiency 1 (weak) to 5 (expert)'),
  wrap_up_s: positiveSeconds(3600).optional().describe("after-call work time; overrides the queue's wrap_up_s, shared across queues"),
  busy_delay_s: positiveSeconds(3600).default(10).describe('no offers for this long after the phone answered busy'),
  reject_delay_s: positiveSeconds(3600).default(10).describe('no offers for this long after the agent rejected one'),
});

const codecSchema = z.enum(['PCMA', 'PCMU', 'G722', 'opus', 'G729']);
export const DIGEST_ALGORITHMS = ['SHA-256', 'MD5'] as const;

export const extensionSchema = z.strictObject({
  number: numberSchema.describe('digits, unique across extensions and queues; the SIP user name'),
  name: z.string().min(1).max(100).describe('caller ID name'),
  password: secretSchema.optional().describe('SIP digest password; generated (and exported) when omitted'),
  email: z.email().optional(),
  ring_timeout_s: z.number().int().min(5).max(600).default(30),
  dnd: z.boolean().default(false),
  forward: z
    .strictObject({
      always: routeTargetSchema.optional(),
      busy: routeTargetSchema.optional(),
      no_answer: routeTargetSchema.optional(),
    })
    .optional(),
  pickup_group: nameSchema.optional(),
  codecs: z.array(codecSchema).min(1).default(['PCMA', 'PCMU', 'G722']),
  max_contacts: z.number().int().min(1).max(10).default(3).describe('phones that may register to this extension at once'),
  digest_algorithms: z
    .array(z.enum(DIGEST_ALGORITHMS))
    .min(1)
    .optional()
    .describe('digest algorithms offered to this extension, most preferred first (RFC 8760); when omitted, the box default (MD5). Offer SHA-256 only to phones that support it: some SIP stacks refuse a challenge whose algorithm they do not know'),
  agent: agentSchema.optional().describe('present = this extension can take queue calls'),
});

export const phoneSchema = z.strictObject({
  mac: z.string().regex(/^([0-9A-Fa-f]{2}[:-]?){5}[0-9A-Fa-f]{2}$/, 'must be a MAC address, e.g. 00:15:65:12:34:56'),
  vendor: z.enum(['yealink', 'snom', 'grandstream', 'polycom', 'fanvil', 'cisco', 'generic']),
  model: z.string().max(40).optional(),
  extension: numberSchema,
});

export const pauseReasonSchema = z.strictObject({
  code: nameSchema,
  name: z.string().min(1).max(60),
  paid: z.boolean().default(false).describe('counts as working time in occupancy reports'),
});

export const QUEUE_STRATEGIES = STRATEGIES;

/** A member: an agent's extension number, or `{ extension, penalty, weight }`. */
export const queueMemberSchema = z.union([
  numberSchema,
  z.strictObject({
    extension: numberSchema,
    penalty: z.number().int().min(0).max(100).default(0).describe('lower penalties are offered calls first'),
    weight: z.number().int().min(1).max(100).default(1).describe('weighted-random: relative share of offers'),
  }),
]);

/**
 * A queue: the ACD's own options (acd/queue-options-schema.ts, one definition for the file, the store, the API
 * and the distributor) next to what only the call adapters and statistics use.
 */
export const queueObject = queueOptionsObject.extend({
  number: numberSchema.describe('dialled internally and targeted by routes and IVR'),
  name: z.string().min(1).max(60),
  members: z.array(queueMemberSchema).default([]).describe('static members (agents): they take calls while registered and not paused; order matters for linear'),
  service_level_s: z.number().int().min(1).max(3600).default(20).describe('answered within this counts for the service level'),
  service_level_target_percent: z.number().int().min(0).max(100).default(80).describe('the share of calls to answer within service_level_s; below it, SNMP sends cbServiceLevelBreached'),
  announce: z
    .strictObject({
      position: z.boolean().default(true).describe('announce the caller\'s position every announce_every_s'),
      hold_time: z.boolean().default(true).describe('announce the estimated wait every announce_every_s'),
      periodic_prompt: promptSchema.optional().describe('a prompt of your own played every periodic_every_s'),
      periodic_every_s: positiveSeconds(3600).default(0).describe('0 = never'),
    })
    .default({ position: true, hold_time: true, periodic_every_s: 0 }),
  music_on_hold: promptSchema.default('moh/default').describe('what waiting callers hear between announcements'),
});

export const queueSchema = queueObject.strict().superRefine(refineQueueOptions);

const menuKey = z.string().regex(/^[0-9*#]$/, 'must be one key: 0-9, * or #');

export const ivrNodeSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('announce'), prompt: promptSchema, next: ivrTargetSchema }),
  z.strictObject({
    type: z.literal('menu'),
    prompt: promptSchema,
    options: z.record(menuKey, ivrTargetSchema),
    timeout_s: z.number().int().min(1).max(60).default(5),
    retries: z.number().int().min(0).max(10).default(2),
    invalid_prompt: promptSchema.optional(),
    on_fail: ivrTargetSchema.default('hangup').describe('after the retries are used up'),
  }),
  z.strictObject({
    type: z.literal('collect'),
    prompt: promptSchema,
    variable: nameSchema,
    min_digits: z.number().int().min(1).max(32).default(1),
    max_digits: z.number().int().min(1).max(32),
    terminator: z.string().regex(/^[*#]$/, 'must be * or #').default('#'),
    timeout_s: z.number().int().min(1).max(60).default(5),
    next: ivrTargetSchema,
  }),
  z.strictObject({
    type: z.literal('schedule'),
    hours: nameSchema,
    open: ivrTargetSchema,
    closed: ivrTargetSchema,
    holiday: ivrTargetSchema.optional().describe('defaults to closed'),
  }),
  z.strictObject({
    type: z.literal('route'),
    to: routeTargetSchema,
    skills: skillsSchema.optional().describe('per-call skill requirement for a queue target'),
    priority: z.number().int().min(0).max(10).default(0),
  }),
  z.strictObject({ type: z.literal('hangup') }),
]);

export const ivrFlowSchema = z.strictObject({
  name: nameSchema,
  language: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must be a language code such as en').optional(),
  start: nameSchema.describe('id of the first node'),
  nodes: z.record(nameSchema, ivrNodeSchema),
});

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export const hoursSchema = z.strictObject({
  name: nameSchema,
  timezone: timezoneSchema.optional().describe("defaults to the site's"),
  weekly: z
    .array(
      z
        .strictObject({ days: z.array(z.enum(WEEKDAYS)).min(1), open: timeSchema, close: timeSchema })
        .refine((r) => r.open < r.close, { message: 'close must be after open', path: ['close'] }),
    )
    .default([]),
  holidays: z
    .array(
      z
        .strictObject({ date: dateSchema, name: z.string().min(1).max(60), open: timeSchema.optional(), close: timeSchema.optional() })
        .refine((h) => (h.open === undefined) === (h.close === undefined), { message: 'give both open and close, or neither (closed all day)', path: ['close'] })
        .refine((h) => h.open === undefined || h.close === undefined || h.open < h.close, { message: 'close must be after open', path: ['close'] }),
    )
    .default([]),
});

export const trunkSchema = z.strictObject({
  name: nameSchema,
  host: hostSchema,
  port: portSchema.default(5060),
  transport: z.enum(['udp', 'tcp', 'tls']).default('udp'),
  register: z
    .strictObject({
      user: z.string().min(1).max(64),
      password: z.string().min(1).max(128),
      auth_user: z.string().min(1).max(64).optional(),
      domain: hostSchema.optional(),
      expires_s: z.number().int().min(60).max(86_400).default(3600),
    })
    .optional()
    .describe('present = registration-based trunk; absent = IP-authenticated'),
  auth: z
    .strictObject({ user: z.string().min(1).max(64), password: z.string().min(1).max(128) })
    .optional()
    .describe('credentials for carriers that challenge outbound calls (defaults to register)'),
  inbound_addresses: z.array(cidrSchema).default([]).describe('extra source addresses accepted as this trunk'),
  from_user: z.string().min(1).max(64).optional(),
  number_format: z.enum(['e164', 'e164-no-plus', 'national']).default('e164'),
  codecs: z.array(codecSchema).min(1).default(['PCMA', 'PCMU']),
  max_calls: z.number().int().min(0).max(10_000).default(0).describe('0 = no limit'),
  options_interval_s: positiveSeconds(3600).default(30).describe('OPTIONS health check period (0 = off)'),
  options_timeout_s: z.number().int().min(1).max(60).default(5).describe('an OPTIONS unanswered this long counts as a failure'),
  options_down_after: z.number().int().min(1).max(20).default(3).describe('failures in a row that mark the trunk down (fewer: degraded)'),
});

const DIAL_PATTERN_RE = /^\+?(?:[0-9X]|\[(?:[0-9](?:-[0-9])?)+\])+\*?$/;

export const inboundRouteSchema = z
  .strictObject({
    did: z.string().regex(/^(\+?[0-9]{2,20}|\*)$/, 'must be a number (digits, optional leading +) or * for any'),
    to: routeTargetSchema,
    trunk: nameSchema.optional().describe('only calls arriving on this trunk'),
    hours: nameSchema.optional(),
    closed_to: routeTargetSchema.optional().describe('outside `hours`'),
  })
  .refine((r) => (r.hours === undefined) === (r.closed_to === undefined), { message: 'hours and closed_to go together', path: ['closed_to'] });

export const outboundRouteSchema = z.strictObject({
  name: z.string().min(1).max(60).optional(),
  pattern: z
    .string()
    .regex(DIAL_PATTERN_RE, 'must be a dial pattern: digits, X (any digit), [1-9] (a class), and an optional final * (any further digits)'),
  trunks: z.array(nameSchema).min(1).describe('tried in order (failover)'),
  strip: z.number().int().min(0).max(20).default(0).describe('leading digits removed before dialling'),
  prepend: z.string().regex(/^\+?[0-9]*$/, 'must be digits').default(''),
  caller_id: e164Schema.optional(),
});

const DSCP_NAMES = ['ef', 'cs0', 'cs1', 'cs2', 'cs3', 'cs4', 'cs5', 'cs6', 'cs7', 'af11', 'af12', 'af13', 'af21', 'af22', 'af23', 'af31', 'af32', 'af33', 'af41', 'af42', 'af43'] as const;
const dscpSchema = z.union([z.enum(DSCP_NAMES), z.number().int().min(0).max(63)]);

export const recordingSchema = z.strictObject({
  mode: z.enum(['none', 'all', 'selected', 'on-demand']).default('none'),
  queues: z.array(numberSchema).default([]).describe('recorded when mode is selected'),
  extensions: z.array(numberSchema).default([]).describe('recorded when mode is selected'),
  format: z.enum(['wav', 'mp3', 'pcap']).default('wav'),
  retention_days: z.number().int().min(0).max(3650).default(90).describe('0 = keep forever'),
  encrypt: z.boolean().default(false),
  announce_prompt: promptSchema.optional(),
});

export const sbcSchema = z.strictObject({
  acl: z.strictObject({ allow: z.array(cidrSchema).default([]), deny: z.array(cidrSchema).default([]) }).default({ allow: [], deny: [] }),
  rate_limit: z
    .strictObject({ requests_per_s: z.number().int().min(1).max(100_000).default(50), invites_per_s: z.number().int().min(1).max(10_000).default(10) })
    .default({ requests_per_s: 50, invites_per_s: 10 })
    .describe('per source address'),
  ban: z
    .strictObject({
      auth_failures: z.number().int().min(1).max(1000).default(5),
      window_s: z.number().int().min(1).max(86_400).default(60),
      duration_s: z.number().int().min(1).max(30 * 86_400).default(900),
    })
    .default({ auth_failures: 5, window_s: 60, duration_s: 900 }),
  block_scanners: z.boolean().default(true),
  user_agent_blocklist: z.array(z.string().min(1).max(100)).default([]),
});

export const qosSchema = z.strictObject({
  enabled: z.boolean().default(true),
  sip_dscp: dscpSchema.default('cs3'),
  rtp_dscp: dscpSchema.default('ef'),
});

export const featureCodesSchema = z.strictObject(
  Object.fromEntries(
    (
      [
        ['pickup', '*8'],
        ['agent_login', '*45'],
        ['agent_logout', '*46'],
        ['agent_pause', '*47'],
        ['agent_unpause', '*48'],
        ['dnd_on', '*78'],
        ['dnd_off', '*79'],
        ['forward_always', '*72'],
        ['forward_cancel', '*73'],
      ] as const
    ).map(([k, v]) => [k, z.string().regex(/^[*#][0-9*#]{1,5}$/, 'must start with * or # followed by 1 to 5 keys').default(v)]),
  ) as Record<'pickup' | 'agent_login' | 'agent_logout' | 'agent_pause' | 'agent_unpause' | 'dnd_on' | 'dnd_off' | 'forward_always' | 'forward_cancel', z.ZodDefault<z.ZodString>>,
);

export const ROLES = ['admin', 'supervisor', 'installer', 'agent', 'auditor'] as const;

export const userSchema = z
  .strictObject({
    username: z.string().regex(/^[a-z][a-z0-9._-]{1,31}$/, 'must be 2 to 32 lower-case letters, digits, ".", "_" or "-", starting with a letter'),
    name: z.string().min(1).max(100).optional(),
    role: z.enum(ROLES),
    password: secretSchema.optional().describe('sets the password on every apply; export writes password_hash instead'),
    password_hash: z.string().regex(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/, 'must be a hash written by callbox config export').optional(),
    must_change_password: z.boolean().optional().describe('defaults to true when a password is set here'),
    extension: numberSchema.optional().describe('the agent user works this extension'),
    queues: z.array(numberSchema).default([]).describe('a supervisor sees these queues'),
  })
  .refine((u) => u.password === undefined || u.password_hash === undefined, { message: 'give password or password_hash, not both', path: ['password_hash'] });

export const siteSchema = z.strictObject({
  version: z.literal(1),
  site: siteSettingsSchema,
  extensions: z.array(extensionSchema).default([]),
  phones: z.array(phoneSchema).default([]),
  pause_reasons: z.array(pauseReasonSchema).default([]),
  queues: z.array(queueSchema).default([]),
  ivr: z.array(ivrFlowSchema).default([]),
  hours: z.array(hoursSchema).default([]),
  trunks: z.array(trunkSchema).default([]),
  routes: z
    .strictObject({ inbound: z.array(inboundRouteSchema).default([]), outbound: z.array(outboundRouteSchema).default([]) })
    .default({ inbound: [], outbound: [] }),
  recording: recordingSchema.default(recordingSchema.parse({})),
  sbc: sbcSchema.default(sbcSchema.parse({})),
  qos: qosSchema.default(qosSchema.parse({})),
  feature_codes: featureCodesSchema.default(featureCodesSchema.parse({})),
  snmp: snmpConfigSchema.default(snmpConfigSchema.parse({})),
  users: z.array(userSchema).default([]).describe('merged: listed users are created or updated, others are kept'),
});

export type SiteFile = z.infer<typeof siteSchema>;
export type SiteSettings = z.infer<typeof siteSettingsSchema>;
export type Extension = z.infer<typeof extensionSchema>;
export type Agent = z.infer<typeof agentSchema>;
export type Phone = z.infer<typeof phoneSchema>;
export type PauseReason = z.infer<typeof pauseReasonSchema>;
export type Queue = z.infer<typeof queueSchema>;
export type QueueMember = z.infer<typeof queueMemberSchema>;
export type QueueStrategy = (typeof QUEUE_STRATEGIES)[number];
export type IvrFlow = z.infer<typeof ivrFlowSchema>;
export type IvrNode = z.infer<typeof ivrNodeSchema>;
export type Hours = z.infer<typeof hoursSchema>;
export type Trunk = z.infer<typeof trunkSchema>;
export type InboundRoute = z.infer<typeof inboundRouteSchema>;
export type OutboundRoute = z.infer<typeof outboundRouteSchema>;
export type RecordingPolicy = z.infer<typeof recordingSchema>;
export type SbcPolicy = z.infer<typeof sbcSchema>;
export type QosPolicy = z.infer<typeof qosSchema>;
export type FeatureCodes = z.infer<typeof featureCodesSchema>;
export type SiteUser = z.infer<typeof userSchema>;
export type Role = (typeof ROLES)[number];

/** The JSON Schema of the site file, as published in firmware/schema/site.schema.json and served by the API. */
export function siteJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(siteSchema, { io: 'input', target: 'draft-2020-12' }),
    $id: 'https://callbox.local/schema/site.schema.json',
    title: 'Callbox site file',
  };
}
