import { z } from 'zod';

/**
 * Options of one queue as written in the site file (snake_case, durations in seconds). Every field has a
 * default so a queue can be declared with only `number`, `name` and `members`; the defaults below are the
 * documented ones (the README's queue table is generated from these descriptions).
 */

export const STRATEGIES = [
  'ring-all',
  'longest-idle',
  'round-robin',
  'fewest-calls',
  'least-talk-time',
  'linear',
  'random',
  'weighted-random',
  'ring-progressively',
  'skills',
] as const;
export type StrategyName = (typeof STRATEGIES)[number];

/** Where a caller goes when leaving a queue without an agent: `hangup:PROMPT` plays that prompt first. */
const DESTINATION = /^(queue:\d+|extension:\d+|external:\+[1-9]\d{1,14}|ivr:[A-Za-z0-9_-]+|callback|hangup(:[A-Za-z0-9_-]+)?)$/;
export const destinationSchema = z
  .string()
  .regex(DESTINATION, 'must be one of queue:N, extension:N, external:+E164, ivr:NAME, callback, hangup, hangup:PROMPT')
  .describe('queue:N | extension:N | external:+E164 | ivr:NAME | callback | hangup | hangup:PROMPT');

const proficiency = z.number().int().min(1).max(5);
const skillName = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'skill names are lower-case words');
export const skillRequirementsSchema = z
  .record(skillName, proficiency)
  .describe('minimum proficiency (1-5) per skill an agent needs to be offered the call');

const seconds = z.number().min(0).max(86_400);

export const wideningStepSchema = z
  .object({
    after_s: seconds.describe('applies once the caller has waited this long'),
    min_proficiency: proficiency.optional().describe('lowers every skill requirement to at most this proficiency'),
    any_member: z.boolean().optional().describe('drops skill requirements: any member may take the call'),
    max_penalty: z.number().int().min(0).optional().describe('members with a penalty up to this value become eligible'),
  })
  .strict();

