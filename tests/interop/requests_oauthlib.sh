#!/usr/bin/env bash
# Python's requests-oauthlib (Debian python3-requests-oauthlib) against the real binary: the authorization-code
# flow with the seed client (browser part driven with requests), refresh, client_credentials with a second client,
# and a wrong client secret. The checks are in requests_oauthlib.py next to this file.
# Usage: requests_oauthlib.sh path/to/oauthsim
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/interop.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/interop.sh"
interop_init "$@"

# --- requests-oauthlib from Debian (PyPI is not reachable here) -----------------------------------------------
pkg=python3-requests-oauthlib
installed() { dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed'; }
if ! installed; then
    echo "installing $pkg with apt-get"
    if [ "$(id -u)" -eq 0 ]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo -n); else
        echo "FAIL $pkg is missing and this is not root (apt-get install -y $pkg)"; echo "0 passed, 1 failed"; exit 1
    fi
    apt_get() { timeout 150 "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 -q -y "$@"; }
    # A fresh system may have no package lists yet: update once if the first attempt fails.
    apt_get install --no-install-recommends "$pkg" >"$work/apt.log" 2>&1 ||
        { apt_get update >>"$work/apt.log" 2>&1 && apt_get install --no-install-recommends "$pkg" >>"$work/apt.log" 2>&1; } ||
        { echo "FAIL apt-get install $pkg"; tail -n 20 "$work/apt.log" | sed 's/^/     /'; echo "0 passed, 1 failed"; exit 1; }
fi
# The Debian package installs into the system interpreter's dist-packages; a python3 earlier in PATH
# (pyenv, a venv) does not see it. Prefer /usr/bin/python3, then whatever python3 can import the module.
py=
for candidate in /usr/bin/python3 "$(command -v python3 || true)"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    if timeout 30 "$candidate" -c 'import requests_oauthlib, oauthlib, requests' 2>/dev/null; then py=$candidate; break; fi
done
if [ -z "$py" ]; then
    echo "FAIL no python3 can import requests_oauthlib after installing $pkg"
    timeout 30 /usr/bin/python3 -c 'import requests_oauthlib' 2>&1 | tail -n 3 | sed 's/^/     /' || true
    echo "0 passed, 1 failed"; exit 1
fi
echo "python: $py"

# --- the server: the seed client plus a client_credentials client -------------------------------------------
# `clients` replaces the whole default list, so the seed client is listed again (docs/configuration.md).
cat >"$work/config.json" <<'JSON'
{
  "schema_version": 1,
  "clients": [
    {
      "client_id": "messaging-client",
      "client_secret": "secret",
      "redirect_uris": ["http://localhost"],
      "scopes": ["read", "write"],
      "grant_types": ["authorization_code", "refresh_token"]
    },
    {
      "client_id": "backend",
      "client_secret": "backend-secret",
      "grant_types": ["client_credentials"],
      "scopes": ["read"],
      "redirect_uris": ["http://localhost/cb"]
    }
  ]
}
JSON
interop_start_oauthsim --config "$work/config.json"

# --- the checks ------------------------------------------------------------------------------------------------
status=0
OAUTHLIB_INSECURE_TRANSPORT=1 timeout 90 "$py" "$here/requests_oauthlib.py" "$base" 2>&1 | tee "$work/checks" || status=${PIPESTATUS[0]}
[ "$status" -eq 124 ] && echo "FAIL requests_oauthlib.py timed out after 90 s"
if [ "$status" -ne 0 ]; then
    if [ -s "$work/stderr" ]; then echo "server stderr:"; tail -n 40 "$work/stderr" | sed 's/^/     /'; fi
    # The closing line again, last: the script's own, or counted here if it died before printing it.
    summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$work/checks" | tail -n1 || true)
    if [ -z "$summary" ] || [ "$status" -eq 124 ]; then
        summary="$(grep -c '^ok   ' "$work/checks" || true) passed, $(( $(grep -c '^FAIL ' "$work/checks" || true) + 1 )) failed"
    fi
    echo "$summary"
fi
exit "$status"
