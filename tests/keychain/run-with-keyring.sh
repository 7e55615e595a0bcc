#!/usr/bin/env bash
# Runs tst_keychain twice, never touching the keychain of the user running it:
#  1. inside a private D-Bus session with a throw-away, unlocked gnome-keyring (a real Secret Service);
#  2. with no session bus at all, where KeychainSecretStore must report unavailable() promptly.
# Usage: run-with-keyring.sh PATH/TO/keychain_tst_keychain [PATH/TO/oauthsim]
# With the oauthsim binary it also runs oauthsim itself in the keyring session (oauthsim-in-keyring.sh).
# Recipe verified in ../shared/QT64-NOTES.md. `env -u DISPLAY` and `timeout` are not optional: with a display, a
# keyring password mismatch opens a prompt that waits forever.
set -euo pipefail

binary=${1:?usage: run-with-keyring.sh TEST_BINARY}
binary=$(readlink -f "$binary")

# Install what the real Secret Service needs (CI runs as root). Without libsecret, QtKeychain falls back to KWallet.
missing=()
for package in gnome-keyring libsecret-1-0 dbus; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$package")
    fi
done
if ((${#missing[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
        echo "run-with-keyring.sh: missing packages: ${missing[*]} (install them, or run as root)" >&2
        exit 1
    fi
    echo "run-with-keyring.sh: installing ${missing[*]}" >&2
    if ! DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 install -y --no-install-recommends "${missing[@]}" >&2; then
        apt-get -o DPkg::Lock::Timeout=120 update >&2
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 install -y --no-install-recommends "${missing[@]}" >&2
    fi
fi

# A private HOME and runtime directory: the keyring files, QStandardPaths and anything else land here.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/oauthsim-keychain.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export HOME="$scratch/home" XDG_RUNTIME_DIR="$scratch/run"
export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share" XDG_CACHE_HOME="$HOME/.cache"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
# The tests scan this directory for plaintext secrets after using the keychain.
export OAUTHSIM_KEYCHAIN_SCAN_DIR="$HOME"
unset DBUS_SESSION_BUS_ADDRESS XDG_CURRENT_DESKTOP DESKTOP_SESSION KDE_FULL_SESSION GNOME_KEYRING_CONTROL

status=0
now_ms() { date +%s%3N; }

echo "== with a real Secret Service (gnome-keyring under dbus-run-session)"
start=$(now_ms)
# shellcheck disable=SC2016 # "$0" is expanded by the inner bash: it is the test binary
OAUTHSIM_KEYCHAIN_TEST=real env -u DISPLAY -u WAYLAND_DISPLAY timeout 120 dbus-run-session -- bash -c \
    'echo -n ci-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$0"' "$binary" ||
    status=1
echo "== real keychain run: $(($(now_ms) - start)) ms"

if [[ -n ${2:-} ]]; then
    echo "== oauthsim itself with the real Secret Service"
    start=$(now_ms)
    # A keyring of its own: the one above already holds the unit test's entries.
    mkdir -p "$scratch/oauthsim-home"
    # shellcheck disable=SC2016
    HOME="$scratch/oauthsim-home" XDG_DATA_HOME="$scratch/oauthsim-home/.local/share" \
        XDG_CONFIG_HOME="$scratch/oauthsim-home/.config" \
        env -u DISPLAY -u WAYLAND_DISPLAY timeout 120 dbus-run-session -- bash -c \
        'echo -n ci-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec bash "$0" "$1"' \
        "$(dirname "$0")/oauthsim-in-keyring.sh" "$(readlink -f "$2")" || status=1
    echo "== oauthsim run: $(($(now_ms) - start)) ms"
fi

echo "== with no Secret Service (no session bus, no display)"
start=$(now_ms)
OAUTHSIM_KEYCHAIN_TEST=none env -u DBUS_SESSION_BUS_ADDRESS -u DISPLAY -u WAYLAND_DISPLAY timeout 60 \
    "$binary" noSecretService || status=1
echo "== no-service run: $(($(now_ms) - start)) ms"

exit $status
