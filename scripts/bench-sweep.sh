#!/bin/bash
# Mpps of dpptp-bench decap and encap against the session count (1 to 65,536)
# and the inner packet size (64 to 1400 bytes), one worker core, plus testpmd
# mac on each capture for reference; writes a data file and a PNG plot.
#
#   scripts/bench-sweep.sh [OUT_DIR] [SECONDS]     (default docs/, 4 s per point)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/docs}
SECS=${2:-4}
SESSIONS="1 16 256 4096 65536"
SIZES="64 512 1400"

"$ROOT/scripts/deps.sh" >/dev/null
command -v gnuplot >/dev/null || {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q gnuplot-nox >/dev/null
}
BUILD=$ROOT/build-bench
[ -f "$BUILD/build.ninja" ] || meson setup "$BUILD" "$ROOT" -Dbuildtype=release -Dtests=false >/dev/null
ninja -C "$BUILD" >/dev/null
BENCH=$BUILD/app/dpptp-bench/dpptp-bench
WORK=$(mktemp -d /tmp/dpptp-sweep.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
# shellcheck disable=SC2054  # "0,1" is one argument, an lcore list
EAL=(-l 0,1 --no-huge -m 4096 --no-pci --log-level=lib.eal:error --file-prefix "dpptp-sweep-$$")
DATA=$OUT/performance-sweep.dat

mpps() {
    "$BENCH" "${EAL[@]}" -- --mode "$1" --sessions "$2" --pkt-size "$3" --pcap-dir "$WORK" \
        --duration "$SECS" --stats-period 0 2>/dev/null |
        awk '/^RESULT/ { for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "mpps") print kv[2] } }'
}

echo "# sessions size decap_mpps encap_mpps   (dpptp-bench, 1 worker, ${SECS}s per point)" >"$DATA"
for size in $SIZES; do
    for n in $SESSIONS; do
        d=$(mpps decap "$n" "$size")
        e=$(mpps encap "$n" "$size")
        echo "$n $size $d $e" | tee -a "$DATA"
    done
    echo >>"$DATA"
    echo >>"$DATA"
done

gnuplot <<EOF
set terminal pngcairo size 900,520 font "sans,10"
set output "$OUT/performance-sweep.png"
set title "dpptp data plane, one worker core (net_pcap -> net_null, --no-huge)"
set xlabel "sessions (random order)"
set ylabel "Mpps"
set logscale x 2
set key outside right
set grid
plot for [i=0:2] "$DATA" index i using 1:3 with linespoints title sprintf("decap %s B", word("$SIZES", i+1)), \
     for [i=0:2] "$DATA" index i using 1:4 with linespoints dashtype 2 title sprintf("encap %s B", word("$SIZES", i+1))
EOF
echo "wrote $DATA and $OUT/performance-sweep.png"
