#!/usr/bin/env bash
# The spring-authorization-server profile's consent page in a real browser: Debian's Chromium, driven by
# playwright-core, opens /oauth2/authorize (openid read write, PKCE S256), signs in on oauthsim's login form, ticks
# one scope checkbox of the consent page and follows the 302 to a redirect URI this test listens on; Node's fetch then
# exchanges the code at /oauth2/token. A second authorization ends with "Cancel" (access_denied). See
# chromium_consent.mjs for the checks.
# Usage: chromium_consent.sh path/to/oauthsim
# Installs what it needs when missing (CI runs as root on a fresh Debian 12): apt `chromium` (and `nodejs`/`npm`),
# and npm `playwright-core` into a cache beside the build tree (never the source tree; never a downloaded browser).
set -euo pipefail
bin=${1:?usage: chromium_consent.sh OAUTHSIM_BINARY}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
[ -x "$bin" ] || { echo "not an executable: $bin"; exit 1; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# build/bin/oauthsim -> build/interop-node/chromium_consent: beside the build, never in the source tree, and a folder
# of its own so that other interop tests installing npm packages next to it (ctest -j2) cannot prune or race it.
cache=$(cd "$(dirname "$bin")/.." && pwd)/interop-node/chromium_consent

work=$(mktemp -d)
node_pid=
# shellcheck disable=SC2317 # called by the trap
cleanup() {
    if [ -n "$node_pid" ] && kill -0 "$node_pid" 2>/dev/null; then
        kill -TERM "$node_pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$node_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$node_pid" 2>/dev/null || true
    fi
    # What node started, should it have died before stopping it: oauthsim, and Chromium's process group.
    local pid
    for f in "$work/oauthsim.pid" "$work/chromium.pid"; do
        [ -s "$f" ] || continue
        pid=$(cat "$f")
        kill -0 "$pid" 2>/dev/null || continue
        if [ "$f" = "$work/chromium.pid" ]; then kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
        else kill -KILL "$pid" 2>/dev/null || true; fi
    done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ---- install (bounded: the ctest timeout is 180 s, so each step gets its own limit) ----
t_install=$(now)
installed() { [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]; }
apt_install() {
    [ "$(id -u)" = 0 ] || { echo "FAIL install: need root to apt-get install $*"; echo "0 passed, 1 failed"; exit 1; }
    export DEBIAN_FRONTEND=noninteractive
    # Seen here: 7.7 s for chromium and its libraries (113 MB) with this install and the npm one together.
    local apt=(timeout 100 apt-get -y -q -o DPkg::Lock::Timeout=60 --no-install-recommends install "$@")
    if ! "${apt[@]}" >"$work/apt.log" 2>&1; then # stale package lists: update once, try again
        timeout 60 apt-get -q -o DPkg::Lock::Timeout=30 update >>"$work/apt.log" 2>&1 || true
        "${apt[@]}" >>"$work/apt.log" 2>&1 || { tail -n 20 "$work/apt.log"; echo "FAIL install: apt-get install $*"; echo "0 passed, 1 failed"; exit 1; }
    fi
}
if ! installed chromium || [ ! -x /usr/bin/chromium ]; then
    echo "installing Debian chromium"
    apt_install chromium
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    # NodeSource's nodejs ships npm itself and conflicts with Debian's npm: install only what is missing.
    missing=(); command -v node >/dev/null || missing+=(nodejs); command -v npm >/dev/null || missing+=(npm)
    echo "installing Debian ${missing[*]}"
    apt_install "${missing[@]}"
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
# 1.64.1 is the release checked against Debian's Chromium 156; it needs Node >= 20 (Debian 12's own nodejs is 18).
if [ "$node_major" -ge 20 ]; then pw_version=1.64.1; else pw_version=1.55.0; fi
have=$(node -p "try { require('$cache/node_modules/playwright-core/package.json').version } catch { '' }" 2>/dev/null || true)
if [ "$have" != "$pw_version" ]; then
    echo "installing playwright-core@$pw_version into $cache"
    mkdir -p "$cache"
    [ -f "$cache/package.json" ] || echo '{"name":"oauthsim-interop-chromium","private":true}' >"$cache/package.json"
    # flock: two runs of this test at once must not install into the same folder together.
    (cd "$cache" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 flock -w 100 "$cache/.install.lock" \
        timeout 100 npm install --no-audit --no-fund --no-update-notifier --save-exact "playwright-core@$pw_version") \
        >"$work/npm.log" 2>&1 \
        || { tail -n 20 "$work/npm.log"; echo "FAIL install: npm install playwright-core@$pw_version"; echo "0 passed, 1 failed"; exit 1; }
fi
echo "install: $(elapsed "$t_install") s (chromium $(dpkg-query -W -f='${Version}' chromium), node $(node --version), playwright-core $pw_version)"

# ---- the test (chromium_consent.mjs prints its own run time, then the count) ----
# Playwright makes its own fresh --user-data-dir under TMPDIR: keep it in $work so it goes with it.
mkdir -p "$work/tmp"
TMPDIR="$work/tmp" OAUTHSIM_BIN="$bin" INTEROP_WORK="$work" INTEROP_NODE_MODULES="$cache/node_modules" \
    timeout -s TERM 140 node "$here/chromium_consent.mjs" </dev/null > >(tee "$work/node.out") &
node_pid=$!
rc=0
wait "$node_pid" || rc=$?
node_pid=
sleep 0.2 # let tee drain
# Node prints the checks and the closing count itself; if it was killed or timed out, close the count here.
if [ "$rc" -eq 124 ] || ! tail -n 1 "$work/node.out" | grep -qE '^[0-9]+ passed, [0-9]+ failed$'; then
    if [ "$rc" -eq 124 ]; then echo "FAIL the browser test did not finish within 140 s"
    else echo "FAIL the browser test ended without its count (exit $rc)"; fi
    echo "$(grep -c '^ok ' "$work/node.out") passed, $(( $(grep -c '^FAIL ' "$work/node.out") + 1 )) failed"
    [ "$rc" -ne 0 ] || rc=1
fi
exit "$rc"
