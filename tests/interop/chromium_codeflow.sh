#!/usr/bin/env bash
# Steps 1-6 of the seed in a real browser: Debian's Chromium, driven by playwright-core, signs in on oauthsim's
# login form, approves read and write, and follows the 303 to a redirect URI this test listens on; Node's fetch
# then exchanges the code (step 7). See chromium_codeflow.mjs for the checks.
# Usage: chromium_codeflow.sh path/to/oauthsim
# Installs what it needs when missing (CI runs as root on a fresh Debian 12): apt `chromium` (and `nodejs`/`npm`),
# and npm `playwright-core` into a cache beside the build tree (never the source tree; never a downloaded browser).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/interop.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/interop.sh"
interop_init "$@"
interop_install_playwright chromium_codeflow
# chromium_codeflow.mjs prints its own run time, then the count.
interop_run_node "the browser test" TMPDIR="$work/tmp" node "$here/chromium_codeflow.mjs"
