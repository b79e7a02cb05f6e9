#!/bin/bash
# Capture golden vectors from the real pptp client (pptp-linux, --nolaunchpppd).
#
# Two network namespaces made here and removed at exit, joined by a veth pair:
#   dpptp-gold-srv 198.51.100.1/24  scapy-built fake server (tests/tools/fake_pptp_server.py)
#   dpptp-gold-cli 198.51.100.2/24  pptp + a minimal PPP peer (tests/tools/golden_client.py)
# tcpdump on the server side writes one pcap per scenario into the output folder
# (default tests/data). Needs root. The pcaps are committed; re-run this only to
# refresh them after a change of pptp-linux.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/tests/data}
SRV=dpptp-gold-srv
CLI=dpptp-gold-cli
PY=/usr/bin/python3
TMP=$(mktemp -d)

cleanup() {
    ip netns pids "$SRV" 2>/dev/null | xargs -r kill 2>/dev/null || true
    ip netns pids "$CLI" 2>/dev/null | xargs -r kill 2>/dev/null || true
    ip netns del "$SRV" 2>/dev/null || true
    ip netns del "$CLI" 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT

[ "$(id -u)" -eq 0 ] || { echo "capture-golden: needs root (network namespaces)" >&2; exit 1; }
cleanup
TMP=$(mktemp -d)
mkdir -p "$OUT"

ip netns add "$SRV"
ip netns add "$CLI"
ip link add gold-srv netns "$SRV" type veth peer name gold-cli netns "$CLI"
ip -n "$SRV" addr add 198.51.100.1/24 dev gold-srv
ip -n "$CLI" addr add 198.51.100.2/24 dev gold-cli
for ns in "$SRV" "$CLI"; do
    ip -n "$ns" link set lo up
done
ip -n "$SRV" link set gold-srv up
ip -n "$CLI" link set gold-cli up

run_scenario() {
    local scenario=$1 pcap=$OUT/pptp-linux-$1.pcap
    rm -f "$TMP/ready" "$pcap"
    ip netns exec "$SRV" tcpdump -i gold-srv --immediate-mode -U -s 0 -w "$pcap" 'tcp port 1723 or ip proto 47' \
        2>"$TMP/tcpdump.log" &
    local dump=$!
    sleep 1
    ip netns exec "$SRV" "$PY" "$ROOT/tests/tools/fake_pptp_server.py" \
        --listen 198.51.100.1 --scenario "$scenario" --ready-file "$TMP/ready" &
    local srv=$!
    for _ in $(seq 50); do [ -e "$TMP/ready" ] && break; sleep 0.1; done
    local run=9
    [ "$scenario" = server-stop ] && run=0
    ip netns exec "$CLI" timeout 40 "$PY" "$ROOT/tests/tools/golden_client.py" \
        --server 198.51.100.1 --run "$run" --idle-wait 2
    wait "$srv"
    sleep 0.5
    kill "$dump"
    wait "$dump" || true
    echo "capture-golden: $scenario -> $pcap ($(tcpdump -r "$pcap" 2>/dev/null | wc -l) packets)"
}

run_scenario client-stop
run_scenario server-stop
