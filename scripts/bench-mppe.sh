#!/bin/bash
# MPPE-128 in dpptp's data plane, per core, against the crypto alone on the
# same machine in the same run: for each direction (decap: decrypt, encap:
# encrypt), mode (stateless, stateful) and inner size (64, 512, 1400 bytes),
# dpptp-bench --mppe on one worker, and after it, on the same core, raw RC4
# over buffers of the same size (one key, no re-keying: the physical limit of
# this design) and, for stateless, lib/mppe's whole-packet crypto (a SHA-1
# re-key and an RC4 key set-up per packet, then RC4).
#
#   scripts/bench-mppe.sh [--duration S] [--sessions N] [--sizes "64 512 1400"]
#
# Decap counts packets decrypted (see app/dpptp-bench/traffic.c for why the
# replayed capture decrypts to noise after its first lap); encap counts
# packets encrypted and sent. docs/performance.md has the figures.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DURATION=5
SESSIONS=8
SIZES="64 512 1400"
while [ $# -gt 0 ]; do
    case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --sessions) SESSIONS=$2; shift 2 ;;
    --sizes) SIZES=$2; shift 2 ;;
    *) echo "bench-mppe.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

"$ROOT/scripts/deps.sh" >/dev/null
BUILD=$ROOT/build-bench
if [ ! -f "$BUILD/build.ninja" ]; then
    meson setup "$BUILD" "$ROOT" -Dbuildtype=release -Dtests=false >/dev/null
fi
ninja -C "$BUILD" >/dev/null
BENCH=$BUILD/app/dpptp-bench/dpptp-bench
WORK=$(mktemp -d /tmp/dpptp-bench-mppe.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
# shellcheck disable=SC2054  # "0,1" is one argument, an lcore list
EAL=(-l 0,1 --no-huge -m 2048 --no-pci --log-level=lib.eal:error --file-prefix "dpptp-bm-$$")

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }

printf "%-6s %-10s %6s %9s %14s %12s %8s %14s %8s\n" "dir" "mode" "inner" "Mpps" \
    "Gbit/s/core" "raw RC4" "ratio" "MPPE crypto" "ratio"
for mode in stateless stateful; do
    for dir in decap encap; do
        for size in $SIZES; do
            if ! out=$("$BENCH" "${EAL[@]}" -- --mode "$dir" --mppe "$mode" \
                --sessions "$SESSIONS" --pkt-size "$size" --duration "$DURATION" \
                --stats-period 0 --pcap-dir "$WORK" 2>"$WORK/stderr" | grep '^RESULT'); then
                echo "bench-mppe.sh: dpptp-bench failed ($dir $mode $size):" >&2
                cat "$WORK/stderr" >&2
                exit 1
            fi
            mpps=$(echo "$out" | field mpps)
            g=$(echo "$out" | field inner_gbps_per_core)
            rc4=$(echo "$out" | field raw_rc4_gbps)
            mc=$(echo "$out" | field mppe_crypto_gbps)
            r1=$(awk -v a="$g" -v b="$rc4" 'BEGIN { printf (b > 0 ? "%.2f" : "-"), a / b }')
            r2=$(awk -v a="$g" -v b="$mc" 'BEGIN { printf (b > 0 ? "%.2f" : "-"), a / b }')
            [ "$mode" = stateful ] && mc=-
            printf "%-6s %-10s %6s %9s %14s %12s %8s %14s %8s\n" "$dir" "$mode" "$size" "$mpps" \
                "$g" "$rc4" "$r1" "$mc" "$r2"
            rm -f "$WORK"/*.pcap
        done
    done
done
