# What the interop tests (tests/interop/*.sh) share; sourced by them, never run on its own. CMakeLists.txt globs
# tests/interop/*.sh only, so nothing in lib/ becomes a test. The callers run with `set -euo pipefail`.
#
#   interop_init "$@"             bin (absolute), here (tests/interop), work (a temporary folder, removed on exit) and
#                                 the cleanup trap: oauthsim and Chromium are killed even when node dies
#   interop_install_playwright N  what the Chromium tests install: apt chromium, nodejs/npm, npm playwright-core into
#                                 the npm folder N; then the "install: ..." line
#   interop_need_node, interop_cache N, interop_npm_install PKG VERSION PROJECT, interop_install_done TEXT
#                                 the same pieces one by one (openid_client.sh)
#   interop_run_node WHAT [NAME=VALUE...] node ARG...
#                                 the test proper, bounded; closes the count when node does not; exits with its status
#   interop_start_oauthsim ARG... oauthsim started from bash (base, server_pid), for the tests that are not node
#   interop_fail TEXT             "FAIL TEXT" and "0 passed, 1 failed", exit 1: what fails before any check
# shellcheck shell=bash disable=SC2034 # bin, here, cache, base ...: set here for the scripts that source this

interop_init() {
    bin=${1:?usage: ${0##*/} OAUTHSIM_BINARY}
    [ -x "$bin" ] || { echo "not an executable: $bin"; exit 1; }
    bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
    here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    work=$(mktemp -d)
    node_pid=
    server_pid=
    trap interop_cleanup EXIT
    trap 'exit 130' INT TERM HUP
    t_install=$(interop_now)
}

# shellcheck disable=SC2317 # called by the trap
interop_cleanup() {
    local pid f
    # node (timeout passes the TERM on to it) and a server started from bash: asked to stop, killed after 5 s.
    for pid in "$node_pid" "$server_pid"; do
        if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then continue; fi
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    done
    # What node started, should it have died before stopping it: oauthsim, and Chromium's process group.
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

interop_fail() { echo "FAIL $*"; echo "0 passed, 1 failed"; exit 1; }

interop_now() { date +%s.%N; }
interop_elapsed() { awk -v a="$1" -v b="$(interop_now)" 'BEGIN { printf "%.1f", b - a }'; }

# ---- install (bounded: the ctest timeout is 180 s, so each step gets its own limit) ----
interop_installed() { [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]; }
interop_apt_install() {
    [ "$(id -u)" = 0 ] || interop_fail "install: need root to apt-get install $*"
    export DEBIAN_FRONTEND=noninteractive
    # Seen here: 7.7 s for chromium and its libraries (113 MB) with this install and the npm one together.
    local apt=(timeout 100 apt-get -y -q -o DPkg::Lock::Timeout=60 --no-install-recommends install "$@")
    if ! "${apt[@]}" >"$work/apt.log" 2>&1; then # stale package lists: update once, try again
        timeout 60 apt-get -q -o DPkg::Lock::Timeout=30 update >>"$work/apt.log" 2>&1 || true
        "${apt[@]}" >>"$work/apt.log" 2>&1 || { tail -n 20 "$work/apt.log"; interop_fail "install: apt-get install $*"; }
    fi
}

interop_need_chromium() {
    if ! interop_installed chromium || [ ! -x /usr/bin/chromium ]; then
        echo "installing Debian chromium"
        interop_apt_install chromium
    fi
}

# Sets node_major.
interop_need_node() {
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        # NodeSource's nodejs ships npm itself and conflicts with Debian's npm: install only what is missing.
        local missing=(); command -v node >/dev/null || missing+=(nodejs); command -v npm >/dev/null || missing+=(npm)
        echo "installing Debian ${missing[*]}"
        interop_apt_install "${missing[@]}"
    fi
    node_major=$(node -p 'process.versions.node.split(".")[0]')
}

# interop_cache NAME sets cache. build/bin/oauthsim -> build/interop-node/NAME: beside the build, never in the source
# tree, and a folder of its own per test so that other interop tests installing npm packages next to it (ctest -j2)
# cannot prune or race it.
interop_cache() { cache=$(cd "$(dirname "$bin")/.." && pwd)/interop-node/$1; }

# interop_npm_install PACKAGE VERSION PROJECT: npm PACKAGE@VERSION into $cache unless that version is there already;
# PROJECT names the folder's package.json.
interop_npm_install() {
    local pkg=$1 version=$2 project=$3 have
    have=$(node -p "try { require('$cache/node_modules/$pkg/package.json').version } catch { '' }" 2>/dev/null || true)
    [ "$have" != "$version" ] || return 0
    echo "installing $pkg@$version into $cache"
    mkdir -p "$cache"
    [ -f "$cache/package.json" ] || echo "{\"name\":\"$project\",\"private\":true}" >"$cache/package.json"
    # flock: two runs of this test at once must not install into the same folder together. Never a downloaded browser.
    (cd "$cache" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 flock -w 100 "$cache/.install.lock" \
        timeout 100 npm install --no-audit --no-fund --no-update-notifier --save-exact "$pkg@$version") \
        >"$work/npm.log" 2>&1 \
        || { tail -n 20 "$work/npm.log"; interop_fail "install: npm install $pkg@$version"; }
}

interop_install_done() { echo "install: $(interop_elapsed "$t_install") s ($1)"; }

# interop_install_playwright NAME: Debian's chromium (and nodejs/npm), npm playwright-core into the npm folder NAME.
interop_install_playwright() {
    interop_cache "$1"
    interop_need_chromium
    interop_need_node
    local pw_version
    # 1.64.1 is the release checked against Debian's Chromium 156; it needs Node >= 20 (Debian 12's own nodejs is 18).
    if [ "$node_major" -ge 20 ]; then pw_version=1.64.1; else pw_version=1.55.0; fi
    interop_npm_install playwright-core "$pw_version" oauthsim-interop-chromium
    interop_install_done "chromium $(dpkg-query -W -f='${Version}' chromium), node $(node --version), playwright-core $pw_version"
    # Playwright makes its own fresh --user-data-dir under TMPDIR: the tests run node with TMPDIR=$work/tmp so that
    # it goes with $work.
    mkdir -p "$work/tmp"
}

# ---- the test ----
# interop_run_node WHAT [NAME=VALUE...] node ARG...: an env(1) command line, run with OAUTHSIM_BIN, INTEROP_WORK and
# INTEROP_NODE_MODULES set, for at most 140 s, its output teed to $work/node.out. The .mjs prints its own run time and
# the closing count; if node was killed or timed out, the count is closed here ("FAIL WHAT ..."). Exits with node's
# status (1 when it exited 0 without its count).
interop_run_node() {
    local what=$1 rc=0
    shift
    OAUTHSIM_BIN="$bin" INTEROP_WORK="$work" INTEROP_NODE_MODULES="$cache/node_modules" \
        timeout -s TERM 140 env "$@" </dev/null > >(tee "$work/node.out") &
    node_pid=$!
    wait "$node_pid" || rc=$?
    node_pid=
    sleep 0.2 # let tee drain
    if [ "$rc" -eq 124 ] || ! tail -n 1 "$work/node.out" | grep -qE '^[0-9]+ passed, [0-9]+ failed$'; then
        if [ "$rc" -eq 124 ]; then echo "FAIL $what did not finish within 140 s"
        else echo "FAIL $what ended without its count (exit $rc)"; fi
        echo "$(grep -c '^ok ' "$work/node.out") passed, $(( $(grep -c '^FAIL ' "$work/node.out") + 1 )) failed"
        [ "$rc" -ne 0 ] || rc=1
    fi
    exit "$rc"
}

# interop_start_oauthsim ARG...: oauthsim --headless on port 0 with its data in $work and the ARGs after; waits at most
# 10 s for "oauthsim listening on URL", sets base (the URL) and server_pid (stopped by the cleanup). Its output is in
# $work/stdout and $work/stderr.
interop_start_oauthsim() {
    "$bin" --headless --port 0 --data-dir "$work/data" "$@" >"$work/stdout" 2>"$work/stderr" &
    server_pid=$!
    for _ in $(seq 200); do
        grep -q '^oauthsim listening on ' "$work/stdout" 2>/dev/null && break
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.05
    done
    base=$(sed -n 's/^oauthsim listening on //p' "$work/stdout" | head -n1 | tr -d '\r')
    if [ -z "$base" ]; then
        echo "FAIL server did not start"; sed 's/^/     /' "$work/stdout" "$work/stderr"; echo "0 passed, 1 failed"; exit 1
    fi
    echo "server at $base"
}
