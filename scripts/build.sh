#!/usr/bin/env bash
# Builds what `callbox run` serves and runs: the web UI (Vite) and the firmware bundle (esbuild).
# Expects the Node 24 from npm first on PATH (the Makefile arranges it).
set -euo pipefail
cd "$(dirname "$0")/.."

npm run --silent build -w web-ui
node scripts/gen-prompts.ts

version=$(node -p "require('./package.json').version")
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
# Dependencies stay in node_modules (native better-sqlite3, pino's worker transports); only our code is bundled.
# Split at the commands' dynamic imports: one ESM file would hoist every package import to its top, so the SIP
# engine's process would load Koa, SQLite and net-snmp too (14 MB more resident memory for nothing). The chunks
# sit beside callbox.mjs: modules find the repository from their own URL (assets.ts, version.ts).
rm -f firmware/dist/*.mjs
node_modules/.bin/esbuild firmware/src/cli.ts \
  --bundle --platform=node --format=esm --target=node24 --packages=external \
  --splitting --outdir=firmware/dist --entry-names=callbox --out-extension:.js=.mjs \
  --define:CALLBOX_BUILD_INFO="{\"version\":\"$version\",\"commit\":\"$commit\"}" \
  --log-level=warning
echo "built firmware/dist/callbox.mjs ($version, $commit) and web-ui/dist"
