#!/usr/bin/env bash
# The spring-authorization-server profile's consent page in a real browser: Debian's Chromium, driven by
# playwright-core, opens /oauth2/authorize (openid read write, PKCE S256), signs in on oauthsim's login form, cancels
# the consent page (access_denied), then ticks one scope checkbox and follows the 302 to a redirect URI this test
# listens on; Node's fetch then exchanges the code at /oauth2/token. Then the remembered consent: a wider request
# shows the granted scope ticked and disabled (Cancel keeps it), a request within it skips the page. See
# chromium_consent.mjs for the checks.
# Usage: chromium_consent.sh path/to/oauthsim
# Installs what it needs when missing (CI runs as root on a fresh Debian 12): apt `chromium` (and `nodejs`/`npm`),
# and npm `playwright-core` into a cache beside the build tree (never the source tree; never a downloaded browser).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/interop.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/interop.sh"
interop_init "$@"
interop_install_playwright chromium_consent
# chromium_consent.mjs prints its own run time, then the count.
interop_run_node "the browser test" TMPDIR="$work/tmp" node "$here/chromium_consent.mjs"
