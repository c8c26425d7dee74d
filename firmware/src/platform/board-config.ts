import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The description of one supported board (board-configs/*.json). The JSON Schema in board-configs/board.schema.json
 * is generated from this zod schema (see board-schema.ts), so editors and the firmware agree on what is valid.
 */

const regex = z.string().min(1).refine((s) => {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}, 'must be a valid regular expression');

export const gpioLineSchema = z
  .object({
    chip: z
      .string()
      .min(1)
      .describe('label of the GPIO chip as in /sys/class/gpio/gpiochipN/label; the sysfs number is base + offset, computed at run time'),
    offset: z.number().int().min(0).max(1023).describe('line offset within the chip'),
    activeLow: z.boolean().describe('true when the LED lights (or the button reads pressed) at a low level'),
  })
  .strict();

export const ledNames = ['power', 'status', 'trunks', 'alarm'] as const;
export type LedName = (typeof ledNames)[number];

export const nicRoles = ['lan-phones', 'wan-trunks', 'management'] as const;
export type NicRole = (typeof nicRoles)[number];

const nicSchema = z
  .object({
    role: z.enum(nicRoles),
    interface: z.string().min(1).optional().describe('exact kernel interface name'),
    interfacePattern: regex.optional().describe('regular expression over interface names, for boards whose names vary'),
    label: z.string().min(1).optional().describe('what the front or back panel prints next to the port'),
    required: z.boolean().describe('test-hw fails when a required NIC is missing'),
  })
  .strict()
  .refine((n) => (n.interface === undefined) !== (n.interfacePattern === undefined), {
    message: 'give exactly one of interface or interfacePattern',
  });

const diskSchema = z
  .object({
    name: z.string().min(1),
    device: z.string().startsWith('/dev/').optional().describe('block device, preferably a stable /dev/disk/by-* path'),
    mountPoint: z.string().startsWith('/', 'must be an absolute path'),
    required: z.boolean().describe('test-hw fails when a required disk is not mounted there'),
  })
  .strict();

const thermalSchema = z
  .object({
    name: z.string().min(1),
    zoneType: z.string().min(1).describe('the "type" of the /sys/class/thermal/thermal_zoneN to read'),
    warnC: z.number().min(0).max(150),
    criticalC: z.number().min(0).max(150),
    required: z.boolean(),
  })
  .strict()
  .refine((t) => t.warnC < t.criticalC, { message: 'warnC must be below criticalC', path: ['warnC'] });

const dmiMatchSchema = z
  .object({
    sysVendor: regex.optional().describe('regular expression over /sys/class/dmi/id/sys_vendor'),
    productName: regex.optional().describe('regular expression over /sys/class/dmi/id/product_name'),
    chassisTypes: z.array(z.number().int().min(1).max(36)).min(1).optional().describe('SMBIOS chassis types (/sys/class/dmi/id/chassis_type)'),
  })
  .strict()
  .refine((d) => d.sysVendor !== undefined || d.productName !== undefined || d.chassisTypes !== undefined, {
    message: 'a DMI match needs at least one field',
  });

export const boardConfigSchema = z
  .object({
    $schema: z.string().optional(),
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes'),
    name: z.string().min(1),
    description: z.string().min(1).optional(),
    kind: z.enum(['appliance', 'generic', 'simulated']).describe('simulated boards never touch hardware'),
    match: z
      .object({
        deviceTreeModel: z.array(regex).optional().describe('regular expressions over /proc/device-tree/model'),
        dmi: z.array(dmiMatchSchema).optional().describe('any one entry matching is enough'),
      })
      .strict(),
    arch: z.array(z.enum(['arm64', 'x64'])).min(1),
    nics: z.array(nicSchema),
    leds: z.partialRecord(z.enum(ledNames), gpioLineSchema).describe('front-panel LEDs; a board without one simply omits it'),
    resetButton: gpioLineSchema.nullable(),
    disks: z.array(diskSchema).describe('recording disks'),
    watchdog: z
      .object({
        device: z.union([z.string().startsWith('/dev/'), z.literal('simulated')]),
        timeoutS: z
          .number()
          .int()
          .min(1)
          .max(600)
          .describe('the timeout the kernel driver runs with (its default, module parameter or device tree); the firmware pets at a third of it'),
      })
      .strict()
      .nullable(),
    thermal: z.array(thermalSchema),
  })
  .strict();

export type BoardConfig = z.infer<typeof boardConfigSchema>;
export type GpioLine = z.infer<typeof gpioLineSchema>;

export class BoardConfigError extends Error {}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`).join('; ');
}

/** Validates one parsed board description; `source` names it in errors. */
export function parseBoardConfig(value: unknown, source: string): BoardConfig {
  const parsed = boardConfigSchema.safeParse(value);
  if (!parsed.success) throw new BoardConfigError(`${source}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/**
 * Reads every board file of a folder (all *.json but the schema). Each file's id must equal its file name so that
 * `CALLBOX_BOARD=<id>` and the file are the same thing. Every bad file is named; none is skipped silently.
 */
export function loadBoardConfigs(dir: string): BoardConfig[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json') && n !== 'board.schema.json').sort();
  } catch (err) {
    throw new BoardConfigError(`cannot read board configs in ${dir}: ${(err as Error).message}`);
  }
  if (names.length === 0) throw new BoardConfigError(`no board configs (*.json) in ${dir}`);
  const errors: string[] = [];
  const boards: BoardConfig[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      errors.push(`${file}: not valid JSON (${(err as Error).message})`);
      continue;
    }
    try {
      const board = parseBoardConfig(json, file);
      if (`${board.id}.json` !== name) errors.push(`${file}: id "${board.id}" must match the file name (${board.id}.json)`);
      else boards.push(board);
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  if (errors.length > 0) throw new BoardConfigError(`invalid board configs:\n  ${errors.join('\n  ')}`);
  return boards;
}
