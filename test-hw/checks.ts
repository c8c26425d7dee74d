import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { BoardConfig } from '../firmware/src/platform/board-config.ts';
import type { GpioBackend } from '../firmware/src/platform/gpio.ts';
import { FileWatchdogDevice } from '../firmware/src/platform/watchdog.ts';

/** One line of the test-hw report. Every check takes a root so the suite itself can be tested on fixture trees. */
export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
}

function readOr(file: string, fallback: string | null = null): string | null {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return fallback;
  }
}

export function checkNics(board: BoardConfig, root = '/'): CheckResult[] {
  const netDir = path.join(root, 'sys/class/net');
  const present = existsSync(netDir) ? readdirSync(netDir) : [];
  return board.nics.map((nic) => {
    const found = nic.interface !== undefined ? present.filter((n) => n === nic.interface) : present.filter((n) => new RegExp(nic.interfacePattern ?? '$^').test(n));
    const wanted = nic.interface ?? `/${nic.interfacePattern}/`;
    const ok = found.length > 0 || !nic.required;
    const state = found.map((n) => `${n} ${readOr(path.join(netDir, n, 'operstate'), '?')}`).join(', ');
    return { name: `nic ${nic.role}`, ok, detail: found.length > 0 ? `${wanted}: ${state}` : `${wanted} not present${nic.required ? '' : ' (optional)'}; interfaces: ${present.join(', ') || 'none'}` };
  });
}

/** Mount points and their sources from mountinfo (octal escapes such as \040 for spaces decoded). */
export function readMounts(root = '/'): Map<string, string> {
  const mounts = new Map<string, string>();
  const text = readOr(path.join(root, 'proc/self/mountinfo'), '') ?? '';
  const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
  for (const line of text.split('\n')) {
    const [left, right] = line.split(' - ');
    const mountPoint = left?.split(' ')[4];
    const source = right?.split(' ')[1];
    if (mountPoint !== undefined && source !== undefined) mounts.set(unescape(mountPoint), unescape(source));
  }
  return mounts;
}

function resolveDevice(root: string, device: string): string {
  try {
    return realpathSync(path.join(root, device)).slice(path.resolve(root).length === 1 ? 0 : path.resolve(root).length);
  } catch {
    return device;
  }
}

export function checkDisks(board: BoardConfig, root = '/'): CheckResult[] {
  const mounts = readMounts(root);
  return board.disks.map((disk) => {
    const source = mounts.get(disk.mountPoint);
    if (source === undefined) {
      return { name: `disk ${disk.name}`, ok: !disk.required, detail: `nothing mounted on ${disk.mountPoint}${disk.required ? '' : ' (optional)'}` };
    }
    if (disk.device !== undefined) {
      const expected = resolveDevice(root, disk.device);
      if (resolveDevice(root, source) !== expected) {
        return { name: `disk ${disk.name}`, ok: false, detail: `${disk.mountPoint} is ${source}, expected ${disk.device} (${expected})` };
      }
    }
    return { name: `disk ${disk.name}`, ok: true, detail: `${source} on ${disk.mountPoint}` };
  });
}

/**
 * rtpengine's in-kernel forwarding: its module is loaded, or installed for the running kernel. rtpengine up to 13.x
 * ships it as xt_RTPENGINE (iptables target), from 14.x as nft_rtpengine (nftables expression); either will do.
 */
export const rtpengineModules = ['xt_RTPENGINE', 'nft_rtpengine'] as const;

