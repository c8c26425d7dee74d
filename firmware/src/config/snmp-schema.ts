import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * The `snmp:` section of the site file (DESIGN.md section 4): one definition for the site file, the store, the
 * web API and the agent (firmware/src/snmp), so what the file accepts is exactly what the agent can serve.
 */

/**
 * Net-SNMP's tools and RFC 3414 need at least 8 characters to derive USM keys from a password. In AgentX mode
 * the passwords are written into snmpd's configuration, whose tokens cannot hold blanks or quotes.
 */
const configToken = /^[^\s"'\\]+$/;
const usmPassword = z
  .string()
  .min(8, 'must be at least 8 characters (RFC 3414 key derivation)')
  .max(128, 'must be at most 128 characters')
  .regex(configToken, 'must not contain blanks, quotes or backslashes');

const name = z
  .string()
  .min(1, 'must not be empty')
  .max(32, 'must be at most 32 characters')
  .regex(/^[A-Za-z0-9._-]+$/, 'may only contain letters, digits, dot, underscore and dash');

export const snmpUserSchema = z.strictObject({
  name,
  auth: z.strictObject({ protocol: z.enum(['sha256', 'sha']).default('sha256'), password: usmPassword }),
  priv: z.strictObject({ protocol: z.enum(['aes']).default('aes'), password: usmPassword }),
});

function cidrError(s: string): string | null {
  const [addr, bits, ...rest] = s.split('/');
  if (rest.length > 0 || addr === undefined) return 'must be ADDRESS/PREFIX, e.g. 192.0.2.0/24';
  const family = isIP(addr);
  if (family === 0) return `${addr} is not an IP address`;
  if (bits === undefined) return null;
  const max = family === 4 ? 32 : 128;
  if (!/^\d+$/.test(bits) || Number(bits) > max) return `prefix length must be 0-${max}`;
  return null;
}

export const cidrSchema = z.string().superRefine((s, ctx) => {
  const err = cidrError(s);
  if (err) ctx.addIssue({ code: 'custom', message: err });
});

export const snmpCommunitySchema = z.strictObject({
  name: z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters').regex(configToken, 'must not contain blanks, quotes or backslashes'),
  /** Source networks allowed to use the community; v2c has no other protection. */
  networks: z.array(cidrSchema).min(1, 'list at least one allowed source network (v2c sends the community in clear text)'),
});

const host = z.string().min(1).refine((s) => isIP(s) !== 0 || /^[A-Za-z0-9.-]+$/.test(s), 'must be an IP address or host name');
const port = z.number().int().min(1).max(65535);

export const trapReceiverSchema = z.discriminatedUnion('version', [
  z.strictObject({ host, port: port.default(162), version: z.literal('3'), user: name, inform: z.boolean().default(false) }),
  z.strictObject({ host, port: port.default(162), version: z.literal('2c'), community: z.string().min(1), inform: z.boolean().default(false) }),
]);

/** The section's fields without the cross-checks (the store keeps users, communities and receivers in tables). */
export const snmpConfigObject = z.strictObject({
    /** standalone: our own UDP agent. agentx: a subagent of the system snmpd, which adds the host MIBs. */
    mode: z.enum(['standalone', 'agentx']).default('standalone'),
    users: z.array(snmpUserSchema).default([]),
    communities: z.array(snmpCommunitySchema).default([]),
    trap_receivers: z.array(trapReceiverSchema).default([]),
    /** sysContact and sysLocation (SNMPv2-MIB), what an NMS shows next to the device. */
    contact: z.string().max(255).regex(/^[^\n"\\]*$/, 'must be one line without quotes or backslashes').default(''),
    location: z.string().max(255).regex(/^[^\n"\\]*$/, 'must be one line without quotes or backslashes').default(''),
    /** Where snmpd's AgentX master listens (agentx mode): a Unix socket path or HOST:PORT. */
    agentx_socket: z.string().min(1).default('/var/agentx/master'),
});

export const snmpConfigSchema = snmpConfigObject.superRefine((cfg, ctx) => {
    const users = new Set<string>();
    cfg.users.forEach((u, i) => {
      if (users.has(u.name)) ctx.addIssue({ code: 'custom', path: ['users', i, 'name'], message: `user ${u.name} is listed twice` });
      users.add(u.name);
    });
    cfg.trap_receivers.forEach((r, i) => {
      if (r.version === '3' && !users.has(r.user)) {
        ctx.addIssue({ code: 'custom', path: ['trap_receivers', i, 'user'], message: `no SNMPv3 user named ${r.user} in snmp.users` });
      }
    });
  });

export type SnmpConfig = z.infer<typeof snmpConfigSchema>;
export type SnmpUser = z.infer<typeof snmpUserSchema>;
export type SnmpCommunity = z.infer<typeof snmpCommunitySchema>;
export type TrapReceiver = z.infer<typeof trapReceiverSchema>;

/** Parses an `snmp:` section; the error names every bad field by its path. */
export function parseSnmpConfig(input: unknown): SnmpConfig {
  const r = snmpConfigSchema.safeParse(input ?? {});
  if (!r.success) {
    throw new Error(`invalid snmp configuration: ${r.error.issues.map((i) => `snmp.${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return r.data;
}
