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

measure() { # measure MODE -> prints "total handle" instruction counts
    local mode=$1 out="$work/cg.$1" log="$work/stdout.$1"
    valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" --headless --port 0 >"$log" 2>/dev/null &
    local pid=$! base=
    for _ in $(seq 200); do base=$(sed -n 's/^oauthsim listening on //p' "$log"); [ -n "$base" ] && break; sleep 0.1; done
    [ -n "$base" ] || { echo "oauthsim did not start under valgrind" >&2; exit 1; }
    python3 - "$mode" "$base" "$n" <<'PY'
import base64, json, re, socket, sys, urllib.parse
mode, base, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
host, port = re.match(r"http://([^:]+):(\d+)", base).groups()
sock = socket.create_connection((host, int(port)))

def exchange(raw):
    sock.sendall(raw)
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(re.search(rb"(?im)^content-length: *(\d+)", head).group(1))
    while len(body) < length:
        body += sock.recv(65536)
    return head.decode("latin-1"), body

def request(method, path, body=b"", headers=()):
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}"] + list(headers)
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return exchange(("\r\n".join(lines) + "\r\n\r\n").encode() + body)

def cookie(head):
    return re.search(r"(?im)^set-cookie: *JSESSIONID=([^;]+)", head).group(1)

form = ("Content-Type: application/x-www-form-urlencoded",)
if mode == "refresh":
    authorize = "/oauth/authorize?response_type=code&client_id=messaging-client&redirect_uri=http://localhost"
    head, _ = request("GET", authorize)
    sid = cookie(head)
    _, page = request("GET", "/login", headers=(f"Cookie: JSESSIONID={sid}",))
    csrf = re.search(rb'name="_csrf" type="hidden" value="([^"]+)"', page).group(1).decode()
    head, _ = request("POST", "/login", f"username=user&password=password&_csrf={csrf}".encode(),
                      form + (f"Cookie: JSESSIONID={sid}",))
    sid = cookie(head)
    _, page = request("GET", authorize, headers=(f"Cookie: JSESSIONID={sid}",))
    csrf = re.search(rb'name="_csrf" value="([^"]+)"', page).group(1).decode()
    head, _ = request("POST", "/oauth/authorize",
                      f"user_oauth_approval=true&scope.read=true&scope.write=true&_csrf={csrf}".encode(),
                      form + (f"Cookie: JSESSIONID={sid}",))
    code = re.search(r"code=([^&\s]+)", head).group(1)
    basic = "Authorization: Basic " + base64.b64encode(b"messaging-client:secret").decode()
    _, body = request("POST", "/oauth/token",
                      f"grant_type=authorization_code&code={code}&redirect_uri=http://localhost".encode(), form + (basic,))
    refresh = json.loads(body)["refresh_token"]
    body = f"grant_type=refresh_token&refresh_token={urllib.parse.quote(refresh)}".encode()
    for _ in range(n):
        head, _ = request("POST", "/oauth/token", body, form + ("Accept: application/json", basic))
        assert head.startswith("HTTP/1.1 200"), head
elif mode == "health":
    for _ in range(n):
        head, _ = request("GET", "/health", headers=("Accept: application/json",))
        assert head.startswith("HTTP/1.1 200"), head
PY
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