export const callbackOptionsSchema = z
  .object({
    enabled: z.boolean().default(false).describe('callers may leave the queue and be called back, keeping their place'),
    offer_after_s: seconds.default(60).describe('the callback offer is announced (and the key accepted) after this wait'),
    key: z.string().regex(/^[0-9*#]$/).default('2').describe('DTMF key a waiting caller presses to ask for a callback'),
    confirm_key: z.string().regex(/^[0-9*#]$/).default('1').describe('key the called-back customer presses before an agent is connected'),
    attempts: z.number().int().min(1).max(10).default(3).describe('dial attempts before the callback is given up'),
    retry_after_s: seconds.default(300).describe('delay between attempts; the callback keeps its place meanwhile'),
    answer_timeout_s: z.number().min(5).max(300).default(45).describe('time for the customer to answer and press the confirm key'),
  })
  .strict();

export const overflowSchema = z
  .object({
    after_s: seconds.describe('waiting time after which the caller leaves for `to`'),
    to: destinationSchema,
  })
  .strict();

/** The options as a plain object schema, for site-file schemas that add their own fields next to them. */
export const queueOptionsObject = z.object({
  strategy: z.enum(STRATEGIES).default('longest-idle').describe('how an agent is chosen among the eligible ones'),
  ring_timeout_s: z.number().min(1).max(600).default(15).describe('an offer that is not answered in this time goes to the next agent'),
  wrapup_s: seconds.default(10).describe('after-call work; shared by every queue the agent is in'),
  autopause_after: z.number().int().min(1).nullable().default(3).describe('consecutive unanswered offers that pause the agent (null: never)'),
  no_answer_delay_s: seconds.default(0).describe('an agent who let an offer ring out gets no new offer for this long'),
  busy_delay_s: seconds.default(10).describe('an agent whose phone answered busy gets no new offer for this long'),
  reject_delay_s: seconds.default(10).describe('an agent who rejected an offer gets no new offer for this long'),
  max_wait_s: seconds.nullable().default(null).describe('callers waiting longer leave for `max_wait_to` (null: no limit)'),
  max_wait_to: destinationSchema.default('hangup'),
  max_len: z.number().int().min(1).nullable().default(null).describe('callers beyond this many waiting go to `max_len_to` (null: no limit)'),
  max_len_to: destinationSchema.default('hangup'),
  join_empty: z.boolean().default(true).describe('admit callers when no member is logged in and unpaused'),
  leave_when_empty: z.boolean().default(false).describe('waiting callers leave when the last member logs out or pauses'),
  empty_to: destinationSchema.default('hangup').describe('destination for join_empty: false and leave_when_empty'),
  overflow: overflowSchema.nullable().default(null).describe('timed overflow to another destination (null: none)'),
  exit_keys: z.record(z.string().regex(/^[0-9*#]$/), destinationSchema).default({}).describe('DTMF keys that take a waiting caller to a destination'),
  skills: skillRequirementsSchema.default({}),
  max_penalty: z.number().int().min(0).nullable().default(null).describe('members above this penalty are not offered calls until widened (null: any)'),
  widening: z
    .array(wideningStepSchema)
    .default([])
    .describe('requirements relaxed over the wait time; callers keep their position'),
  priority_share_max: z.number().min(0).max(1).default(0.8).describe('most of the recent offers that priority (VIP) callers may take while normal callers wait'),
  priority_window: z.number().int().min(1).max(1000).default(20).describe('number of recent offers the priority share is measured over'),
  progressive_step_s: z.number().min(1).max(600).default(10).describe('ring-progressively: one more agent is added to the ringing set this often'),
  announce_every_s: z.number().min(5).max(3600).nullable().default(60).describe('position and wait-time announcement period (null: never)'),
  abandoned_resume_s: seconds.default(60).describe('a caller who hangs up and calls again within this time regains their position (0: off)'),
  expected_handle_s: z.number().min(1).max(86_400).default(180).describe('handle time assumed by wait estimates until calls have been measured'),
  weight: z.number().int().min(0).max(100).default(0).describe('agents in several queues serve higher-weight queues first'),
  callback: callbackOptionsSchema.default(() => callbackOptionsSchema.parse({})).describe("callbacks that keep the caller's place"),
});

type OptionsShape = z.output<typeof queueOptionsObject>;

/** Checks across fields; reported with the path of the offending field. */
export function refineQueueOptions(o: OptionsShape, ctx: z.RefinementCtx): void {
  o.widening.forEach((step, i) => {
    if (i > 0 && step.after_s < (o.widening[i - 1]?.after_s ?? 0)) {
      ctx.addIssue({ code: 'custom', path: ['widening', i, 'after_s'], message: 'widening steps must be in increasing after_s order' });
    }
  });
  if (o.overflow?.to === 'callback' && !o.callback.enabled) {
    ctx.addIssue({ code: 'custom', path: ['overflow', 'to'], message: 'overflow to callback needs callback.enabled: true' });
  }
}

export const queueOptionsSchema = queueOptionsObject.strict().superRefine(refineQueueOptions);

export type QueueOptionsInput = z.input<typeof queueOptionsSchema>;
export type QueueOptions = z.output<typeof queueOptionsSchema>;

/** A queue member in the site file: an extension number, or an object with a penalty and a weight. */
export const queueMemberSchema = z.union([
  z.string().regex(/^\d+$/),
  z
    .object({
      extension: z.string().regex(/^\d+$/),
      penalty: z.number().int().min(0).default(0).describe('lower penalties are offered calls first'),
      weight: z.number().int().min(1).max(100).default(1).describe('weighted-random: relative share of offers'),
    })
    .strict(),
]);
export type QueueMemberInput = z.input<typeof queueMemberSchema>;

/**
 * A queue as written in the site file: its number, name and members next to the options (DESIGN.md
 * section 4). Members are extension numbers or `{ extension, penalty, weight }`.
 */
export const siteQueueSchema = queueOptionsObject
  .extend({
    number: z.string().regex(/^\d+$/, 'queue numbers are digits'),
    name: z.string().min(1),
    members: z.array(queueMemberSchema).default([]),
  })
  .strict()
  .superRefine(refineQueueOptions);
export type SiteQueue = z.output<typeof siteQueueSchema>;

export interface OptionDoc {
  name: string;
  default: unknown;
  description: string;
}

/** Every queue option with its default and description, for the README and the web UI's help. */
export function queueOptionsTable(): OptionDoc[] {
  const schema = z.toJSONSchema(queueOptionsObject, { io: 'input' }) as { properties: Record<string, { default?: unknown; description?: string }> };
  const defaults = defaultQueueOptions() as Record<string, unknown>;
  return Object.entries(schema.properties).map(([name, p]) => ({
    name,
    default: defaults[name],
    description: p.description ?? '',
  }));
}

export function defaultQueueOptions(): QueueOptions {
  return queueOptionsSchema.parse({});
}
