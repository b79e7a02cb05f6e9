#!/bin/bash
# The test command: on a fresh Debian 12 machine it installs what is missing,
# builds, and runs every test suite twice, in an optimised build (build/) and
# under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/), builds
# the release configuration (build-bench/, -O3 finds other warnings), then runs
# every libFuzzer harness for a short while (build-fuzz/).
#
#   scripts/test.sh                   everything
#   FUZZ_SECONDS=0 scripts/test.sh    skip the fuzzing smoke run (replays still run)
#
# Needs root for apt-get on a fresh machine and for the suites that make
# network namespaces. Exits non-zero if anything fails.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
FUZZ_SECONDS=${FUZZ_SECONDS:-20}

step() { printf '\n=== %s ===\n' "$*"; }

step "dependencies"
scripts/deps.sh

export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1

build_and_test() {
    local dir=$1
    shift
    if [ ! -f "$dir/build.ninja" ]; then
        meson setup "$dir" "$@"
    fi
    ninja -C "$dir"
    meson test -C "$dir" --print-errorlogs --num-processes "$(nproc)"
}

step "build + tests (optimised)"
build_and_test build

step "build (release, as scripts/bench.sh and operators build it)"
if [ ! -f build-bench/build.ninja ]; then
    meson setup build-bench -Dbuildtype=release -Dtests=false
fi
ninja -C build-bench

step "build + tests (ASan + UBSan)"
build_and_test build-asan -Db_sanitize=address,undefined -Db_lundef=false

if [ "$FUZZ_SECONDS" != 0 ]; then
    step "fuzzing smoke run (${FUZZ_SECONDS}s per harness)"
    scripts/fuzz.sh "$FUZZ_SECONDS"
fi

step "all tests passed"
