#!/usr/bin/env bash
# The device authorization grant (RFC 8628) with a real browser: Node's fetch plays the device (asks for a device code,
# polls the token endpoint), Debian's Chromium, driven by playwright-core, plays the user (opens verification_uri,
# signs in on oauthsim's login form, types the user code, approves). See chromium_device.mjs for the checks.
# Usage: chromium_device.sh path/to/oauthsim
# Installs what it needs when missing (CI runs as root on a fresh Debian 12): apt `chromium` (and `nodejs`/`npm`),
# and npm `playwright-core` into a cache beside the build tree (never the source tree; never a downloaded browser).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/interop.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/interop.sh"
interop_init "$@"
interop_install_playwright chromium_device
# chromium_device.mjs prints its own run time, then the count.
interop_run_node "the browser test" TMPDIR="$work/tmp" node "$here/chromium_device.mjs"
