#!/bin/bash
# Run every libFuzzer harness for a bounded time.
#
#   scripts/fuzz.sh [SECONDS_PER_HARNESS] [HARNESS...]   (default 600 s, all harnesses)
#
# Builds build-fuzz/ with clang, -Dfuzz=true and ASan+UBSan, then runs each
# harness on a working corpus (build-fuzz/corpus-<harness>, seeded from
# tests/fuzz/corpus/<harness>). A crash is copied into tests/fuzz/corpus/<harness>/
# as crash-<hash>, where `meson test` replays it from then on (make it pass, then
# commit it), and the script exits non-zero. Prints executions per harness.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECS=${1:-600}
shift || true
HARNESSES=${*:-pptp_ctrl gre ppp_cp ppp_auth pptp_conn ppp_session}
BUILD=$ROOT/build-fuzz

"$ROOT/scripts/deps.sh" --build >/dev/null
command -v clang >/dev/null || "$ROOT/scripts/deps.sh"

if [ ! -f "$BUILD/build.ninja" ]; then
    CC=clang meson setup "$BUILD" "$ROOT" -Dfuzz=true -Db_sanitize=address,undefined \
        -Db_lundef=false -Dbuildtype=debugoptimized >/dev/null
fi
# Only the harnesses (and what they link): the fuzz build needs nothing else.
targets=()
for h in $HARNESSES; do
    targets+=("tests/fuzz/fuzz_$h")
done
ninja -C "$BUILD" "${targets[@]}" >/dev/null

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1
status=0
for h in $HARNESSES; do
    corpus=$BUILD/corpus-$h
    artifacts=$BUILD/artifacts-$h
    mkdir -p "$corpus" "$artifacts"
    log=$BUILD/fuzz-$h.log
    set +e
    "$BUILD/tests/fuzz/fuzz_$h" "$corpus" "$ROOT/tests/fuzz/corpus/$h" \
        -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$artifacts/" >"$log" 2>&1
    rc=$?
    set -e
    execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo "?")
    cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1 || true)
    if [ $rc -ne 0 ]; then
        status=1
        for a in "$artifacts"/*; do
            [ -e "$a" ] || continue
            cp "$a" "$ROOT/tests/fuzz/corpus/$h/crash-$(sha1sum "$a" | cut -c1-12)"
        done
        echo "fuzz: $h FAILED after $execs executions (log: $log); input saved under tests/fuzz/corpus/$h/"
        grep -m5 -E 'ERROR|SUMMARY|runtime error' "$log" || true
    else
        echo "fuzz: $h ok: $execs executions in ${SECS}s, $cov"
    fi
done
exit $status
