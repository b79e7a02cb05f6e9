#!/bin/sh
# Install, from Debian 12's packages only, whatever dpptp needs to build and test.
# Idempotent: packages already present are not touched, and apt-get is not run at
# all when nothing is missing. Needs root (or sudo) only when something is missing.
#
#   scripts/deps.sh          build + test dependencies
#   scripts/deps.sh --build  build dependencies only
set -eu

BUILD_PKGS="build-essential meson ninja-build pkg-config libdpdk-dev libpcap-dev
libcmocka-dev libjansson-dev nettle-dev libssl-dev"
TEST_PKGS="dpdk dpdk-dev tshark tcpdump python3 python3-scapy python3-pycryptodome
pptp-linux iproute2 ethtool clang libclang-rt-14-dev valgrind procps libgcrypt20-dev
shellcheck systemd"

pkgs="$BUILD_PKGS"
[ "${1:-}" = "--build" ] || pkgs="$pkgs $TEST_PKGS"

missing=""
for p in $pkgs; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    echo "deps: all $(echo $pkgs | wc -w) packages present"
    exit 0
fi

echo "deps: installing:$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "deps: need root to install:$missing" >&2; exit 1; }
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer once, non-interactively.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
