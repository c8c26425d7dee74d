import { accessSync, constants as fsConstants, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Env } from '../env.ts';
import { NgClient } from '../media/ng-client.ts';
import { rtpengineCommand } from '../media/rtpengine-process.ts';
import { portFree } from '../supervisor/probes.ts';
import { SupervisedProcess } from '../supervisor/supervised-process.ts';
import { createLogger } from '../log.ts';
import { detectBoard } from '../platform/board.ts';
import { loadOnoff } from '../platform/gpio-onoff.ts';

export interface CheckResult {
  check: string;
  ok: boolean;
  detail: string;
  /** What to do about a failure. */
  fix?: string;
}

export function checkBoard(): CheckResult {
  try {
    const d = detectBoard();
    return { check: 'board', ok: true, detail: `${d.board.id} (${d.how}: ${d.reason})` };
  } catch (err) {
    return { check: 'board', ok: false, detail: (err as Error).message, fix: 'set CALLBOX_BOARD to one of the ids in board-configs/, or unset it' };
  }
}

/** The GPIO library with its native addon: needed on a board, and carried inside the one-file firmware. */
export async function checkGpioLibrary(): Promise<CheckResult> {
  try {
    await loadOnoff();
    return { check: 'gpio library', ok: true, detail: 'onoff and its epoll addon load' };
  } catch (err) {
    return { check: 'gpio library', ok: false, detail: (err as Error).message.slice(0, 200), fix: 'use the one-file firmware (make firmware), which carries the addon built for its Node' };
  }
}

export function checkNode(): CheckResult {
  const major = Number(process.versions.node.split('.')[0]);
  return major >= 24
    ? { check: 'node runtime', ok: true, detail: `node ${process.version}` }
    : { check: 'node runtime', ok: false, detail: `node ${process.version}`, fix: 'run through `make run` or the packaged firmware, which bring Node 24 LTS' };
}

export function checkDataDir(env: Env): CheckResult {
  const check = 'data directory';
  try {
    mkdirSync(env.dataDir, { recursive: true });
    accessSync(env.dataDir, fsConstants.W_OK);
    const probe = mkdtempSync(path.join(env.dataDir, '.selftest-'));
    rmSync(probe, { recursive: true });
    return { check, ok: true, detail: `${env.dataDir} writable` };
  } catch (err) {
    return { check, ok: false, detail: `${env.dataDir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, fix: 'create it writable by this user, or set CALLBOX_DATA_DIR' };
  }
}

/** SQLite with WAL in the data dir itself: some file systems (e.g. network mounts) cannot do WAL. */
export function checkSqlite(env: Env): CheckResult {
  const check = 'sqlite (WAL)';
  let dir: string | undefined;
  try {
    dir = mkdtempSync(path.join(env.dataDir, '.selftest-db-'));
    const db = new Database(path.join(dir, 'probe.db'));
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    db.exec('create table t(x); insert into t values (1)');
    const version = db.prepare('select sqlite_version() as v').get() as { v: string };
    db.close();
    if (mode !== 'wal') return { check, ok: false, detail: `journal mode ${String(mode)}`, fix: 'put CALLBOX_DATA_DIR on a local file system (ext4, f2fs)' };
    return { check, ok: true, detail: `sqlite ${version.v}, WAL` };
  } catch (err) {
    return { check, ok: false, detail: (err as Error).message, fix: 'reinstall with `make run` (better-sqlite3 must load on this Node)' };
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

export async function checkPorts(env: Env): Promise<CheckResult[]> {
  const wanted: Array<[string, 'tcp' | 'udp', string, number, string]> = [
    ['http port', 'tcp', env.CALLBOX_BIND, env.CALLBOX_HTTP_PORT, 'CALLBOX_HTTP_PORT'],
    ['sip port (udp)', 'udp', env.CALLBOX_BIND, env.CALLBOX_SIP_PORT, 'CALLBOX_SIP_PORT'],
    ['sip port (tcp)', 'tcp', env.CALLBOX_BIND, env.CALLBOX_SIP_PORT, 'CALLBOX_SIP_PORT'],
    ['sip over websocket port', 'tcp', env.CALLBOX_BIND, env.CALLBOX_SIP_WSS_PORT, 'CALLBOX_SIP_WSS_PORT'],
    ['drachtio port', 'tcp', '127.0.0.1', env.CALLBOX_DRACHTIO_PORT, 'CALLBOX_DRACHTIO_PORT'],
    ['snmp port', 'udp', env.CALLBOX_BIND, env.CALLBOX_SNMP_PORT, 'CALLBOX_SNMP_PORT'],
    ['rtpengine ng port', 'udp', env.CALLBOX_RTPENGINE_NG.host, env.CALLBOX_RTPENGINE_NG.port, 'CALLBOX_RTPENGINE_NG'],
  ];
  return Promise.all(
    wanted.map(async ([check, proto, host, port, variable]) => {
      const r = await portFree(proto, host, port);
      if (r.free) return { check, ok: true, detail: `${proto} ${host}:${port} free` };
      const fix =
        r.reason === 'EADDRINUSE'
          ? `stop what uses it (is Callbox already running? \`ss -lpn | grep ${port}\`) or set ${variable}`
          : r.reason === 'EACCES'
            ? `ports below 1024 need root or CAP_NET_BIND_SERVICE; or set ${variable}`
            : `check CALLBOX_BIND (${env.CALLBOX_BIND}) is an address of this machine`;
      return { check, ok: false, detail: `${proto} ${host}:${port}: ${r.reason}`, fix };
    }),
  );
}

/** Spawns rtpengine on a spare ng port in a scratch dir and pings it: proves the binary and its options work here. */
export async function checkRtpengine(env: Env): Promise<CheckResult> {
  const check = 'rtpengine';
  const dir = mkdtempSync(path.join(env.dataDir, '.selftest-rtp-'));
  const ngPort = 20000 + Math.floor(Math.random() * 9000);
  const ng = new NgClient({ host: '127.0.0.1', port: ngPort, timeoutMs: 500 });
  const { cmd, args } = rtpengineCommand({
    bin: env.CALLBOX_RTPENGINE_BIN,
    dataDir: dir,
    interfaceAddress: '127.0.0.1',
    ng: { host: '127.0.0.1', port: ngPort },
    rtpPorts: { min: 39000, max: 39019 },
    dtmfLogDest: { host: '127.0.0.1', port: ngPort + 1 },
  });
  const log = createLogger('selftest', 'silent');
  const proc = new SupervisedProcess({ name: 'rtpengine', cmd, args, log, ready: () => ng.ping(), readyTimeoutMs: 5000 });
  try {
    await proc.start();
    return { check, ok: true, detail: `${cmd} answers ng ping` };
  } catch (err) {
    const message = (err as Error).message;
    const missing = message.includes('not found');
    return {
      check,
      ok: false,
      detail: message.slice(0, 200),
      fix: missing ? 'install Debian package rtpengine-daemon (`make run` does it as root)' : 'see the output above; run rtpengine by hand with the same flags',
    };
  } finally {
    await proc.stop();
    ng.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

