#!/usr/bin/env bash
# OpenID Connect with a real relying-party library: Node's openid-client (v6, panva) discovers oauthsim, runs the
# authorization code flow with PKCE S256 and a nonce (fetch with a cookie jar plays the browser: login form,
# autoapproved authorize, 303 to the callback), validates the id_token, refreshes, reads userinfo, introspects,
# revokes and signs out. See openid_client.mjs for the checks.
# Usage: openid_client.sh path/to/oauthsim
# Installs what it needs when missing (CI runs as root on a fresh Debian 12): apt `nodejs`/`npm`, and npm
# `openid-client` into a cache beside the build tree (never the source tree).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/interop.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/interop.sh"
interop_init "$@"
# OAUTHSIM_PROFILE (spring-legacy by default) selects the server profile; each profile gets its own npm folder so
# that the two ctest entries (interop/openid_client, interop/openid_client_sas) can run at once.
profile=${OAUTHSIM_PROFILE:-spring-legacy}
interop_cache "openid_client-$profile"

interop_need_node
# openid-client 6 uses the global WebCrypto and fetch: Node 20 has both; Debian 12's own Node 18 has fetch and gets
# WebCrypto with a flag (checked here on Node 20 only).
node_flags=()
if [ "$node_major" -lt 18 ]; then
    interop_fail "install: openid-client 6 needs Node >= 18 (20 or later preferred), this is $(node --version)"
elif [ "$node_major" -lt 20 ]; then
    node_flags=(--experimental-global-webcrypto)
fi
# The current major release, checked against this oauthsim.
oc_version=6.8.9
interop_npm_install openid-client "$oc_version" oauthsim-interop-openid-client
interop_install_done "node $(node --version), openid-client $oc_version"

# openid_client.mjs prints its own run time, then the count.
echo "profile: $profile"
interop_run_node "the openid-client test" OAUTHSIM_PROFILE="$profile" node "${node_flags[@]}" "$here/openid_client.mjs"
