#!/bin/bash
# GRE throughput of dpptp's data plane against dpdk-testpmd, in one run, on the
# same virtual ports (net_pcap replaying the same capture into net_null), with
# the same mbuf size, on the same core; then instructions per packet under
# callgrind with the io baseline subtracted. Under callgrind the program runs
# ~50x slower, so time-driven work (lone acknowledgements) would be charged
# ~50x too often per packet: those runs set the lone-ack delay out of reach;
# the throughput runs keep the default 20 ms.
#
#   scripts/bench.sh [--sessions N] [--pkt-size BYTES | --imix] [--duration S]
#                    [--cg-packets N] [--no-callgrind] [--json FILE]
#
# Defaults: 65,536 sessions in random order, 64-byte inner packets, 10 s per
# measurement. Prints a table; docs/performance.md explains the method.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SESSIONS=65536
SIZE_ARG=(--pkt-size 64)
SIZE_LABEL=64
DURATION=10
CG_PACKETS=300000
CALLGRIND=1
JSON_OUT=""
while [ $# -gt 0 ]; do
    case "$1" in
    --sessions) SESSIONS=$2; shift 2 ;;
    --pkt-size) SIZE_ARG=(--pkt-size "$2"); SIZE_LABEL=$2; shift 2 ;;
    --imix) SIZE_ARG=(--imix); SIZE_LABEL=imix; shift ;;
    --duration) DURATION=$2; shift 2 ;;
    --cg-packets) CG_PACKETS=$2; shift 2 ;;
    --no-callgrind) CALLGRIND=0; shift ;;
    --json) JSON_OUT=$2; shift 2 ;;
    *) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

"$ROOT/scripts/deps.sh" >/dev/null
BUILD=$ROOT/build-bench
if [ ! -f "$BUILD/build.ninja" ]; then
    meson setup "$BUILD" "$ROOT" -Dbuildtype=release -Dtests=false >/dev/null
