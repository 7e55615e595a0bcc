#!/usr/bin/env bash
# Instructions per request, counted by valgrind's callgrind: repeatable on a noisy, shared machine (it counts
# instructions, not seconds). Runs oauthsim under callgrind three times (no requests, N x GET /health, N x the
# refresh grant on one keep-alive connection) and prints the per-request cost and how much of it is
# QtHttpServer's own request parsing (before oauthsim's HttpFrontend sees the request).
# Usage: bench/instructions.sh [N=2000]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
bin=${OAUTHSIM_BIN:-build/bin/oauthsim}
command -v valgrind >/dev/null || { apt-get install -y -qq valgrind >/dev/null; }
command -v callgrind_annotate >/dev/null || { echo "callgrind_annotate missing" >&2; exit 1; }
[ -x "$bin" ] || scripts/setup.sh runtime
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A data directory whose signing key already exists: a first start generates an RSA key, whose prime search costs
# a different, large number of instructions each time and would drown the per-request difference. Made natively once,
# copied for every measured run.
"$bin" --headless --port 0 --data-dir "$work/seed" >"$work/seed.log" 2>&1 &
seed_pid=$!
for _ in $(seq 100); do grep -q '^oauthsim listening on ' "$work/seed.log" && break; sleep 0.1; done
kill -INT "$seed_pid"; wait "$seed_pid" || true
measure() { # measure MODE -> prints "total handle" instruction counts
    local mode=$1 out="$work/cg.$1" log="$work/stdout.$1"
    cp -a "$work/seed" "$work/data.$mode"
    valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" --headless --port 0 --data-dir "$work/data.$mode" >"$log" 2>/dev/null &
    local pid=$! base=
    for _ in $(seq 200); do base=$(sed -n 's/^oauthsim listening on //p' "$log"); [ -n "$base" ] && break; sleep 0.1; done
    [ -n "$base" ] || { echo "oauthsim did not start under valgrind" >&2; exit 1; }
    [ "$mode" = none ] || python3 bench/lib/oauthflow.py loop "$mode" "$base" "$n"
    kill -INT "$pid"; wait "$pid" || true
    local total handle
    total=$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
    handle=$(callgrind_annotate --inclusive=yes "$out" 2>/dev/null |
        awk '!found && /HttpFrontend\.cpp:oauthsim::\(anonymous namespace\)::Server::handleRequest\(/ {gsub(",", "", $1); print $1; found = 1}')
    echo "$total ${handle:-0}"
}

read -r base_total _ < <(measure none)
read -r health_total health_handle < <(measure health)
read -r refresh_total refresh_handle < <(measure refresh)
python3 - "$n" "$base_total" "$health_total" "$health_handle" "$refresh_total" "$refresh_handle" <<'PY'
import sys
n, base, ht, hh, rt, rh = (int(x) for x in sys.argv[1:])
# The refresh run also holds one scripted code flow (6 requests): negligible against n.
h, r = (ht - base) / n, (rt - base) / n
print(f"requests per run: {n}")
print(f"{'':24}{'instructions':>14}{'in oauthsim':>14}{'HTTP parsing etc.':>20}")
print(f"{'GET /health':24}{h:>14,.0f}{hh / n:>14,.0f}{h - hh / n:>20,.0f}")
print(f"{'POST /oauth/token (refresh)':24}{r:>14,.0f}{rh / n:>14,.0f}{r - rh / n:>20,.0f}")
print(f"instruction ratio health/refresh: {h / r:.2f}")
PY
