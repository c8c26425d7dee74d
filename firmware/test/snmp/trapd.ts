import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnProcess } from '../helpers/process.ts';
import { BASE_MIB_DIR, MIB_DIR } from './tools.ts';

export interface TrapReceiverUnderTest {
  port: number;
  /** One line per received notification: "<security info>|<varbinds>". */
  received(): string[];
  waitFor(pattern: RegExp, count?: number, timeoutMs?: number): Promise<string[]>;
}

/**
 * Debian's snmptrapd on a loopback port, authorising one v3 user (bound to the sending agent's engine ID, as
 * receivers must for v3 traps) and one v2c community, and logging what arrives to a file.
 */
export async function startTrapd(
  t: { after(fn: () => Promise<void> | void): void },
  opts: { dir: string; port: number; engineId: string; user: { name: string; auth: { protocol: string; password: string }; priv: { password: string } }; community: string },
): Promise<TrapReceiverUnderTest> {
  const conf = path.join(opts.dir, 'snmptrapd.conf');
  const log = path.join(opts.dir, 'traps.log');
  const auth = opts.user.auth.protocol === 'sha256' ? 'SHA-256' : 'SHA';
  writeFileSync(
    conf,
    [
      `createUser -e 0x${opts.engineId} ${opts.user.name} ${auth} ${opts.user.auth.password} AES ${opts.user.priv.password}`,
      // Informs: here snmptrapd is the authoritative engine, so the user is also needed under its own engine ID.
      `createUser ${opts.user.name} ${auth} ${opts.user.auth.password} AES ${opts.user.priv.password}`,
      `authUser log ${opts.user.name} authPriv`,
      `authCommunity log ${opts.community}`,
      // %P: PDU type, version, security name; %v: the varbinds, tab-separated.
      'format2 %P|%v\\n',
      '',
    ].join('\n'),
  );
  writeFileSync(log, '');
  const trapd = spawnProcess(
    t,
    'snmptrapd',
    ['-f', '-C', '-c', conf, '-Lf', log, '-n', '-M', `${MIB_DIR}:${BASE_MIB_DIR}`, '-m', 'CALLBOX-MIB:SNMPv2-MIB', `udp:127.0.0.1:${opts.port}`],
    { env: { ...process.env, SNMP_PERSISTENT_DIR: path.join(opts.dir, 'persist'), MIBS: '' } },
  );
  const received = () =>
    readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => l.includes('|'));
  const waitUntil = async (ok: () => boolean, what: string, timeoutMs: number) => {
    const end = performance.now() + timeoutMs;
    while (!ok()) {
      if (performance.now() > end) throw new Error(`snmptrapd: timed out waiting for ${what}; log:\n${readFileSync(log, 'utf8')}\noutput:\n${trapd.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await waitUntil(() => /NET-SNMP version/.test(readFileSync(log, 'utf8')), 'start-up', 10_000);
  return {
    port: opts.port,
    received,
    waitFor: async (pattern, count = 1, timeoutMs = 10_000) => {
      await waitUntil(() => received().filter((l) => pattern.test(l)).length >= count, `${count} x ${pattern}`, timeoutMs);
      return received().filter((l) => pattern.test(l));
    },
  };
}