fi
ninja -C "$BUILD" >/dev/null
BENCH=$BUILD/app/dpptp-bench/dpptp-bench
WORK=$(mktemp -d /tmp/dpptp-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
# The main lcore only prints; lcore 1 forwards, for testpmd and for us alike.
# shellcheck disable=SC2054  # "0,1" is one argument, an lcore list
EAL=(-l 0,1 --no-huge -m 4096 --no-pci --log-level=lib.eal:error --file-prefix "dpptp-bench-$$")

info=$("$BENCH" "${EAL[@]}" -- --sessions "$SESSIONS" "${SIZE_ARG[@]}" --pcap-dir "$WORK" --write-pcap)
DECAP=$(awk '$1=="decap"{print $2}' <<<"$info")
ENCAP=$(awk '$1=="encap"{print $2}' <<<"$info")
FRAMES=$(awk '$1=="decap"{print $3}' <<<"$info")
MBUF=$(awk '$1=="mbuf_size"{print $2}' <<<"$info")

# testpmd, with the capture on port 0 and net_null (no RX) on port 1.
# Prints the mean of its per-second TX rate after two seconds of warm-up.
testpmd_mpps() {
    local mode=$1 pcap=$2 log
    log=$WORK/testpmd-$1-$(basename "$2").log
    timeout -s INT $((DURATION + 10)) dpdk-testpmd "${EAL[@]}" \
        --vdev "net_pcap0,rx_pcap=$pcap,infinite_rx=1" --vdev net_null0,no-rx=1 -- \
        --forward-mode="$mode" --nb-cores=1 --total-num-mbufs=$((FRAMES + 65536)) \
        --mbuf-size="$MBUF" --stats-period 1 -a >"$log" 2>&1 || true
    # Periods with traffic only (loading the capture takes a while), the
    # first two of them skipped as warm-up, at most DURATION of them.
    awk -v max="$DURATION" '/Tx-pps:/ { v[n++] = $2 }
         END { s = 0; c = 0; p = 0
               for (i = 0; i + 1 < n; i += 2) {
                   t = v[i] + v[i+1]; if (t == 0) continue
                   p++; if (p > 2 && c < max) { s += t; c++ } }
               if (c == 0) { print 0 } else printf "%.3f\n", s / c / 1e6 }' "$log"
}

bench() {
    "$BENCH" "${EAL[@]}" -- --mode "$1" --sessions "$SESSIONS" "${SIZE_ARG[@]}" \
        --pcap-dir "$WORK" --duration "$DURATION" --stats-period 0 | tee "$WORK/bench-$1.log" |
        awk '/^RESULT/ { for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "mpps") print kv[2] } }'
}

echo "dpptp bench: $SESSIONS sessions, inner $SIZE_LABEL bytes, ${DURATION}s each, lcore 1, mbuf $MBUF bytes"
echo "  capture: $FRAMES frames per direction"
tp_io=$(testpmd_mpps io "$DECAP")
tp_mac=$(testpmd_mpps mac "$DECAP")
tp_mac_encap=$(testpmd_mpps mac "$ENCAP")
d=$(bench decap)
e=$(bench encap)
b=$(bench bidir)
bio=$(bench io)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

declare -A IPP
if [ "$CALLGRIND" = 1 ]; then
    command -v valgrind >/dev/null || "$ROOT/scripts/deps.sh"
    CG_SESSIONS=$((SESSIONS < 4096 ? SESSIONS : 4096))
    for mode in io decap encap bidir; do
        fn=dp_worker_poll
        [ "$mode" = io ] && fn=io_main
        out=$WORK/cg-$mode.out
        rx=$(valgrind --tool=callgrind --callgrind-out-file="$out" --toggle-collect="$fn" \
                "$BENCH" "${EAL[@]}" -- --mode "$mode" --sessions "$CG_SESSIONS" "${SIZE_ARG[@]}" \
                --pcap-dir "$WORK" --max-packets "$CG_PACKETS" --stats-period 0 \
                --lone-ack-delay-us 100000000 2>/dev/null |
             awk '$1 == "TOTAL_RX" { print $2 }')
        ir=$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
        IPP[$mode]=$(awk -v i="$ir" -v n="$rx" 'BEGIN { if (n > 0) printf "%.0f", i / n; else print 0 }')
    done
fi

beyond() { awk -v a="${IPP[$1]:-0}" -v b="${IPP[io]:-0}" 'BEGIN { if (a > 0) printf "%d", a - b; else print "-" }'; }

echo
printf "%-26s %10s %14s %14s %12s\n" "run" "Mpps" "x testpmd mac" "instr/pkt" "beyond io"
printf "%-26s %10s %14s %14s %12s\n" "testpmd io (decap cap.)" "$tp_io" "$(ratio "$tp_io" "$tp_mac")" "" ""
printf "%-26s %10s %14s %14s %12s\n" "testpmd mac (decap cap.)" "$tp_mac" "1.00" "" ""
printf "%-26s %10s %14s %14s %12s\n" "testpmd mac (encap cap.)" "$tp_mac_encap" "1.00" "" ""
printf "%-26s %10s %14s %14s %12s\n" "dpptp-bench io" "$bio" "$(ratio "$bio" "$tp_mac")" "${IPP[io]:--}" "0"
printf "%-26s %10s %14s %14s %12s\n" "dpptp-bench decap" "$d" "$(ratio "$d" "$tp_mac")" "${IPP[decap]:--}" "$(beyond decap)"
printf "%-26s %10s %14s %14s %12s\n" "dpptp-bench encap" "$e" "$(ratio "$e" "$tp_mac_encap")" "${IPP[encap]:--}" "$(beyond encap)"
printf "%-26s %10s %14s %14s %12s\n" "dpptp-bench bidir" "$b" "$(ratio "$b" "$tp_mac")" "${IPP[bidir]:--}" "$(beyond bidir)"
echo
echo "Targets: decap and encap >= 0.80 x testpmd mac; <= 150 instructions/packet beyond io."
grep -h "lone acks sent" "$WORK"/bench-decap.log | sed 's/^ */decap: /'
if [ -n "$JSON_OUT" ]; then
    cat >"$JSON_OUT" <<EOF
{"sessions": $SESSIONS, "pkt_size": "$SIZE_LABEL", "duration": $DURATION,
 "testpmd_io": $tp_io, "testpmd_mac": $tp_mac, "testpmd_mac_encap": $tp_mac_encap,
 "bench_io": $bio, "decap": $d, "encap": $e, "bidir": $b,
 "ipp_io": ${IPP[io]:-0}, "ipp_decap": ${IPP[decap]:-0}, "ipp_encap": ${IPP[encap]:-0}, "ipp_bidir": ${IPP[bidir]:-0}}
EOF
fi
