import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

const port = (fallback: number) =>
  z.coerce.number().int().min(1, 'must be a port number 1-65535').max(65535, 'must be a port number 1-65535').default(fallback);

const hostPort = z
  .string()
  .regex(/^[^\s:]+:\d{1,5}$/, 'must be HOST:PORT, e.g. 127.0.0.1:22222')
  .transform((s) => {
    const i = s.lastIndexOf(':');
    return { host: s.slice(0, i), port: Number(s.slice(i + 1)) };
  });

/** The environment contract of DESIGN.md section 4. Defaults are the dev profile's. */
const envSchema = z.object({
  CALLBOX_DATA_DIR: z.string().min(1).default('./var'),
  CALLBOX_BIND: z.string().refine((s) => isIP(s) !== 0, 'must be an IP address such as 127.0.0.1').default('127.0.0.1'),
  CALLBOX_HTTP_PORT: port(8080),
  CALLBOX_SIP_PORT: port(5060),
  /** SIP over secure WebSocket (RFC 7118) for browser phones, with the console's certificate. */
  CALLBOX_SIP_WSS_PORT: port(8089),
  CALLBOX_DRACHTIO_PORT: port(9022),
  CALLBOX_DRACHTIO_SECRET: z.string().min(8, 'must be at least 8 characters').optional(),
  CALLBOX_RTPENGINE_NG: hostPort.default({ host: '127.0.0.1', port: 22222 }),
  CALLBOX_SNMP_PORT: port(1161),
  CALLBOX_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  CALLBOX_PROFILE: z.enum(['dev', 'appliance']).default('dev'),
  /** The dev profile spawns rtpengine itself; `external` means something else (systemd, a test) runs it. */
  CALLBOX_RTPENGINE: z.enum(['spawn', 'external']).default('spawn'),
  CALLBOX_RTPENGINE_BIN: z.string().default('rtpengine'),
  /** `external`: a real drachtio-server (or another engine) already serves the drachtio port; do not start callbox-sip. */
  CALLBOX_SIP_ENGINE: z.enum(['spawn', 'external']).default('spawn'),
  CALLBOX_RTP_PORTS: z
    .string()
    .regex(/^\d+-\d+$/, 'must be MIN-MAX, e.g. 30000-30999')
    .default('30000-30999')
    .transform((s) => {
      const [min, max] = s.split('-').map(Number) as [number, number];
      return { min, max };
    }),
});

export type Env = z.infer<typeof envSchema> & { dataDir: string };

export class EnvError extends Error {}

/** Reads and validates the environment; every bad variable is named with what it must be. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const relevant = Object.fromEntries(Object.entries(source).filter(([k, v]) => k.startsWith('CALLBOX_') && v !== ''));
  const parsed = envSchema.safeParse(relevant);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}=${JSON.stringify(relevant[String(i.path[0])])}: ${i.message}`);
    throw new EnvError(`invalid environment: ${lines.join('; ')}`);
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.CALLBOX_DATA_DIR) };
}
