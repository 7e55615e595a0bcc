#!/usr/bin/env bash
# OpenID Connect with a real relying-party library: Node's openid-client (v6, panva) discovers oauthsim, runs the
# authorization code flow with PKCE S256 and a nonce (fetch with a cookie jar plays the browser: login form,
# autoapproved authorize, 303 to the callback), validates the id_token, refreshes, reads userinfo, introspects,
# revokes and signs out. See openid_client.mjs for the checks.
# Usage: openid_client.sh path/to/oauthsim
# Installs what it needs when missing (CI runs as root on a fresh Debian 12): apt `nodejs`/`npm`, and npm
# `openid-client` into a cache beside the build tree (never the source tree).
set -euo pipefail
bin=${1:?usage: openid_client.sh OAUTHSIM_BINARY}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
[ -x "$bin" ] || { echo "not an executable: $bin"; exit 1; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# build/bin/oauthsim -> build/interop-node/openid_client: beside the build, never in the source tree, and a folder of
# its own so that other interop tests installing npm packages next to it (ctest -j2) cannot prune or race it.
# OAUTHSIM_PROFILE (spring-legacy by default) selects the server profile; each profile gets its own npm folder so
# that the two ctest entries (interop/openid_client, interop/openid_client_sas) can run at once.
profile=${OAUTHSIM_PROFILE:-spring-legacy}
cache=$(cd "$(dirname "$bin")/.." && pwd)/interop-node/openid_client-$profile

work=$(mktemp -d)
node_pid=
# shellcheck disable=SC2317 # called by the trap
cleanup() {
    if [ -n "$node_pid" ] && kill -0 "$node_pid" 2>/dev/null; then
        kill -TERM "$node_pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$node_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$node_pid" 2>/dev/null || true
    fi
    # What node started, should it have died before stopping it: oauthsim.
    local pid
    if [ -s "$work/oauthsim.pid" ]; then
        pid=$(cat "$work/oauthsim.pid")
        if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    fi
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ---- install (bounded: the ctest timeout is 180 s, so each step gets its own limit) ----
t_install=$(now)
apt_install() {
    [ "$(id -u)" = 0 ] || { echo "FAIL install: need root to apt-get install $*"; echo "0 passed, 1 failed"; exit 1; }
    export DEBIAN_FRONTEND=noninteractive
    local apt=(timeout 100 apt-get -y -q -o DPkg::Lock::Timeout=60 --no-install-recommends install "$@")
    if ! "${apt[@]}" >"$work/apt.log" 2>&1; then # stale package lists: update once, try again
        timeout 60 apt-get -q -o DPkg::Lock::Timeout=30 update >>"$work/apt.log" 2>&1 || true
        "${apt[@]}" >>"$work/apt.log" 2>&1 || { tail -n 20 "$work/apt.log"; echo "FAIL install: apt-get install $*"; echo "0 passed, 1 failed"; exit 1; }
    fi
}
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    # NodeSource's nodejs ships npm itself and conflicts with Debian's npm: install only what is missing.
    missing=(); command -v node >/dev/null || missing+=(nodejs); command -v npm >/dev/null || missing+=(npm)
    echo "installing Debian ${missing[*]}"
    apt_install "${missing[@]}"
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
# openid-client 6 uses the global WebCrypto and fetch: Node 20 has both; Debian 12's own Node 18 has fetch and gets
# WebCrypto with a flag (checked here on Node 20 only).
node_flags=()
if [ "$node_major" -lt 18 ]; then
    echo "FAIL install: openid-client 6 needs Node >= 18 (20 or later preferred), this is $(node --version)"
    echo "0 passed, 1 failed"
    exit 1
elif [ "$node_major" -lt 20 ]; then
    node_flags=(--experimental-global-webcrypto)
fi
# The current major release, checked against this oauthsim.
oc_version=6.8.9
have=$(node -p "try { require('$cache/node_modules/openid-client/package.json').version } catch { '' }" 2>/dev/null || true)
if [ "$have" != "$oc_version" ]; then
    echo "installing openid-client@$oc_version into $cache"
    mkdir -p "$cache"
    [ -f "$cache/package.json" ] || echo '{"name":"oauthsim-interop-openid-client","private":true}' >"$cache/package.json"
    # flock: two runs of this test at once must not install into the same folder together.
    (cd "$cache" && flock -w 100 "$cache/.install.lock" \
        timeout 100 npm install --no-audit --no-fund --no-update-notifier --save-exact "openid-client@$oc_version") \
        >"$work/npm.log" 2>&1 \
        || { tail -n 20 "$work/npm.log"; echo "FAIL install: npm install openid-client@$oc_version"; echo "0 passed, 1 failed"; exit 1; }
fi
echo "install: $(elapsed "$t_install") s (node $(node --version), openid-client $oc_version)"

# ---- the test (openid_client.mjs prints its own run time, then the count) ----
echo "profile: $profile"
OAUTHSIM_PROFILE="$profile" OAUTHSIM_BIN="$bin" INTEROP_WORK="$work" INTEROP_NODE_MODULES="$cache/node_modules" \
    timeout -s TERM 140 node "${node_flags[@]}" "$here/openid_client.mjs" </dev/null > >(tee "$work/node.out") &
node_pid=$!
rc=0
wait "$node_pid" || rc=$?
node_pid=
sleep 0.2 # let tee drain
# Node prints the checks and the closing count itself; if it was killed or timed out, close the count here.
if [ "$rc" -eq 124 ] || ! tail -n 1 "$work/node.out" | grep -qE '^[0-9]+ passed, [0-9]+ failed$'; then
    if [ "$rc" -eq 124 ]; then echo "FAIL the openid-client test did not finish within 140 s"
    else echo "FAIL the openid-client test ended without its count (exit $rc)"; fi
    echo "$(grep -c '^ok ' "$work/node.out") passed, $(( $(grep -c '^FAIL ' "$work/node.out") + 1 )) failed"
    [ "$rc" -ne 0 ] || rc=1
fi
exit "$rc"
