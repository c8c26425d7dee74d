import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { detectBoard } from '../platform/board.ts';
import { UpdateError } from './errors.ts';
import { defaultPublicKeyPath } from './keys.ts';
import type { Manifest } from './manifest.ts';
import { installWithRauc, raucMarkGood } from './rauc.ts';
import { installSimulated, markSimulatedGood, readSimulatedSlot, type SlotStatus } from './simulated-slot.ts';
import { withInstallLock } from './lock.ts';
import { verifyBundle, type UpdateTarget, type VerifiedBundle } from './verify.ts';

/** Everything an update needs to know about this box. updateContext() fills it from the environment. */
export interface UpdateContext {
  dataDir: string;
  profile: 'dev' | 'appliance';
  publicKeyPath: string;
  target: UpdateTarget;
  rauc: { bin: string; systemConf: string };
  /** RAUC's progress lines during an install on the board. */
  onOutput?: (line: string) => void;
  /** Durable steps of the simulated install (tests). */
  onStep?: (step: string) => void;
}

export function updateContext(opts: { dataDir: string; profile: 'dev' | 'appliance'; env?: NodeJS.ProcessEnv }): UpdateContext {
  const env = opts.env ?? process.env;
  return {
    dataDir: opts.dataDir,
    profile: opts.profile,
    publicKeyPath: defaultPublicKeyPath(env),
    target: { board: detectBoard({ env }).board.id, arch: process.arch },
    rauc: { bin: 'rauc', systemConf: '/etc/rauc/system.conf' },
  };
}

export type InstallMethod = 'rauc' | 'simulated';

/**
 * On the appliance with RAUC the update goes to the inactive root slot. Elsewhere the install is simulated. An
 * appliance without RAUC has no second slot to fall back to, so it refuses rather than pretend.
 */
export function installMethod(ctx: UpdateContext): InstallMethod {
  const rauc = existsSync(ctx.rauc.systemConf);
  if (ctx.profile !== 'appliance') {
    if (!rauc) return 'simulated';
    // A shell on the box without the service's environment would otherwise "install" into ./var and report success.
    throw new UpdateError('not-installable', `this is a RAUC system (${ctx.rauc.systemConf}) but CALLBOX_PROFILE is not appliance: run with the appliance's environment (/etc/default/callbox); nothing was changed`);
  }
  if (rauc) return 'rauc';
  throw new UpdateError('not-installable', `this appliance has no RAUC system (${ctx.rauc.systemConf} is missing), so it has no inactive slot to update; nothing was changed`);
}

export const updateDir = (ctx: UpdateContext) => path.join(ctx.dataDir, 'update');

/** Checks a bundle completely and writes nothing: for `callbox update verify` and the web console's upload preview. */
export function verifyUpdate(file: string, ctx: UpdateContext): Promise<VerifiedBundle> {
  return verifyBundle(file, { publicKeyPath: ctx.publicKeyPath, target: ctx.target });
}

export interface ApplyResult {
  method: InstallMethod;
  manifest: Manifest;
  /** The simulated slot after the install (null on the board: RAUC keeps the slot state). */
  slot: SlotStatus | null;
}

/**
 * `callbox update apply` and the web console's upload: verify everything, then install to the inactive slot. A
 * refused bundle throws UpdateError before anything is written. The new slot is pending until a healthy boot marks
 * it good (markBootGood).
 */
export async function applyUpdate(file: string, ctx: UpdateContext): Promise<ApplyResult> {
  const method = installMethod(ctx);
  const bundle = await verifyUpdate(file, ctx);
  const dir = updateDir(ctx);
  if (method === 'rauc' && bundle.manifest.kind !== 'rauc') {
    throw new UpdateError('not-installable', `${path.basename(file)} holds the firmware files only; this appliance updates its root slot from a RAUC bundle (make-update-bundle --rauc); nothing was changed`);
  }
  await mkdir(dir, { recursive: true });
  return withInstallLock(path.join(dir, '.lock'), async () => {
    if (method === 'rauc') {
      await installWithRauc(bundle, { bin: ctx.rauc.bin, workDir: path.join(dir, 'incoming'), onOutput: ctx.onOutput });
      return { method, manifest: bundle.manifest, slot: null };
    }
    const slot = await installSimulated(bundle, { updateDir: dir, onStep: ctx.onStep });
    return { method, manifest: bundle.manifest, slot };
  });
}

/**
 * What the appliance calls once /health is green after a boot: the booted slot is good, so the bootloader stops
 * counting down towards falling back to the other slot. Off the board a pending simulated slot becomes good.
 * Returns one line for the log.
 */
export async function markBootGood(ctx: UpdateContext): Promise<string> {
  if (ctx.profile === 'appliance') {
    if (!existsSync(ctx.rauc.systemConf)) return `no RAUC system (${ctx.rauc.systemConf}); no slot to mark`;
    return `rauc: ${await raucMarkGood(ctx.rauc.bin)}`;
  }
  const slot = await markSimulatedGood(updateDir(ctx));
  if (slot === null) return 'no update installed';
  return `simulated slot b (${slot.manifest.version}, commit ${slot.manifest.commit}) is good`;
}

/** The simulated slot's state (null: nothing installed, or on the board, where `rauc status` tells). */
export async function updateStatus(ctx: UpdateContext): Promise<{ method: InstallMethod; slot: SlotStatus | null }> {
  const method = installMethod(ctx);
  return { method, slot: method === 'simulated' ? await readSimulatedSlot(updateDir(ctx)) : null };
}