export function checkRtpengineModule(root = '/', release = readOr('/proc/sys/kernel/osrelease') ?? ''): CheckResult {
  const name = 'rtpengine kernel module';
  const loadedLines = (readOr(path.join(root, 'proc/modules'), '') ?? '').split('\n');
  const loaded = rtpengineModules.find((m) => loadedLines.some((l) => l.startsWith(`${m} `)));
  if (loaded !== undefined) return { name, ok: true, detail: `${loaded} loaded` };
  const dep = (readOr(path.join(root, 'lib/modules', release, 'modules.dep'), '') ?? '').split('\n');
  for (const m of rtpengineModules) {
    const entry = dep.find((l) => new RegExp(`(^|/)${m}\\.ko(\\.[a-z]+)?:`).test(l));
    if (entry !== undefined) return { name, ok: true, detail: `installed, not loaded: ${entry.split(':')[0]} (modprobe ${m})` };
  }
  return { name, ok: false, detail: `${rtpengineModules.join(' or ')} neither loaded nor installed for kernel ${release || '?'}: rtpengine falls back to userspace forwarding` };
}

export function checkThermal(board: BoardConfig, root = '/'): CheckResult[] {
  const dir = path.join(root, 'sys/class/thermal');
  const zones = (existsSync(dir) ? readdirSync(dir) : []).filter((n) => n.startsWith('thermal_zone'));
  return board.thermal.map((sensor) => {
    const name = `temperature ${sensor.name}`;
    const zone = zones.find((z) => readOr(path.join(dir, z, 'type')) === sensor.zoneType);
    if (zone === undefined) return { name, ok: !sensor.required, detail: `no thermal zone of type ${sensor.zoneType}${sensor.required ? '' : ' (optional)'}` };
    const raw = readOr(path.join(dir, zone, 'temp'));
    if (raw === null || !/^-?\d+$/.test(raw)) return { name, ok: false, detail: `${zone}/temp unreadable (${raw ?? 'missing'})` };
    const c = Number(raw) / 1000;
    if (c >= sensor.criticalC) return { name, ok: false, detail: `${c.toFixed(1)} °C at or above the critical ${sensor.criticalC} °C` };
    return { name, ok: true, detail: `${c.toFixed(1)} °C (warn ${sensor.warnC}, critical ${sensor.criticalC})${c >= sensor.warnC ? ' WARM' : ''}` };
  });
}

/** Every LED of the board is switched on and off and read back through the GPIO line. */
export function checkLeds(board: BoardConfig, gpio: GpioBackend): CheckResult[] {
  return (Object.keys(board.leds) as (keyof BoardConfig['leds'])[]).map((led) => {
    const name = `led ${led}`;
    if (!gpio.leds.includes(led)) return { name, ok: false, detail: `not available: ${gpio.snapshot().degraded ?? 'unknown reason'}` };
    gpio.setLed(led, true);
    const on = gpio.readLed(led);
    gpio.setLed(led, false);
    const off = gpio.readLed(led);
    return { name, ok: on === true && off === false, detail: `wrote on/off, read back ${String(on)}/${String(off)}` };
  });
}

/** The reset button with the documented jumper fitted (reads pressed) or removed (reads released). */
export function checkButton(board: BoardConfig, gpio: GpioBackend, expected: 'pressed' | 'released'): CheckResult {
  const name = 'reset button';
  if (board.resetButton === null) return { name, ok: true, detail: 'this board has none' };
  const pressed = gpio.readButton();
  if (pressed === null) return { name, ok: false, detail: `not available: ${gpio.snapshot().degraded ?? 'unknown reason'}` };
  const actual = pressed ? 'pressed' : 'released';
  return { name, ok: actual === expected, detail: `reads ${actual}, expected ${expected}${expected === 'pressed' ? ' (jumper fitted)' : ' (no jumper)'}` };
}

/** Opens the watchdog, pets it once and disarms it with the magic close, so the board does not reset. */
export function checkWatchdog(board: BoardConfig): CheckResult {
  const name = 'watchdog';
  if (board.watchdog === null) return { name, ok: true, detail: 'this board has none' };
  if (board.watchdog.device === 'simulated') return { name, ok: false, detail: 'a real board must not have a simulated watchdog' };
  try {
    const dev = new FileWatchdogDevice(board.watchdog.device);
    dev.pet();
    dev.close(true);
    return { name, ok: true, detail: `${board.watchdog.device} opened, petted, closed with magic V` };
  } catch (err) {
    return { name, ok: false, detail: (err as Error).message };
  }
}
