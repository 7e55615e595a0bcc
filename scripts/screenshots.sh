#!/usr/bin/env bash
# Starts oauthsim's window under Xvfb, runs a scripted code flow (and a refresh) against it, and saves a
# screenshot of each main view to docs/screenshots/.
# Usage: scripts/screenshots.sh [OUTPUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/screenshots}
bin=${OAUTHSIM_BIN:-build/bin/oauthsim}
missing=()
for p in xvfb xauth imagemagick fonts-dejavu-core curl python3; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ -x "$bin" ] || scripts/setup.sh runtime
mkdir -p "$out"

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" 2>/dev/null &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.05; done
export DISPLAY=":$(cat "$work/display")"
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_RUNTIME_DIR="$work/run"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"

# One start per view: the window reopens on the tab saved in its settings (no window manager is needed to
# switch tabs, and every picture shows a window that just served the seed's flow).
views=(requests flow clients users codes tokens settings)
for i in "${!views[@]}"; do
    mkdir -p "$XDG_CONFIG_HOME/oauthsim"
    printf '[window]\ntab=%d\n' "$i" >"$XDG_CONFIG_HOME/oauthsim/oauthsim.conf"
    "$bin" --port 0 --data-dir "$work/data-$i" >"$work/stdout" 2>/dev/null &
    app=$!
    base=
    for _ in $(seq 200); do base=$(sed -n 's/^oauthsim listening on //p' "$work/stdout"); [ -n "$base" ] && break; sleep 0.05; done
    [ -n "$base" ] || { echo "oauthsim did not start" >&2; exit 1; }
    # The seed's flow, steps 1-8.
    refresh=$(python3 bench/lib/oauthflow.py token "$base")
    curl -s -o /dev/null -u messaging-client:secret -d "grant_type=refresh_token&refresh_token=$refresh" "$base/oauth/token"
    sleep 1.5 # batched views update within 100 ms; give the window time to paint
    import -window root -crop 1200x760+0+0 "$out/${views[$i]}.png"
    echo "saved $out/${views[$i]}.png"
    kill -TERM "$app"; wait "$app" || true
done
