#!/usr/bin/env bash
# Builds the native addon onoff needs (epoll) for the one-file firmware, for x64 and arm64, against Node 24's
# own headers (the node-linux-<arch> npm packages carry them): build/native/<arch>/epoll.node.
# better-sqlite3 needs no build: its npm package ships prebuilt N-API binaries for both.
# arm64 is cross-compiled with Debian's g++-aarch64-linux-gnu.
set -euo pipefail
cd "$(dirname "$0")/.."
gyp=$(dirname "$(command -v npm)")/../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js
[ -f "$gyp" ] || gyp=/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js
[ -f "$gyp" ] || { echo "build-native: node-gyp (bundled with npm) not found" >&2; exit 1; }

for arch in x64 arm64; do
  out=build/native/$arch/epoll.node
  headers=node_modules/node-linux-$arch
  [ -d "$headers/include/node" ] || headers=build/sea/node-linux-$arch
  [ -d "$headers/include/node" ] || { echo "build-native: no Node headers for $arch (run make firmware)" >&2; exit 1; }
  [ -f "$out" ] && [ "$out" -nt node_modules/epoll/src/epoll.cc ] && continue
  src=build/native/src-$arch
  rm -rf "$src" && mkdir -p "$src" && cp -r node_modules/epoll/binding.gyp node_modules/epoll/src "$src/"
  if [ "$arch" = arm64 ] && [ "$(uname -m)" != aarch64 ]; then
    command -v aarch64-linux-gnu-g++ >/dev/null || { echo "build-native: install Debian package g++-aarch64-linux-gnu" >&2; exit 1; }
    export CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-g++ LINK=aarch64-linux-gnu-g++
  else
    unset CC CXX LINK
  fi
  (cd "$src" && node "$gyp" rebuild --arch="$arch" --nodedir="$(cd "../../../$headers" && pwd)" --silent)
  mkdir -p "$(dirname "$out")" && cp "$src/build/Release/epoll.node" "$out"
  echo "built $out"
done
