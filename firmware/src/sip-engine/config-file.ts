import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { HANDLER_METHOD, HANDLER_URL, isDnsServer, isIp, LOGLEVELS } from './value-checks.ts';

const positive = z.number().int().positive();
/**
 * `-f` file: JSON with one key for every flag (drachtio's XML is not read). Values are checked as strictly as the
 * flags; unknown keys are refused so a misspelt key is not silently ignored.
 */
export const configSchema = z
  .object({
    contacts: z.array(z.string()).optional(),
    admin: z
      .object({
        address: z.string().refine(isIp, 'not an IP address').optional(),
        port: z.number().int().min(0).max(65535).optional(),
        secret: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    loglevel: z.enum(LOGLEVELS).optional(),
    timers: z.object({ t1: positive.optional(), t2: positive.optional(), t4: positive.optional() }).strict().optional(),
    externalIp: z.string().refine(isIp, 'not an IP address').optional(),
    hosts: z.record(z.string(), z.string().refine(isIp, 'not an IP address')).optional(),
    tls: z.object({ keyFile: z.string().min(1), certFile: z.string().min(1) }).strict().optional(),
    tcpIdleMs: positive.optional(),
    minSe: positive.optional(),
    sipTrace: z.object({ file: z.string().min(1), switchFile: z.string().min(1).optional(), maxBytes: positive.optional() }).strict().optional(),
    dnsServers: z.array(z.string().refine(isDnsServer, 'not IP, IPv4:PORT or [IPv6]:PORT')).optional(),
    requestHandlers: z
      .record(z.string().regex(HANDLER_METHOD, 'not a method name or *'), z.string().regex(HANDLER_URL, 'not tcp://HOST:PORT or http(s)://URL'))
      .optional(),
  })
  .strict();

export type SipEngineConfigFile = z.infer<typeof configSchema>;

/** Reads and validates a `-f` file; every problem is reported with the path a user edits. */
export function readConfigFile(file: string): SipEngineConfigFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`-f ${file}: ${(err as Error).message} (only JSON configuration files are supported)`, { cause: err });
  }
  const r = configSchema.safeParse(raw);
  if (!r.success) throw new Error(`-f ${file}: ${r.error.issues.map(describeIssue).join('; ')}`);
  return r.data;
}

/** `admin.bogus: unknown key`, `dnsServers.1: not IP, ...`: every problem with the path a user edits. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const at = (path: PropertyKey[]) => path.map(String).join('.') || '(root)';
  if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => `${at([...issue.path, k])}: unknown key`).join('; ');
  return `${at(issue.path)}: ${issue.message}`;
}
