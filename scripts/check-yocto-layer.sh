#!/usr/bin/env bash
# Validates the Yocto layer as far as a machine without BitBake can: layer.conf, recipes (required variables, every
# file a recipe fetches, pinned sources), the wic layout against RAUC's slots, the systemd units (systemd-analyze
# verify when present, otherwise a syntax check; plus the hardening the appliance requires) and shell scripts
# (shellcheck when installed, otherwise sh -n). Usage: scripts/check-yocto-layer.sh [LAYER_DIR]
# The script matches BitBake's literal ${VAR} references, so single-quoted '${' is intended throughout.
# shellcheck disable=SC2016
set -u -o pipefail

layer=${1:-$(cd "$(dirname "$0")/.." && pwd)/yocto-layer/meta-callbox}
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
ok() { echo "ok   $*"; }
note() { echo "note $*"; }

if [ ! -d "$layer" ]; then
  echo "FAIL no layer at $layer"
  exit 1
fi
rel() { echo "${1#"$layer"/}"; }

# BitBake files with continuation lines joined and comments dropped, one statement per line.
statements() {
  awk '{ sub(/\r$/, "") } /^[ \t]*#/ && !cont { next } { line = line $0; cont = sub(/\\$/, "", line); if (!cont) { print line; line = "" } } END { if (line != "") print line }' "$1"
}

