import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BoardConfigError, type BoardConfig } from './board-config.ts';
import { builtinBoards } from './builtin-boards.ts';

export { loadBoardConfigs, BoardConfigError, type BoardConfig } from './board-config.ts';

/** What the machine says it is. `null` where the file does not exist (containers, x86 without DMI, ...). */
export interface BoardIdentity {
  deviceTreeModel: string | null;
  dmi: { sysVendor: string | null; productName: string | null; chassisType: number | null } | null;
}

export interface DetectedBoard {
  board: BoardConfig;
  identity: BoardIdentity;
  how: 'forced' | 'matched' | 'fallback';
  /** One sentence for selftest, logs and test-hw: why this board was chosen. */
  reason: string;
}

export interface DetectOptions {
  /** Prefix for /proc and /sys, so tests can point at a fixture tree. */
  root?: string;
  /** Reads CALLBOX_BOARD and CALLBOX_PROFILE. */
  env?: Record<string, string | undefined>;
  boards?: BoardConfig[];
}

function readText(file: string): string | null {
  try {
    // The device-tree model is NUL-terminated; DMI files end in a newline.
    return readFileSync(file, 'utf8').replace(/\0+$/, '').trim();
  } catch {
    return null;
  }
}

export function readIdentity(root = '/'): BoardIdentity {
  const deviceTreeModel = readText(path.join(root, 'proc/device-tree/model'));
  const dmiDir = path.join(root, 'sys/class/dmi/id');
  const sysVendor = readText(path.join(dmiDir, 'sys_vendor'));
  const productName = readText(path.join(dmiDir, 'product_name'));
  const chassis = readText(path.join(dmiDir, 'chassis_type'));
  const chassisType = chassis !== null && /^\d+$/.test(chassis) ? Number(chassis) : null;
  const dmi = sysVendor === null && productName === null && chassisType === null ? null : { sysVendor, productName, chassisType };
  return { deviceTreeModel: deviceTreeModel === '' ? null : deviceTreeModel, dmi };
}

function matches(board: BoardConfig, id: BoardIdentity): string | null {
  const model = id.deviceTreeModel;
  if (model !== null) {
    for (const pattern of board.match.deviceTreeModel ?? []) {
      if (new RegExp(pattern).test(model)) return `device-tree model "${model}" matches /${pattern}/`;
    }
  }
  const dmi = id.dmi;
  if (dmi !== null) {
    for (const m of board.match.dmi ?? []) {
      const vendorOk = m.sysVendor === undefined || (dmi.sysVendor !== null && new RegExp(m.sysVendor).test(dmi.sysVendor));
      const productOk = m.productName === undefined || (dmi.productName !== null && new RegExp(m.productName).test(dmi.productName));
      const chassisOk = m.chassisTypes === undefined || (dmi.chassisType !== null && m.chassisTypes.includes(dmi.chassisType));
      if (vendorOk && productOk && chassisOk) return `DMI "${dmi.sysVendor ?? ''} ${dmi.productName ?? ''}" matches`;
    }
  }
  return null;
}

function byId(boards: BoardConfig[], id: string): BoardConfig {
  const board = boards.find((b) => b.id === id);
  if (board === undefined) throw new BoardConfigError(`unknown board "${id}"; known boards: ${boards.map((b) => b.id).join(', ')}`);
  return board;
}

/**
 * Decides which board this is. The rule, in order:
 *  1. `CALLBOX_BOARD=<id>` forces that board (unknown ids are an error, never a silent fallback).
 *  2. A board whose device-tree model or DMI patterns match the machine.
 *  3. In the appliance profile (`CALLBOX_PROFILE=appliance`, set by the image's systemd units): `generic-server`,
 *     because we were installed on real hardware no board file knows; it drives no GPIO.
 *  4. Otherwise `simulated`: developer machines, containers and CI. An unknown laptop or build server must never
 *     have its watchdog armed or its GPIO lines toggled just because it has DMI data.
 */
export function detectBoard(opts: DetectOptions = {}): DetectedBoard {
  const boards = opts.boards ?? builtinBoards();
  const env = opts.env ?? process.env;
  const identity = readIdentity(opts.root ?? '/');
  const forced = env['CALLBOX_BOARD'];
  if (forced !== undefined && forced !== '') {
    return { board: byId(boards, forced), identity, how: 'forced', reason: `CALLBOX_BOARD=${forced}` };
  }
  for (const board of boards) {
    const why = matches(board, identity);
    if (why !== null) return { board, identity, how: 'matched', reason: why };
  }
  const seen =
    identity.deviceTreeModel !== null
      ? `device-tree model "${identity.deviceTreeModel}"`
      : identity.dmi !== null
        ? `DMI "${identity.dmi.sysVendor ?? '?'} ${identity.dmi.productName ?? '?'}"`
        : null;
  if (env['CALLBOX_PROFILE'] === 'appliance') {
    const what = seen === null ? 'no device-tree model and no DMI data' : `${seen} matches no board file`;
    return { board: byId(boards, 'generic-server'), identity, how: 'fallback', reason: `${what}; appliance profile, so generic-server` };
  }
  const what = seen === null ? 'not a board: no device-tree model and no DMI data' : `${seen} matches no board file and CALLBOX_PROFILE is not appliance`;
  return { board: byId(boards, 'simulated'), identity, how: 'fallback', reason: `${what}, so simulated` };
}
