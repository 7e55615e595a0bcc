#!/usr/bin/env bash
# oauthsim benchmark: figures, not a pass/fail test. See bench/README.md.
#
# One run, everything on 127.0.0.1, every step bounded in time; it stops by itself and leaves nothing running.
#   1. wrk: token endpoint, refresh grant (a) and GET /health (b) on the same oauthsim; ratio a/b
#   2. wrk: the peer (node-oidc-provider, client_credentials, opaque tokens); ratio oauthsim refresh / peer
#   3. oauthsim_flowclient: complete authorization-code flows, sequential, one keep-alive connection
#   4. flatness: the refresh grant as N consecutive wrk intervals, oauthsim's VmRSS before and after
# Prints a summary table and writes bench/results/latest.json.
#
# Knobs (environment): BENCH_QUICK=1 (smoke run, ~1-2 s per step), BENCH_DURATION, BENCH_WARMUP,
# BENCH_THREADS, BENCH_CONNECTIONS, BENCH_FLAT_INTERVALS, BENCH_FLAT_INTERVAL, BENCH_FLOW_DURATION,
# BENCH_FLOW_MAX, BENCH_FLOW_WARMUP, BENCH_QUIET_WAIT, BENCH_SKIP_PEER=1, BENCH_PIN=1, BENCH_BUILD=1, BENCH_OUT, OAUTHSIM_BIN,
# PEER_STORE=lru|map (the peer's token store: its default LRU of 1000 entries, or an unbounded Map).
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$bench_dir/.." && pwd)
cd "$root"

log() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- settings
quick=${BENCH_QUICK:-0}
if [ "$quick" = 1 ]; then d_dur=2; d_warm=1; d_flat_int=1; d_flow=1; d_quiet=0; else d_dur=10; d_warm=2; d_flat_int=10; d_flow=5; d_quiet=30; fi
duration=${BENCH_DURATION:-$d_dur}            # seconds per wrk measurement (whole seconds: wrk's unit)
warmup=${BENCH_WARMUP:-$d_warm}               # seconds of unreported wrk warm-up before each target (0 = none)
threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-50}
flat_intervals=${BENCH_FLAT_INTERVALS:-6}
flat_interval=${BENCH_FLAT_INTERVAL:-$d_flat_int}
flow_duration=${BENCH_FLOW_DURATION:-$d_flow}
flow_max=${BENCH_FLOW_MAX:-10000}
flow_warmup=${BENCH_FLOW_WARMUP:-50}
quiet_wait=${BENCH_QUIET_WAIT:-$d_quiet}     # seconds to wait for other programs to calm down before a measurement
skip_peer=${BENCH_SKIP_PEER:-0}
pin=${BENCH_PIN:-0}                           # 1: servers on CPU 0, wrk and the flow client on CPU 1
do_build=${BENCH_BUILD:-0}                    # 1: incremental build of oauthsim and the flow client first
out=${BENCH_OUT:-$bench_dir/results/latest.json}
bin=${OAUTHSIM_BIN:-$root/build/bin/oauthsim}
flowclient=${BENCH_FLOWCLIENT:-$(dirname "$bin")/oauthsim_flowclient}

