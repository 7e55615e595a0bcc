#!/usr/bin/env bash
# openid-client (Node, current major) against oauthsim in the spring-authorization-server profile: the same client
# code as openid_client.sh (discovery, PKCE + nonce code flow with the id_token checked against the JWKS, refresh,
# userinfo, introspection, revocation, end-session), with that profile's paths, redirects and JWT access tokens.
# Usage: openid_client_sas.sh path/to/oauthsim
set -euo pipefail
OAUTHSIM_PROFILE=spring-authorization-server exec bash "$(dirname "${BASH_SOURCE[0]}")/openid_client.sh" "$@"
