import path from 'node:path';
import { readEnv } from '../env.ts';
import { applyUpdate, updateContext, updateStatus, verifyUpdate } from '../update/apply.ts';
import { generateUpdateKeys } from '../update/keys.ts';

const usage = `usage: callbox update apply FILE | verify FILE | status | keygen DIR

  apply FILE   verify a signed update bundle, then install it into the inactive slot
  verify FILE  check signature, hashes, board and architecture; write nothing
  status       what the (simulated) inactive slot holds
  keygen DIR   create a signing key pair: DIR/update-key.pem (private) and DIR/update-key.pub`;

// Refusals are UpdateErrors with one line; cli.ts prints them as `callbox update: <line>` and exits 1.
export async function updateCommand(args: string[]): Promise<number> {
  const [sub, arg, ...extra] = args;
  const needsArg = sub === 'apply' || sub === 'verify' || sub === 'keygen';
  if (!(needsArg || sub === 'status') || (needsArg ? arg === undefined : arg !== undefined) || extra.length > 0) {
    console.error(usage);
    return 2;
  }
  if (sub === 'keygen') {
    const keys = generateUpdateKeys(arg as string);
    console.log(`private key ${keys.privateKey} (keep it offline; it signs every release)`);
    console.log(`public key  ${keys.publicKey} (key id ${keys.keyId}; replaces firmware/src/update/update-key.pub in the image)`);
    return 0;
  }
  const env = readEnv();
  const ctx = { ...updateContext({ dataDir: env.dataDir, profile: env.CALLBOX_PROFILE }), onOutput: (line: string) => console.log(`rauc: ${line}`) };
  if (sub === 'status') {
    const { method, slot } = await updateStatus(ctx);
    if (method === 'rauc') console.log('this appliance updates with RAUC: `rauc status` shows its slots');
    else if (slot === null) console.log('no update installed (simulated slot b is empty)');
    else console.log(`simulated slot b: callbox ${slot.manifest.version} (commit ${slot.manifest.commit}), ${slot.status}, installed ${slot.installedAt}`);
    return 0;
  }
  const file = path.resolve(arg as string);
  if (sub === 'verify') {
    const b = await verifyUpdate(file, ctx);
    console.log(`${path.basename(file)}: good signature (key ${b.keyId}), ${b.entries.length} files match, callbox ${b.manifest.version} (commit ${b.manifest.commit}) for ${b.manifest.boards.join(', ')} ${b.manifest.arch}`);
    return 0;
  }
  const r = await applyUpdate(file, ctx);
  const what = `callbox ${r.manifest.version} (commit ${r.manifest.commit})`;
  if (r.method === 'rauc') {
    console.log(`installed ${what} into the inactive slot; reboot to start it. Unless it comes up healthy, the box falls back to the running version.`);
  } else {
    console.log(`installed ${what} into ${path.join(env.dataDir, 'update', 'slot-b')} (simulated slot); pending until a healthy boot marks it good`);
  }
  return 0;
}
