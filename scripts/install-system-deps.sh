#!/usr/bin/env bash
# Installs the Debian packages Callbox needs for one purpose (run | test), only those missing.
# As root it uses apt-get; otherwise it names the packages and stops, so nothing half-works later.
set -euo pipefail

purpose=${1:?usage: install-system-deps.sh run|test}

# rtpengine anchors all media; espeak-ng and sox make the prompt library at build time, sox (with its MP3
# format library) converts uploaded prompts at run time; openssl makes the web console's first certificate.
run_pkgs=(rtpengine-daemon espeak-ng sox libsox-fmt-mp3 openssl)
# Real peers and tools for the tests (DESIGN.md section 5).
# qemu and the arm64 libraries run the arm64 one-file firmware in `make test`; the cross compiler builds its GPIO addon.
test_pkgs=("${run_pkgs[@]}" sip-tester baresip snmp snmpd snmptrapd smitools chromium tshark nftables iproute2 qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross g++-aarch64-linux-gnu)

case "$purpose" in
  run) want=("${run_pkgs[@]}") ;;
  test) want=("${test_pkgs[@]}") ;;
  *) echo "install-system-deps.sh: unknown purpose '$purpose' (run or test)" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "Callbox needs these Debian packages for '$purpose': ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "Installing Debian packages for '$purpose': ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Package lists may be absent on a fresh machine or stale on an old one; refresh them once.
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The Debian package enables rtpengine's own units; on a machine with systemd they would hold our ports.
if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  systemctl disable --now rtpengine-daemon rtpengine-recording-daemon 2>/dev/null || true
fi
