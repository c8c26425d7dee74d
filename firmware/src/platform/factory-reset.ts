import { closeSync, existsSync, fsyncSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from '../log.ts';

/**
 * Factory reset that survives a power cut: it either happened or it did not.
 *
 * The decision is one durable, atomic step: the intent file is written to a temporary name, fsynced, renamed into
 * place and its directory fsynced. Before that rename nothing has been touched (not happened); after it, every boot
 * finishes the reset before anything opens the data (happened), because wiping is idempotent. The intent file is
 * removed only after the wipe and the log line are on disk.
 *
 * The reset knows nothing of the configuration store: the caller lists what first-boot state means by naming the
 * files and folders to delete (database with its -wal and -shm, secrets, ...), and the recordings folders separately.
 */

export const intentFileName = 'factory-reset.pending';
export const resetLogName = 'factory-reset.log';

export interface FactoryResetPlan {
  /** Absolute paths of files or folders that hold configuration and users. */
  wipe: string[];
  /** Recordings folders: their contents are deleted only when wipeRecordings is true. */
  recordings?: string[];
  wipeRecordings?: boolean;
  /** Who or what asked, for the log ("front-panel button", "web UI by admin"). */
  requestedBy: string;
}

const intentSchema = z.object({
  version: z.literal(1),
  requestedAt: z.string(),
  requestedBy: z.string(),
  wipe: z.array(z.object({ path: z.string(), contentsOnly: z.boolean() })),
  recordingsWiped: z.boolean(),
});
type Intent = z.infer<typeof intentSchema>;

export class FactoryResetError extends Error {}

export interface FactoryResetOptions {
  /** Folder for the intent file and the reset log; it must survive the reset (never inside a wiped path). */
  stateDir: string;
  log?: Logger;
  /** Called after each durable step ("intent", "wiped <path>", "logged", "done"): progress for logs and tests. */
  onStep?: (step: string) => void;
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function writeDurably(file: string, content: string, flags: 'w' | 'a'): void {
  const fd = openSync(file, flags);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function checkPlan(plan: FactoryResetPlan, stateDir: string): Intent['wipe'] {
  const state = path.resolve(stateDir);
  const targets = [
    ...plan.wipe.map((p) => ({ path: p, contentsOnly: false })),
    ...(plan.wipeRecordings ? (plan.recordings ?? []) : []).map((p) => ({ path: p, contentsOnly: true })),
  ];
  for (const { path: p } of targets) {
    if (!path.isAbsolute(p)) throw new FactoryResetError(`factory reset: "${p}" is not an absolute path`);
    const abs = path.resolve(p);
    if (abs === path.parse(abs).root) throw new FactoryResetError('factory reset: refusing to wipe the root directory');
    if (state === abs || state.startsWith(abs + path.sep)) {
      throw new FactoryResetError(`factory reset: "${abs}" contains the reset's own state folder ${state}`);
    }
  }
  return targets.map((t) => ({ path: path.resolve(t.path), contentsOnly: t.contentsOnly }));
}

/** Records the decision durably. After this returns, the reset will complete even if power is cut right now. */
export function requestFactoryReset(plan: FactoryResetPlan, opts: FactoryResetOptions): void {
  const wipe = checkPlan(plan, opts.stateDir);
  const intent: Intent = {
    version: 1,
    requestedAt: new Date().toISOString(),
    requestedBy: plan.requestedBy,
    wipe,
    recordingsWiped: plan.wipeRecordings === true,
  };
  const file = path.join(opts.stateDir, intentFileName);
  const tmp = `${file}.tmp-${process.pid}`;
  writeDurably(tmp, JSON.stringify(intent), 'w');
  renameSync(tmp, file);
  fsyncDir(opts.stateDir);
  opts.log?.warn({ requestedBy: intent.requestedBy, recordingsWiped: intent.recordingsWiped }, 'factory reset decided');
  opts.onStep?.('intent');
}

/** Deletes a path; for recordings folders only their contents, so mount points stay. */
function wipePath(target: string, contentsOnly: boolean): void {
  if (contentsOnly) {
    if (!existsSync(target)) return;
    for (const name of readdirSync(target)) rmSync(path.join(target, name), { recursive: true, force: true });
    fsyncDir(target);
    return;
  }
  rmSync(target, { recursive: true, force: true });
  const parent = path.dirname(target);
  if (existsSync(parent)) fsyncDir(parent);
}

/**
 * Run at every start before the data is opened: finishes a reset whose intent is on disk, and clears the leftovers
 * of an intent write that was cut short. Returns true when it completed a reset.
 */
export function completePendingFactoryReset(opts: FactoryResetOptions): boolean {
  const file = path.join(opts.stateDir, intentFileName);
  for (const name of existsSync(opts.stateDir) ? readdirSync(opts.stateDir) : []) {
    if (name.startsWith(`${intentFileName}.tmp-`)) rmSync(path.join(opts.stateDir, name), { force: true });
  }
  if (!existsSync(file)) return false;
  let intent: Intent;
  try {
    intent = intentSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (err) {
    throw new FactoryResetError(`factory reset intent ${file} is unreadable (${(err as Error).message}); inspect it and delete it to start without resetting`);
  }
  for (const target of intent.wipe) {
    wipePath(target.path, target.contentsOnly);
    opts.onStep?.(`wiped ${target.path}`);
  }
  const line = {
    at: new Date().toISOString(),
    requestedAt: intent.requestedAt,
    requestedBy: intent.requestedBy,
    wiped: intent.wipe.map((t) => t.path),
    recordingsWiped: intent.recordingsWiped,
  };
  // A cut between the log line and removing the intent must not log the same reset twice on the next boot.
  const logFile = path.join(opts.stateDir, resetLogName);
  const lastLine = existsSync(logFile) ? (readFileSync(logFile, 'utf8').trimEnd().split('\n').at(-1) ?? '') : '';
  if (!lastLine.includes(`"requestedAt":${JSON.stringify(intent.requestedAt)}`)) writeDurably(logFile, `${JSON.stringify(line)}\n`, 'a');
  opts.onStep?.('logged');
  rmSync(file);
  fsyncDir(opts.stateDir);
  opts.log?.warn(line, 'factory reset completed: configuration and users are back to first boot');
  opts.onStep?.('done');
  return true;
}

/** Decide and carry out a reset now (the caller has stopped whatever holds the wiped files open). */
export function factoryReset(plan: FactoryResetPlan, opts: FactoryResetOptions): void {
  requestFactoryReset(plan, opts);
  completePendingFactoryReset(opts);
}
