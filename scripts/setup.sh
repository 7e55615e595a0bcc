#!/usr/bin/env bash
# Shared set-up for run.sh and test.sh: install the Debian packages that are missing, then configure and
# build into build/ (incremental, both cores, ninja and ccache when present).
# Usage: scripts/setup.sh [runtime|test]
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-runtime}
build_pkgs=(cmake g++ ninja-build ccache pkg-config qt6-base-dev qt6-httpserver-dev qt6-websockets-dev qtkeychain-qt6-dev
            qt6-l10n-tools qt6-tools-dev qt6-tools-dev-tools qt6-svg-dev libssl-dev libgl-dev fonts-dejavu-core)
# What the tests use: installed here, before ctest runs them two at a time (a test installing while another
# holds the dpkg lock would fail). The interop and keychain scripts still check for themselves when run alone.
test_pkgs=(curl python3 python3-requests-oauthlib gnome-keyring libsecret-1-0 dbus chromium)

pkgs=("${build_pkgs[@]}")
[ "$mode" = test ] && pkgs+=("${test_pkgs[@]}")
# Node and npm by command, not by package: a nodejs from another source ships its own npm and conflicts with
# Debian's npm package.
if [ "$mode" = test ] && ! { command -v node >/dev/null && command -v npm >/dev/null; }; then
    pkgs+=(nodejs npm)
fi

missing=()
for p in "${pkgs[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing missing Debian packages: ${missing[*]}" >&2
    sudo_cmd=()
    [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    # Wait for the dpkg lock rather than fail if another apt is running.
    apt=(apt-get -o DPkg::Lock::Timeout=300)
    "${sudo_cmd[@]}" "${apt[@]}" update -qq
    "${sudo_cmd[@]}" "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

if [ ! -f build/CMakeCache.txt ]; then
    cmake -S . -B build "${generator[@]}" "${launcher[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
fi
cmake --build build -j2
