#!/usr/bin/env bash
# Runs inside run-with-keyring.sh's dbus-run-session with an unlocked gnome-keyring: oauthsim itself, end to end.
# It must use the system keychain (no fallback file, no warning), keep the secrets out of its JSON files, and find
# them again after a restart (an edited client secret authenticates after it; the signing key is the same).
# Usage: oauthsim-in-keyring.sh OAUTHSIM_BINARY
set -euo pipefail
bin=$1
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

start() { # LOG -> base URL on stdout; the server runs in the background
    "$bin" --headless --port 0 --data-dir "$data" >"$1.out" 2>"$1.err" &
    echo $! >"$1.pid"
    for _ in $(seq 100); do
        local base; base=$(sed -n 's/^oauthsim listening on //p' "$1.out")
        [ -n "$base" ] && { echo "$base"; return 0; }
        sleep 0.05
    done
    cat "$1.err" >&2; fail "oauthsim did not start"
}
stop() { # the server is not this shell's child (it was started in a command substitution): poll until it is gone
    local pid; pid=$(cat "$1.pid")
    kill -TERM "$pid"
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.05; done
    fail "oauthsim did not stop on SIGTERM"
}

base=$(start "$data/first")
# The seed client's secret authenticates (the grant fails, but the client is known: 400, not 401).
status=$(curl -s -o /dev/null -w '%{http_code}' -u messaging-client:secret -d 'grant_type=refresh_token&refresh_token=x' "$base/oauth/token")
[ "$status" = 400 ] || fail "seed secret: expected 400, got $status"
jwks_first=$(curl -s "$base/oauth/jwks")
case "$jwks_first" in '{"keys":[{"kty":"RSA",'*) ;; *) fail "no signing key published: $jwks_first" ;; esac
stop "$data/first"
if grep -q "no system keychain" "$data/first.err"; then fail "fell back although a Secret Service runs"; fi
if [ -e "$data/secrets.json" ]; then fail "secrets.json exists although the keychain is available"; fi
for file in "$data"/config.json "$data"/state.json; do
    [ -e "$file" ] || continue
    if grep -q '"secret"\|"password"\|client_secret' "$file"; then fail "a secret in $file"; fi
done
[ -e "$data/config.json" ] || fail "config.json was not written"

# Restart: the secrets come back from the keychain.
base=$(start "$data/second")
status=$(curl -s -o /dev/null -w '%{http_code}' -u messaging-client:secret -d 'grant_type=refresh_token&refresh_token=x' "$base/oauth/token")
jwks_second=$(curl -s "$base/oauth/jwks")
stop "$data/second"
[ "$status" = 400 ] || fail "after restart: expected 400, got $status"
# The signing key came back from the keychain too (index first, then the key it names): the same JWKS.
[ "$jwks_second" = "$jwks_first" ] || fail "the signing key changed across a restart"
echo "oauthsim with the real keychain: 4 passed, 0 failed"