# Every value assigned to VAR (=, ?=, ??=, :=, +=, .=, =+, :append, :prepend), concatenated; quotes removed.
get_var() {
  awk -v var="$2" '
    { sub(/\r$/, "") }
    /^[ \t]*#/ && !cont { next }
    { line = line $0; cont = sub(/\\$/, "", line); if (cont) next }
    {
      s = line; line = ""
      sub(/^[ \t]*(export[ \t]+)?/, "", s)
      if (index(s, var) != 1) next
      rest = substr(s, length(var) + 1)
      if (!match(rest, /^(:append|:prepend)?[ \t]*(\?\?=|\?=|:=|\+=|=\+|\.=|=\.|=)[ \t]*"/)) next
      v = substr(rest, RLENGTH + 1)
      sub(/"[ \t]*$/, "", v)
      out = out " " v
    }
    END { gsub(/[ \t]+/, " ", out); print out }
  ' "$1"
}

# --- layer.conf -------------------------------------------------------------------------------------------------
conf=$layer/conf/layer.conf
if [ ! -f "$conf" ]; then
  fail "conf/layer.conf is missing"
else
  collection=$(get_var "$conf" BBFILE_COLLECTIONS | xargs)
  if [ -z "$collection" ]; then
    fail "conf/layer.conf: BBFILE_COLLECTIONS is not set"
  else
    for v in BBFILE_PATTERN BBFILE_PRIORITY LAYERVERSION LAYERSERIES_COMPAT LAYERDEPENDS; do
      [ -n "$(get_var "$conf" "${v}_${collection}")" ] || fail "conf/layer.conf: ${v}_${collection} is not set"
    done
    compat=" $(get_var "$conf" "LAYERSERIES_COMPAT_${collection}") "
    for series in scarthgap wrynose; do
      [[ $compat == *" $series "* ]] || fail "conf/layer.conf: LAYERSERIES_COMPAT_${collection} lacks $series"
    done
    [ -n "$(get_var "$conf" BBFILES)" ] || fail "conf/layer.conf: BBFILES is not set"
    ok "conf/layer.conf (collection $collection, series$compat)"
  fi
fi

# --- every BitBake file: override syntax of the supported releases -------------------------------------------------
while IFS= read -r f; do
  if statements "$f" | grep -nE '^[ \t]*[A-Za-z0-9_${}.-]+_(append|prepend|remove)([_[ \t]|=)' >/dev/null; then
    fail "$(rel "$f"): old override syntax (VAR_append): scarthgap and later need VAR:append"
  fi
done < <(find "$layer" -type f \( -name '*.bb' -o -name '*.bbappend' -o -name '*.conf' -o -name '*.bbclass' -o -name '*.inc' \) -path '*' ! -path '*/files/*' | sort)

# --- recipes --------------------------------------------------------------------------------------------------------
# Where BitBake looks for file:// sources by default (FILESPATH), plus the recipe's FILESEXTRAPATHS below THISDIR.
find_local() {
  local recipe=$1 name=$2 dir bpn pv
  dir=$(dirname "$recipe")
  bpn=$(basename "$recipe" | sed -E 's/(_[^_]*)?\.bb(append)?$//')
  pv=$(basename "$recipe" | sed -nE 's/^[^_]*_(.*)\.bb(append)?$/\1/p')
  for d in "$dir/$bpn-$pv" "$dir/$bpn" "$dir/files"; do
    [ -e "$d/$name" ] && return 0
  done
  return 1
}

mapfile -t recipes < <(find "$layer" -type f -name '*.bb' | sort)
[ ${#recipes[@]} -gt 0 ] || fail "no recipes (*.bb) in the layer"
for r in "${recipes[@]}"; do
  name=$(rel "$r")
  base=$(basename "$r")
  [[ $base =~ ^[a-z0-9][a-z0-9.+-]*(_[A-Za-z0-9.+~-]+)?\.bb$ ]] || fail "$name: file name must be NAME_VERSION.bb or NAME.bb"
  inherits=" $(statements "$r" | sed -nE 's/^[ \t]*inherit[ \t]+(.*)$/\1/p' | tr '\n' ' ') "
  for v in SUMMARY LICENSE; do
    [ -n "$(get_var "$r" "$v")" ] || fail "$name: $v is not set"
  done
  license=$(get_var "$r" LICENSE | xargs)
  if [ "$license" != "CLOSED" ] && [[ $inherits != *" core-image "* && $inherits != *" image "* && $inherits != *" bundle "* ]]; then
    [ -n "$(get_var "$r" LIC_FILES_CHKSUM)" ] || fail "$name: LIC_FILES_CHKSUM is not set (LICENSE $license)"
  fi
  srcuri=$(get_var "$r" SRC_URI)
  missing=0
  for uri in $srcuri; do
    case $uri in
      file://*)
        path=${uri#file://}
        path=${path%%;*}
        path=${path%/}
        if [[ $path == *'${'* ]]; then
          note "$name: $uri is supplied at build time (a variable names it)"
        elif ! find_local "$r" "$path"; then
          fail "$name: SRC_URI $uri: no such file next to the recipe (files/, $(basename "$r" .bb | sed 's/_.*//')/)"
          missing=1
        fi
        ;;
      git://* | gitsm://*)
        srcrev=$(get_var "$r" SRCREV | xargs)
        [[ $srcrev =~ ^[0-9a-f]{40}$ ]] || fail "$name: $uri needs SRCREV pinned to a 40-hex commit (got '${srcrev}')"
        [[ $uri == *"protocol=https"* ]] || fail "$name: $uri should fetch with protocol=https"
        [[ $uri == *"branch="* || $uri == *"nobranch=1"* ]] || fail "$name: $uri needs branch= (or nobranch=1)"
        ;;
      http://* | https://*)
        statements "$r" | grep -qE '^[ \t]*SRC_URI\[([a-z0-9-]+\.)?sha256sum\]' || fail "$name: $uri needs SRC_URI[sha256sum]"
        ;;
      npm://* | npmsw://*)
        fail "$name: $uri: the npm fetchers are disabled in wrynose; install the prebuilt firmware instead"
        ;;
    esac
  done
  [ $missing -eq 0 ] && ok "$name"
done

for a in $(find "$layer" -type f -name '*.bbappend' | sort); do
  name=$(rel "$a")
  for uri in $(get_var "$a" SRC_URI); do
    case $uri in
      file://*)
        path=${uri#file://}
        path=${path%%;*}
        [[ $path == *'${'* ]] || find_local "$a" "$path" || fail "$name: SRC_URI $uri: no such file next to the append"
        ;;
    esac
  done
  if statements "$a" | grep -q 'FILESEXTRAPATHS.*THISDIR}/files'; then
    [ -d "$(dirname "$a")/files" ] || fail "$name: FILESEXTRAPATHS names files/, which does not exist"
  fi
  ok "$name"
done

# --- image: read-only, no compilers, its wic layout exists and gets its variables ------------------------------------
image=$(grep -lE '^[ \t]*inherit[ \t].*\bcore-image\b' "${recipes[@]}" | head -n1)
wks=""
if [ -z "$image" ]; then
  fail "no image recipe (inherit core-image)"
else
  name=$(rel "$image")
  features=" $(get_var "$image" IMAGE_FEATURES) "
  [[ $features == *" read-only-rootfs "* ]] || fail "$name: IMAGE_FEATURES lacks read-only-rootfs"
  for bad in tools-sdk dev-pkgs tools-debug debug-tweaks allow-empty-password; do
    [[ $features == *" $bad "* ]] && fail "$name: IMAGE_FEATURES has $bad"
  done
  install=" $(get_var "$image" IMAGE_INSTALL) "
  for bad in gcc g++ binutils packagegroup-core-buildessential packagegroup-core-sdk nodejs npm; do
    [[ $install == *" $bad "* ]] && fail "$name: IMAGE_INSTALL has $bad (no compilers or build tools on the appliance)"
  done
  for want in callbox rtpengine nftables chrony rauc; do
    [[ $install == *" $want "* ]] || fail "$name: IMAGE_INSTALL lacks $want"
  done
  [[ $install == *" net-snmp-server"* ]] || fail "$name: IMAGE_INSTALL lacks net-snmp's snmpd"
  wks_name=$(get_var "$image" WKS_FILE | xargs)
  wks=$(find "$layer" -path '*/wic/*' -name "$wks_name" | head -n1)
  if [ -z "$wks_name" ] || [ -z "$wks" ]; then
    fail "$name: WKS_FILE '${wks_name}' not found under wic/"
    wks=""
  else
    wicvars=" $(get_var "$image" WICVARS) "
    for v in $(grep -oE '\$\{[A-Z0-9_]+\}' "$wks" | tr -d '${}' | sort -u); do
      [[ $wicvars == *" $v "* ]] || fail "$(rel "$wks") uses \${$v}: add it to WICVARS in $name"
      [ -n "$(get_var "$image" "$v")" ] || fail "$(rel "$wks") uses \${$v}, which $name does not set"
    done
    ok "$name (read-only root, no compilers, $(rel "$wks"))"
  fi
fi

# --- wic layout and RAUC slots agree ---------------------------------------------------------------------------------
sysconf=$(find "$layer" -name system.conf -path '*rauc*' | head -n1)
if [ -z "$sysconf" ]; then
  fail "no RAUC system.conf in the layer"
elif [ -n "$wks" ]; then
  name=$(rel "$sysconf")
  ini() { awk -v s="$1" -v k="$2" -F= '/^\[/ { sec = substr($0, 2, length($0) - 2) } sec == s && $1 == k { print substr($0, length(k) + 2) }' "$sysconf"; }
  for k in compatible bootloader; do [ -n "$(ini system "$k")" ] || fail "$name: [system] $k is not set"; done
  [ -n "$(ini keyring path)" ] || fail "$name: [keyring] path is not set"
  slots=$(grep -oE '^\[slot\.rootfs\.[0-9]+\]' "$sysconf" | tr -d '[]')
  [ "$(echo "$slots" | grep -c .)" -ge 2 ] || fail "$name: needs two root slots (slot.rootfs.0 and slot.rootfs.1)"
  partnames=" $(grep -oE -- '--part-name[ =]+[A-Za-z0-9_-]+' "$wks" | awk '{ print $NF }' | tr '\n' ' ') "
  for s in $slots; do
    dev=$(ini "$s" device)
    [ -n "$(ini "$s" bootname)" ] || fail "$name: [$s] bootname is not set"
    [ -n "$(ini "$s" type)" ] || fail "$name: [$s] type is not set"
    label=${dev#/dev/disk/by-partlabel/}
    if [ "$label" = "$dev" ]; then
      fail "$name: [$s] device $dev: use /dev/disk/by-partlabel/ so it matches the wic layout on any disk"
    elif [[ $partnames != *" $label "* ]]; then
      fail "$name: [$s] device $dev has no partition '--part-name $label' in $(rel "$wks")"
    fi
  done
  if [[ $partnames != *" data "* ]] || ! grep -qE '^part /data ' "$wks"; then
    fail "$(rel "$wks"): needs a data partition mounted on /data"
  fi
  bundle=$(grep -lE '^[ \t]*inherit[ \t].*\bbundle\b' "${recipes[@]}" | head -n1)
  if [ -n "$bundle" ]; then
    want=$(ini system compatible | sed 's/@MACHINE@/${MACHINE}/')
    got=$(get_var "$bundle" RAUC_BUNDLE_COMPATIBLE | xargs)
    [ "$want" = "$got" ] || fail "$(rel "$bundle"): RAUC_BUNDLE_COMPATIBLE '$got' differs from system.conf's '$want'"
  fi
  ok "$name ($(wc -w <<<"$slots") root slots match $(rel "$wks"))"
fi

# --- systemd units -----------------------------------------------------------------------------------------------------
mapfile -t units < <(find "$layer" -type f \( -name '*.service' -o -name '*.socket' -o -name '*.timer' -o -name '*.mount' \) | sort)
unitval() { sed -nE "s/^$2=(.*)$/\1/p" "$1" | tr '\n' ' '; }
for u in "${units[@]}"; do
  name=$(rel "$u")
  bad=$(grep -vnE '^[ \t]*($|#|;|\[(Unit|Service|Install|Socket|Timer|Mount)\]$|[A-Z][A-Za-z0-9]*=)' "$u")
  [ -z "$bad" ] || fail "$name: not unit-file syntax: $bad"
  if [[ $u == *.service ]]; then
    [ -n "$(unitval "$u" ExecStart)" ] || fail "$name: no ExecStart"
    [ "$(unitval "$u" ProtectSystem | xargs)" = strict ] || fail "$name: ProtectSystem=strict is required"
    [ "$(unitval "$u" NoNewPrivileges | xargs)" = yes ] || fail "$name: NoNewPrivileges=yes is required"
  fi
done
svc() { find "$layer" -type f -name "$1" | head -n1; }
main=$(svc callbox.service)
sip=$(svc callbox-sip.service)
if [ -z "$main" ] || [ -z "$sip" ]; then
  fail "callbox.service and callbox-sip.service must both be in the layer"
else
  for u in "$main" "$sip"; do
    name=$(rel "$u")
    user=$(unitval "$u" User | xargs)
    if [ -z "$user" ] || [ "$user" = root ]; then fail "$name: must run as a dedicated user (User=), not root"; fi
    [[ " $(unitval "$u" ReadWritePaths) " == *" /data"* || " $(unitval "$u" ReadWritePaths) " == *" -/data"* ]] || fail "$name: ReadWritePaths must include the data partition"
  done
  caps=$(unitval "$main" CapabilityBoundingSet | tr ' ' '\n' | grep . | sort | xargs)
  [ "$caps" = "CAP_NET_ADMIN CAP_NET_BIND_SERVICE" ] || fail "$(rel "$main"): CapabilityBoundingSet must be CAP_NET_BIND_SERVICE CAP_NET_ADMIN only (got '$caps')"
  caps=$(unitval "$sip" CapabilityBoundingSet | xargs)
  [ "$caps" = "CAP_NET_BIND_SERVICE" ] || fail "$(rel "$sip"): CapabilityBoundingSet must be CAP_NET_BIND_SERVICE only (got '$caps')"
  [[ " $(unitval "$main" After) " == *" rtpengine.service "* ]] || fail "$(rel "$main"): must be ordered After=rtpengine.service"
  [[ " $(unitval "$sip" After) $(unitval "$main" After) " == *" callbox-sip.service "* ]] || fail "$(rel "$main"): must be ordered after callbox-sip.service"
fi

if command -v systemd-analyze >/dev/null 2>&1 && [ ${#units[@]} -gt 0 ]; then
  # A throw-away root with the host's stock units (targets), our units, and stand-ins for the programs they start, so
  # verify checks our files and not this machine's installation.
  root=$(mktemp -d)
  trap 'rm -rf "$root"' EXIT
  mkdir -p "$root/usr/lib/systemd/system" "$root/etc/systemd/system"
  for d in /usr/lib/systemd/system /lib/systemd/system; do
    if [ -d "$d" ]; then cp -rL "$d/." "$root/usr/lib/systemd/system/" 2>/dev/null; fi
  done
  names=()
  for u in "${units[@]}"; do
    cp "$u" "$root/usr/lib/systemd/system/"
    names+=("$(basename "$u")")
  done
  while IFS= read -r exe; do
    mkdir -p "$root$(dirname "$exe")"
    printf '#!/bin/sh\n' >"$root$exe"
    chmod 755 "$root$exe"
  done < <(sed -nE 's/^Exec[A-Za-z]*=[-+!@:]*([^ ]+).*/\1/p' "${units[@]}" | sort -u)
  out=$(cd "$root" && systemd-analyze verify --man=no --root="$root" "${names[@]}" 2>&1)
  status=$?
  pattern=$(IFS='|'; echo "${names[*]}")
  problems=$(echo "$out" | grep -E "$pattern" | grep -vE 'Unit configured to use KillMode=none|is marked world-inaccessible')
  if [ $status -ne 0 ] || [ -n "$problems" ]; then
    fail "systemd-analyze verify: $(echo "${problems:-$out}" | sed "s|$root||g" | tr '\n' ';')"
  else
    ok "systemd-analyze verify: ${#units[@]} units"
  fi
else
  note "systemd-analyze not installed: units got the syntax check only"
fi

# --- shell scripts -----------------------------------------------------------------------------------------------------
mapfile -t scripts < <(find "$layer" -type f \( -name '*.sh' -o -name '*.bash' \) | sort)
scripts+=("$(cd "$(dirname "$0")" && pwd)/$(basename "$0")")
if command -v shellcheck >/dev/null 2>&1; then
  for s in "${scripts[@]}"; do
    if out=$(shellcheck -x "$s" 2>&1); then ok "shellcheck $(rel "$s")"; else fail "shellcheck $(rel "$s"): $out"; fi
  done
else
  note "shellcheck not installed: shell scripts got sh -n only"
  for s in "${scripts[@]}"; do
    if out=$(bash -n "$s" 2>&1); then ok "bash -n $(rel "$s")"; else fail "bash -n $(rel "$s"): $out"; fi
  done
fi

if [ $failures -eq 0 ]; then
  echo "check-yocto-layer: $(rel "$layer") is consistent"
  exit 0
fi
echo "check-yocto-layer: $failures problem(s) in $layer"
exit 1
