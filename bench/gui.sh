#!/usr/bin/env bash
# The window under load: with the window open under Xvfb and the Requests tab visible, wrk drives the token
# endpoint (refresh grant) at full speed; the same is run headless in the same run for the ratio.
# Reports requests/s (GUI and headless), the worst stall of the GUI event loop (a 20 ms heartbeat timer's worst
# lateness; target under 100 ms) and the resident memory before and after (bounded by the row cap).
# Usage: bench/gui.sh            (BENCH_GUI_DURATION=30 seconds per wrk run, BENCH_CONNECTIONS=50)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${BENCH_GUI_DURATION:-30}
connections=${BENCH_CONNECTIONS:-50}
bin=${OAUTHSIM_BIN:-build/bin/oauthsim}

missing=()
for p in wrk xvfb xauth python3; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ -x "$bin" ] || scripts/setup.sh runtime

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

wait_base() { # FILE -> the base URL from oauthsim's listening line
    for _ in $(seq 200); do
        local base; base=$(sed -n 's/^oauthsim listening on //p' "$1" 2>/dev/null)
        [ -n "$base" ] && { echo "$base"; return 0; }
        sleep 0.05
    done
    echo "oauthsim did not start" >&2; return 1
}
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
drive() { # BASE LABEL -> requests/s
    local token; token=$(python3 bench/lib/oauthflow.py token "$1")
    REFRESH_TOKEN=$token wrk -t2 -c"$connections" -d"${duration}s" -s bench/wrk/refresh.lua "$1" >"$work/$2.wrk" 2>&1
    awk '/^Requests\/sec:/ {print $2}' "$work/$2.wrk"
}

# Headless, same machine, same run.
"$bin" --headless --port 0 --data-dir "$work/data-headless" >"$work/headless.out" 2>/dev/null &
pids+=($!); headless_pid=$!
base=$(wait_base "$work/headless.out")
headless_rate=$(drive "$base" headless)
kill -TERM "$headless_pid"; wait "$headless_pid" || true

# The window, on a private X server, with fresh settings (the Requests tab is the first tab).
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" 2>/dev/null &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.05; done
export DISPLAY=":$(cat "$work/display")"
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_RUNTIME_DIR="$work/run"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
OAUTHSIM_EVENT_LOOP_REPORT="$work/loop.json" "$bin" --port 0 --data-dir "$work/data-gui" >"$work/gui.out" 2>/dev/null &
pids+=($!); gui_pid=$!
base=$(wait_base "$work/gui.out")
sleep 1 # let the window map and settle before the "before" figure
rss_before=$(rss_kb "$gui_pid")
gui_rate=$(drive "$base" gui)
rss_after=$(rss_kb "$gui_pid")
kill -TERM "$gui_pid"; wait "$gui_pid" || true
[ -s "$work/loop.json" ] || { echo "no event-loop report was written" >&2; exit 1; }

python3 - "$headless_rate" "$gui_rate" "$rss_before" "$rss_after" "$work/loop.json" "$duration" "$connections" <<'PY'
import json, sys
headless, gui, before, after = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
loop = json.load(open(sys.argv[5]))
print(f"refresh grant, wrk -t2 -c{sys.argv[7]} -d{sys.argv[6]}s, window open on the Requests tab under Xvfb")
print(f"  headless        {headless:>10,.0f} req/s")
print(f"  with window     {gui:>10,.0f} req/s   ratio {gui / headless:.2f}")
print(f"  GUI event loop  worst stall {loop['worst_lateness_ms']} ms, p99 {loop['p99_lateness_ms']} ms, "
      f"{loop['late_over_100ms']} ticks over 100 ms of {loop['ticks']} (20 ms timer)")
print(f"  resident memory {before / 1024:.1f} MiB before, {after / 1024:.1f} MiB after")
PY