for v in duration warmup threads connections flat_intervals flat_interval flow_duration flow_max flow_warmup quiet_wait; do
    [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number, got '${!v}'"
done
if [ "$duration" -lt 1 ] || [ "$flat_interval" -lt 1 ] || [ "$flow_duration" -lt 1 ]; then
    die "durations must be >= 1 s"
fi

# ---------------------------------------------------------------- tools
sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
command -v taskset >/dev/null || missing+=(util-linux)
if [ "$skip_peer" != 1 ] || ! command -v node >/dev/null; then
    command -v node >/dev/null || missing+=(nodejs)
    [ "$skip_peer" = 1 ] || command -v npm >/dev/null || missing+=(npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
    log "installing missing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get update -qq
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || log "warning: node $(node --version) is older than 20; the peer (oidc-provider 9) may not start"

if [ ! -x "$bin" ]; then
    [ -n "${OAUTHSIM_BIN:-}" ] && die "OAUTHSIM_BIN=$bin is not an executable"
    log "building oauthsim (scripts/setup.sh)"
    scripts/setup.sh runtime >&2
elif [ "$do_build" = 1 ]; then
    log "incremental build of oauthsim and oauthsim_flowclient"
    cmake --build build -j2 --target oauthsim oauthsim_flowclient >&2
fi
[ -x "$bin" ] || die "no oauthsim binary at $bin after the build"
if [ ! -x "$flowclient" ]; then
    log "building oauthsim_flowclient"
    # Re-run the configure step: a build tree configured before bench/CMakeLists.txt existed lacks the target.
    { cmake -S . -B build >/dev/null && cmake --build build -j2 --target oauthsim_flowclient; } >&2 || true
fi
if [ ! -x "$flowclient" ]; then # the main tree does not build: build the driver on its own
    log "building oauthsim_flowclient standalone (bench/CMakeLists.txt)"
    generator=(); command -v ninja >/dev/null && generator=(-G Ninja)
    cmake -S "$bench_dir" -B "$root/build-bench" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$root/build-bench" -j2 >&2
    flowclient=$root/build-bench/bin/oauthsim_flowclient
fi

if [ "$skip_peer" != 1 ] && [ ! -f "$bench_dir/peer/node_modules/oidc-provider/package.json" ]; then
    log "npm install of the peer (bench/peer)"
    if [ -f "$bench_dir/peer/package-lock.json" ]; then
        (cd "$bench_dir/peer" && npm ci --no-audit --no-fund --loglevel=error) >&2
    else
        (cd "$bench_dir/peer" && npm install --no-audit --no-fund --loglevel=error) >&2
    fi
fi

# ---------------------------------------------------------------- processes and cleanup
work=$(mktemp -d /tmp/oauthsim-bench.XXXXXX)
oauthsim_pid=""
peer_pid=""
stop_pid() { # pid: TERM, up to 5 s, then KILL
    local pid=$1 i
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    stop_pid "$oauthsim_pid"
    stop_pid "$peer_pid"
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pin_server=(); pin_client=()
if [ "$pin" = 1 ]; then pin_server=(taskset -c 0); pin_client=(taskset -c 1); fi

# wait_listening FILE PID PATTERN: the port from the "... listening on http://127.0.0.1:PORT" line.
wait_listening() {
    local file=$1 pid=$2 i port
    for i in $(seq 200); do
        port=$(sed -n 's#.* listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*#\1#p' "$file" | head -1)
        [ -n "$port" ] && { echo "$port"; return 0; }
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

clk_tck=$(getconf CLK_TCK 2>/dev/null || echo 100)
facts=$work/facts.txt # "key value" lines for summarize.mjs
fact() { printf '%s %s\n' "$1" "$2" >>"$facts"; }
: >"$facts"
fact machine.load_start "$(cut -d' ' -f1-3 /proc/loadavg)"
fact machine.clk_tck "$clk_tck"

# CPU accounting around each measurement, in clock ticks (USER_HZ): the server's own CPU time (so the cost per
# request can be read independently of how much CPU it got), the load generator's (this shell's reaped children:
# wrk, the flow client), and the whole machine's, so that what other programs used during the run shows.
server_pid="" # the server being measured
proc_ticks() { # utime + stime of PID (fields 14 and 15 of /proc/PID/stat; comm may contain spaces)
    local rest
    rest=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
    # shellcheck disable=SC2086 # split into fields on purpose
    set -- $rest
    echo $((${12} + ${13}))
}
machine_ticks() { awk '/^cpu / { busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6; exit }' /proc/stat; }
children_ticks() { # cumulative user+sys of this shell's reaped children; `times` must run in this shell
    times >"$work/times.txt"
    awk -v hz="$clk_tck" 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, a, "m"); sub("s", "", a[2]); t += a[1] * 60 + a[2] }
        printf "%d\n", t * hz + 0.5 }' "$work/times.txt"
}
cpu_begin() {
    cpu0_server=$(proc_ticks "$server_pid"); read -r cpu0_busy cpu0_total < <(machine_ticks)
    children_ticks >"$work/children0.txt"; cpu0_children=$(cat "$work/children0.txt")
}
cpu_end() { # LABEL: records LABEL.cpu "server_ticks client_ticks machine_busy_ticks machine_total_ticks"
    local s b t c
    s=$(proc_ticks "$server_pid"); read -r b t < <(machine_ticks)
    children_ticks >"$work/children1.txt"; c=$(cat "$work/children1.txt")
    fact "$1.cpu" "$((s - cpu0_server)) $((c - cpu0_children)) $((b - cpu0_busy)) $((t - cpu0_total))"
}

# wait_quiet: before a measurement, wait (at most $quiet_wait s) until other programs use less than a quarter of a
# core over a 1-s sample. The machine is shared; this keeps other people's builds out of the figures when it can.
wait_quiet() {
    [ "$quiet_wait" -gt 0 ] || return 0
    local start=$SECONDS b0 t0 b1 t1 others
    while :; do
        read -r b0 t0 < <(machine_ticks)
        sleep 1
        read -r b1 t1 < <(machine_ticks)
        # busy ticks of the whole machine in one second, in hundredths of a core (USER_HZ = 100 per CPU)
        others=$(( (b1 - b0) * 100 * $(nproc) / (t1 - t0 > 0 ? t1 - t0 : 1) ))
        if [ "$others" -lt 25 ]; then
            [ $((SECONDS - start)) -gt 1 ] && log "quiet after $((SECONDS - start)) s"
            return 0
        fi
        if [ $((SECONDS - start)) -ge "$quiet_wait" ]; then
            log "machine still busy (${others}% of a core used by other programs); measuring anyway"
            return 0
        fi
        [ $((SECONDS - start)) -le 1 ] && log "machine busy (${others}% of a core used by other programs); waiting up to ${quiet_wait} s"
    done
}

# run_wrk LABEL SCRIPT URL SECONDS: wrk's stdout goes to $work/LABEL.txt; status is wrk's.
run_wrk() {
    local label=$1 script=$2 url=$3 secs=$4 rc=0
    cpu_begin
    timeout -k 5 $((secs + 30)) "${pin_client[@]}" wrk -t"$threads" -c"$connections" -d"${secs}s" --timeout 5s \
        --latency -s "$script" "$url" >"$work/$label.txt" 2>&1 || rc=$?
    cpu_end "$label"
    return "$rc"
}
# warm_wrk LABEL SCRIPT URL: wait for a quiet machine, then an unreported warm-up run.
warm_wrk() { wait_quiet; if [ "$warmup" -gt 0 ]; then run_wrk "warmup-$1" "$2" "$3" "$warmup" || true; fi; }

# ---------------------------------------------------------------- oauthsim
cat >"$work/oauthsim-config.json" <<'EOF'
{"tokens": {"remember_approvals": false}}
EOF
log "starting oauthsim: $bin --headless --port 0 --config <remember_approvals=false>"
"${pin_server[@]}" "$bin" --headless --port 0 --data-dir "$work/data" --config "$work/oauthsim-config.json" >"$work/oauthsim.out" 2>/dev/null &
oauthsim_pid=$!
server_pid=$oauthsim_pid
port=$(wait_listening "$work/oauthsim.out" "$oauthsim_pid") ||
    die "oauthsim did not print 'oauthsim listening on http://127.0.0.1:PORT' within 20 s; stdout was: $(head -c 2000 "$work/oauthsim.out")"
base=http://127.0.0.1:$port
log "oauthsim pid $oauthsim_pid on $base"
fact oauthsim.rss_kb.start "$(rss_kb "$oauthsim_pid")"

# http_step NAME EXPECTED_STATUS CURL_ARGS...: one curl exchange of the scripted code flow; on an unexpected status
# it prints the request (curl's trace) and the response, then stops the run.
http_step() {
    local name=$1 expected=$2; shift 2
    local status
    status=$(curl -sS -m 10 -o "$work/$name.body" -D "$work/$name.head" -w '%{http_code}' \
        --trace-ascii "$work/$name.trace" "$@") || status="curl-failed"
    if [ "$status" != "$expected" ]; then
        {
            echo "bench: scripted code flow, step '$name': expected HTTP $expected, got $status"
            echo "--- request (curl trace, outgoing part) ---"
            sed -n '/^=> Send header/,/^<= Recv header/p' "$work/$name.trace" | grep -v '^<= Recv header' | head -60
            echo "--- response headers ---"; cat "$work/$name.head" 2>/dev/null
            echo "--- response body (first 2000 bytes) ---"; head -c 2000 "$work/$name.body" 2>/dev/null; echo
        } >&2
        exit 1
    fi
}
header_of() { grep -i "^$2:" "$work/$1.head" | tail -1 | cut -d' ' -f2- | tr -d '\r'; }
csrf_of() { grep -o '<input[^>]*name="_csrf"[^>]*>' "$work/$1.body" | head -1 | sed -n 's/.*value="\([^"]*\)".*/\1/p'; }
absolute() { case $1 in http://*|https://*) echo "$1" ;; /*) echo "$base$1" ;; *) echo "$base/$1" ;; esac; }

http_step health 200 "$base/health"
grep -q '"status" *: *"UP"' "$work/health.body" || die "GET /health: body is not {\"status\":\"UP\"}: $(head -c 300 "$work/health.body")"

log "scripted code flow with curl (to obtain a refresh token)"
jar=$work/cookies.txt
authorize_q='response_type=code&client_id=messaging-client&redirect_uri=http%3A%2F%2Flocalhost'
http_step flow1-authorize 302 -c "$jar" "$base/oauth/authorize?$authorize_q"
loc=$(header_of flow1-authorize location)
http_step flow2-login-page 200 -b "$jar" -c "$jar" "$(absolute "$loc")"
csrf=$(csrf_of flow2-login-page)
[ -n "$csrf" ] || die "GET /login: no hidden _csrf input in: $(head -c 1000 "$work/flow2-login-page.body")"
http_step flow3-login 302 -b "$jar" -c "$jar" --data-urlencode username=user --data-urlencode password=password \
    --data-urlencode "_csrf=$csrf" "$base/login"
loc=$(header_of flow3-login location)
http_step flow4-approval-page 200 -b "$jar" -c "$jar" "$(absolute "$loc")"
csrf=$(csrf_of flow4-approval-page)
[ -n "$csrf" ] || die "approval page: no hidden _csrf input in: $(head -c 1000 "$work/flow4-approval-page.body")"
http_step flow5-approve 303 -b "$jar" -c "$jar" -d user_oauth_approval=true -d scope.read=true -d scope.write=true \
    --data-urlencode "_csrf=$csrf" -d authorize=Authorize "$base/oauth/authorize"
loc=$(header_of flow5-approve location)
code=$(printf '%s' "$loc" | sed -n 's/^http:\/\/localhost?\(.*&\)\{0,1\}code=\([^&#]*\).*/\2/p')
[ -n "$code" ] || die "POST /oauth/authorize: Location has no code: '$loc'"
http_step flow6-token 200 -u messaging-client:secret -d grant_type=authorization_code --data-urlencode "code=$code" \
    --data-urlencode redirect_uri=http://localhost "$base/oauth/token"
refresh_token=$(sed -n 's/.*"refresh_token" *: *"\([^"]*\)".*/\1/p' "$work/flow6-token.body")
[ -n "$refresh_token" ] || die "token response has no refresh_token: $(head -c 500 "$work/flow6-token.body")"
http_step refresh-check 200 -u messaging-client:secret -d grant_type=refresh_token \
    --data-urlencode "refresh_token=$refresh_token" "$base/oauth/token"
grep -q '"access_token"' "$work/refresh-check.body" || die "refresh grant: no access_token in $(head -c 500 "$work/refresh-check.body")"
export REFRESH_TOKEN=$refresh_token CLIENT_ID=messaging-client CLIENT_SECRET=secret

log "wrk GET /health (${duration} s, -t$threads -c$connections)"
warm_wrk health "$bench_dir/wrk/health.lua" "$base"
run_wrk health "$bench_dir/wrk/health.lua" "$base" "$duration" || die "wrk failed: $(tail -5 "$work/health.txt")"

log "wrk POST /oauth/token refresh grant (${duration} s)"
warm_wrk refresh "$bench_dir/wrk/refresh.lua" "$base"
run_wrk refresh "$bench_dir/wrk/refresh.lua" "$base" "$duration" || die "wrk failed: $(tail -5 "$work/refresh.txt")"
fact oauthsim.rss_kb.after_refresh "$(rss_kb "$oauthsim_pid")"

log "code flows with oauthsim_flowclient (${flow_duration} s or $flow_max flows)"
flow_rc=0
wait_quiet
cpu_begin
timeout -k 5 $((flow_duration + 60)) "${pin_client[@]}" "$flowclient" --url "$base" --duration "$flow_duration" \
    --max-flows "$flow_max" --warmup-flows "$flow_warmup" >"$work/flows.json" 2>"$work/flows.err" || flow_rc=$?
if [ "$flow_rc" -ne 0 ]; then
    log "flow client failed (exit $flow_rc):"
    head -c 6000 "$work/flows.err" >&2
fi
cpu_end flows
fact flows.exit "$flow_rc"
fact oauthsim.rss_kb.after_flows "$(rss_kb "$oauthsim_pid")"

log "flatness: $flat_intervals x ${flat_interval} s of the refresh grant"
fact oauthsim.rss_kb.flat_before "$(rss_kb "$oauthsim_pid")"
wait_quiet
for i in $(seq "$flat_intervals"); do
    run_wrk "flat-$i" "$bench_dir/wrk/refresh.lua" "$base" "$flat_interval" || die "wrk failed: $(tail -5 "$work/flat-$i.txt")"
    fact "oauthsim.rss_kb.flat_$i" "$(rss_kb "$oauthsim_pid")"
done
fact oauthsim.rss_kb.flat_after "$(rss_kb "$oauthsim_pid")"
kill -0 "$oauthsim_pid" 2>/dev/null || die "oauthsim exited during the run"
stop_pid "$oauthsim_pid"; oauthsim_pid=""

# ---------------------------------------------------------------- peer
if [ "$skip_peer" != 1 ]; then
    log "starting the peer (node-oidc-provider, NODE_ENV=production)"
    (cd "$bench_dir/peer" && exec env -u DEBUG NODE_ENV=production "${pin_server[@]}" node server.mjs) \
        >"$work/peer.out" 2>"$work/peer.err" &
    peer_pid=$!
    server_pid=$peer_pid
    peer_port=$(wait_listening "$work/peer.out" "$peer_pid") ||
        die "the peer did not start: $(head -c 2000 "$work/peer.err")"
    peer_base=http://127.0.0.1:$peer_port
    http_step peer-check 200 -u bench-client:bench-secret -d grant_type=client_credentials \
        --data-urlencode 'scope=read write' "$peer_base/token"
    grep -q '"access_token"' "$work/peer-check.body" || die "peer: no access_token in $(head -c 500 "$work/peer-check.body")"
    log "wrk POST /token client_credentials on the peer (${duration} s)"
    warm_wrk peer "$bench_dir/wrk/client_credentials.lua" "$peer_base"
    run_wrk peer "$bench_dir/wrk/client_credentials.lua" "$peer_base" "$duration" || die "wrk failed: $(tail -5 "$work/peer.txt")"
    fact peer.rss_kb.end "$(rss_kb "$peer_pid")"
    stop_pid "$peer_pid"; peer_pid=""
    fact peer.store "${PEER_STORE:-lru}"
    fact peer.version "$(node -p 'require("./bench/peer/node_modules/oidc-provider/package.json").version')"
fi

# ---------------------------------------------------------------- summary
mkdir -p "$(dirname "$out")"
BENCH_SETTINGS=$(printf '{"quick":%s,"duration_s":%s,"warmup_s":%s,"threads":%s,"connections":%s,"flat_intervals":%s,"flat_interval_s":%s,"flow_duration_s":%s,"flow_max":%s,"flow_warmup":%s,"pinned":%s,"peer":%s}' \
    "$([ "$quick" = 1 ] && echo true || echo false)" "$duration" "$warmup" "$threads" "$connections" "$flat_intervals" \
    "$flat_interval" "$flow_duration" "$flow_max" "$flow_warmup" "$([ "$pin" = 1 ] && echo true || echo false)" \
    "$([ "$skip_peer" = 1 ] && echo false || echo true)") \
BENCH_GIT=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo none)$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo "+dirty") \
BENCH_WRK_VERSION=$(wrk -v 2>&1 | head -1 | awk '{print $2}') \
    node "$bench_dir/summarize.mjs" "$work" "$out"
