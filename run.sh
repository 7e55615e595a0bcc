#!/usr/bin/env bash
# Installs what is missing, builds, and starts oauthsim on the embedded default configuration.
# Arguments pass through: ./run.sh --headless --port 0
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh runtime >&2
exec build/bin/oauthsim "$@"
