// Makes a signed Callbox update bundle (format: firmware/src/update/README.md).
// Run with Node 24: $NODE scripts/make-update-bundle.ts --key PRIVATE.pem --board ID[,ID] --arch x64|arm64 OUT
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { builtinBoards } from '../firmware/src/platform/builtin-boards.ts';
import { UpdateError } from '../firmware/src/update/errors.ts';
import { loadPrivateKey } from '../firmware/src/update/keys.ts';
import { collectTree, createBundle, type BundleSource } from '../firmware/src/update/write-bundle.ts';

const usage = `usage: make-update-bundle.ts --key PRIVATE.pem --board ID[,ID] --arch x64|arm64 [--from DIR | --rauc FILE.raucb]
                             [--version V] [--commit C] OUT

  --key      the release signing key (callbox update keygen DIR makes one)
  --board    board ids from board-configs/ this bundle may be installed on
  --arch     CPU architecture of the payload
  --from     the one-file firmware tree (default build/firmware/<arch>, from make firmware)
  --rauc     wrap this RAUC bundle (bitbake callbox-bundle) instead: what the appliance installs into its root slot
  --version  defaults to package.json's; --commit defaults to git HEAD`;

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function fail(message: string, code = 1): never {
  console.error(code === 2 ? `${message}\n\n${usage}` : `make-update-bundle: ${message}`);
  process.exit(code);
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      key: { type: 'string' },
      board: { type: 'string' },
      arch: { type: 'string' },
      from: { type: 'string' },
      rauc: { type: 'string' },
      version: { type: 'string' },
      commit: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
} catch (err) {
  fail((err as Error).message, 2);
}
const { values: o, positionals } = parsed;
if (o.help) {
  console.log(usage);
  process.exit(0);
}
if (!o.key || !o.board || !o.arch || positionals.length !== 1) fail('--key, --board, --arch and OUT are required', 2);
if (o.arch !== 'x64' && o.arch !== 'arm64') fail(`--arch must be x64 or arm64, not "${o.arch}"`, 2);
if (o.from && o.rauc) fail('give --from or --rauc, not both', 2);
const arch = o.arch;
const out = path.resolve(positionals[0] as string);

const known = new Map(builtinBoards().map((b) => [b.id, b]));
const boards = o.board.split(',').map((s) => s.trim()).filter((s) => s !== '');
for (const id of boards) {
  const board = known.get(id);
  if (board === undefined) fail(`unknown board "${id}"; known boards: ${[...known.keys()].join(', ')}`);
  if (!board.arch.includes(arch)) fail(`board ${id} runs ${board.arch.join(', ')}, not ${arch}`);
}

let files: BundleSource[];
if (o.rauc) {
  if (!statSync(o.rauc, { throwIfNoEntry: false })?.isFile()) fail(`${o.rauc} is not a file`);
  files = [{ path: 'bundle.raucb', source: path.resolve(o.rauc), executable: false }];
} else {
  const from = path.resolve(o.from ?? path.join(repo, 'build', 'firmware', arch));
  if (!statSync(path.join(from, 'bin', 'callbox'), { throwIfNoEntry: false })?.isFile()) {
    fail(`${from}/bin/callbox does not exist; run \`make firmware\` first or pass --from`);
  }
  files = collectTree(from);
}

const version = o.version ?? (JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string }).version;
let commit = o.commit;
if (commit === undefined) {
  try {
    commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: repo, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    commit = 'unknown';
  }
}

try {
  const manifest = await createBundle({ out, privateKey: loadPrivateKey(o.key), kind: o.rauc ? 'rauc' : 'firmware', version, commit, boards, arch, files });
  const bytes = manifest.files.reduce((n, f) => n + f.size, 0);
  console.log(`wrote ${out}: ${manifest.kind} bundle, callbox ${version} (commit ${commit}) for ${boards.join(', ')} ${arch}, ${manifest.files.length} files, ${bytes} bytes, key ${manifest.keyId}`);
} catch (err) {
  fail(err instanceof UpdateError || err instanceof Error ? err.message : String(err));
}
