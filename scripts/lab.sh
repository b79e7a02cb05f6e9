#!/bin/bash
# The lab: a subscriber, the concentrator and an upstream host in network
# namespaces, dpptpd on af_packet ports with --no-huge, and the real pptp client.
#
#   scripts/lab.sh up      build if needed, make the namespaces, start dpptpd
#   scripts/lab.sh run     (up first if needed) connect a real client, ping the
#                          upstream host through the tunnel, show the session
#   scripts/lab.sh down    stop dpptpd (orderly: exit 0) and remove everything
#   scripts/lab.sh status  what is running
#
# Names and addresses are a contract (docs/lab.md, the brief's section 6):
#   dpptp-client    198.51.100.2/24 on veth-cli
#   dpptp-conc      dpptpd: 198.51.100.1 (access, veth-conc-acc) and 203.0.113.1
#                   (uplink, veth-conc-up); the kernel side of 198.51.100.1 is
#                   the tap dpptp-access made by dpptpd
#   dpptp-upstream  203.0.113.2/24 on veth-up, 100.64.0.0/16 via 203.0.113.1
# User lab, secret lab-secret, MS-CHAPv2, pool 100.64.0.0/16. Needs root.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
LAB_DIR=${LAB_DIR:-/tmp/dpptp-lab}
export LAB_DIR
CONFIG=${LAB_CONFIG:-$ROOT/configs/lab.json}
BUILD=${LAB_BUILD:-$ROOT/build}
PY=/usr/bin/python3
PINGS=${LAB_PINGS:-5}
# Tests run their own copy of the lab beside a developer's: other namespace
# names (LAB_NS=dpptp-e2e gives dpptp-e2e-client, ...), same addresses.
NS=${LAB_NS:-dpptp}
NS_CLI=$NS-client
NS_CONC=$NS-conc
NS_UP=$NS-upstream
# Extra client addresses 198.51.100.10 and up (for many clients at once).
CLIENT_ADDRS=${LAB_CLIENT_ADDRS:-0}
EXTRA_EAL=${LAB_EAL:-}

ns_exists() { ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$1"; }
running() { [ -f "$LAB_DIR/dpptpd.pid" ] && kill -0 "$(cat "$LAB_DIR/dpptpd.pid")" 2>/dev/null; }

listening() {
    ip netns exec $NS_CONC ss -ltnH 2>/dev/null | awk '{print $4}' | grep -qx "198.51.100.1:1723"
}

make_namespaces() {
    for ns in "$NS_CLI" "$NS_CONC" "$NS_UP"; do
        ns_exists "$ns" || ip netns add "$ns"
        ip -n "$ns" link set lo up
    done
    if ! ip -n $NS_CONC link show veth-conc-acc >/dev/null 2>&1; then
        ip link add veth-cli netns $NS_CLI type veth peer name veth-conc-acc netns $NS_CONC
        ip link add veth-up netns $NS_UP type veth peer name veth-conc-up netns $NS_CONC
    fi
    ip -n "$NS_CLI" addr replace 198.51.100.2/24 dev veth-cli
    for i in $(seq 1 "$CLIENT_ADDRS"); do
        ip -n "$NS_CLI" addr replace "198.51.100.$((9 + i))/24" dev veth-cli
    done
    ip -n $NS_UP addr replace 203.0.113.2/24 dev veth-up
    for ifc in "$NS_CLI veth-cli" "$NS_UP veth-up"; do
        set -- $ifc
        # Checksums filled in by the sender: a veth would otherwise hand
        # the concentrator's af_packet port frames with partial checksums.
        ip netns exec "$1" ethtool -K "$2" tx off >/dev/null 2>&1 || true
        ip -n "$1" link set "$2" up
    done
    ip -n $NS_UP route replace 100.64.0.0/16 via 203.0.113.1
    # The concentrator's veths belong to DPDK (af_packet): the kernel must not
    # answer on them. Its only address lives on dpptpd's tap.
    ip netns exec $NS_CONC sysctl -qw net.ipv4.conf.all.rp_filter=1 \
        net.ipv4.conf.default.rp_filter=1 net.ipv4.conf.all.arp_ignore=1 \
        net.ipv4.ip_forward=0 net.ipv6.conf.all.disable_ipv6=1 \
        net.ipv6.conf.default.disable_ipv6=1 >/dev/null
    for v in veth-conc-acc veth-conc-up; do
        ip netns exec $NS_CONC ethtool -K "$v" tx off rx off >/dev/null 2>&1 || true
        ip -n $NS_CONC link set "$v" up
    done
}

cmd_up() {
    [ "$(id -u)" -eq 0 ] || { echo "lab: needs root (network namespaces)" >&2; exit 1; }
    "$ROOT/scripts/deps.sh" >/dev/null
    if [ ! -f "$BUILD/build.ninja" ]; then
        meson setup "$BUILD" "$ROOT" >/dev/null
    fi
    ninja -C "$BUILD" app/dpptpd/dpptpd >/dev/null
    if running; then
        echo "lab: dpptpd already running (pid $(cat "$LAB_DIR/dpptpd.pid"))"
        return 0
    fi
    mkdir -p "$LAB_DIR"
    make_namespaces
    "$BUILD/app/dpptpd/dpptpd" --check-config "$CONFIG" >/dev/null 2>"$LAB_DIR/check.log" ||
        { cat "$LAB_DIR/check.log" >&2; exit 1; }
    # Two lcores (control 0, worker 1), no hugepages, no PCI: the lab's EAL.
    # A small wrapper keeps dpptpd's exit status (dpptpd.exit) for "down".
    rm -f "$LAB_DIR/dpptpd.exit" "$LAB_DIR/dpptpd.pid"
    ip netns exec "$NS_CONC" setsid sh -c '
        "$@" >"$LAB_DIR/dpptpd.log" 2>&1 </dev/null &
        echo $! >"$LAB_DIR/dpptpd.pid"
        wait $!
        echo $? >"$LAB_DIR/dpptpd.exit"' lab "$BUILD/app/dpptpd/dpptpd" -l 0,1 --no-huge -m 512 \
        --no-pci --file-prefix "$NS-lab" --log-level=lib.eal:error $EXTRA_EAL -- --config "$CONFIG" \
        </dev/null >/dev/null 2>&1 &
    for _ in $(seq 50); do [ -s "$LAB_DIR/dpptpd.pid" ] && break; sleep 0.1; done
    for _ in $(seq 100); do
        listening && break
        running || { echo "lab: dpptpd exited; its log:" >&2; tail -20 "$LAB_DIR/dpptpd.log" >&2; exit 1; }
        sleep 0.1
    done
    listening || { echo "lab: dpptpd is not listening on 198.51.100.1:1723" >&2; exit 1; }
    echo "lab: up: dpptpd (pid $(cat "$LAB_DIR/dpptpd.pid")) listening on 198.51.100.1:1723; log $LAB_DIR/dpptpd.log"
}

cmd_run() {
    running && listening || cmd_up
    echo "lab: connecting the real pptp client from $NS_CLI as user lab, $PINGS pings to 203.0.113.2"
    local mark
    mark=$(wc -l <"$LAB_DIR/dpptpd.log")
    set +e
    ip netns exec $NS_CLI "$PY" "$ROOT/tests/tools/pptp_peer.py" 198.51.100.1 \
        --user lab --password lab-secret --pings "$PINGS" --target 203.0.113.2 --hold 1 \
        --mppe stateless --expect-mppe --end terminate --report "$LAB_DIR/client.json" >/dev/null 2>"$LAB_DIR/client.log"
    local rc=$?
    set -e
    sleep 0.5
    "$PY" - "$LAB_DIR/client.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
print("client: auth %s (%s), MPPE %s, address %s, pings %d/%d answered, rtt %s ms, ended by %s" % (
    r.get("auth"), r.get("auth_result"), r.get("mppe"), r.get("address"), r.get("pings_received", 0),
    r.get("pings_sent", 0), r.get("rtt_ms"), r.get("terminated_by")))
EOF
    echo "dpptpd's log for this session:"
    tail -n +"$((mark + 1))" "$LAB_DIR/dpptpd.log" | grep -E "session|connection" | sed 's/^/  /'
    if [ $rc -ne 0 ]; then
        echo "lab: the session did not work (client log: $LAB_DIR/client.log)" >&2
        exit 1
    fi
    echo "lab: ok. 'scripts/lab.sh down' stops dpptpd and removes the namespaces."
}

cmd_down() {
    if running; then
        local pid
        pid=$(cat "$LAB_DIR/dpptpd.pid")
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        for _ in $(seq 20); do [ -s "$LAB_DIR/dpptpd.exit" ] && break; sleep 0.1; done
        echo "lab: dpptpd stopped (exit status $(cat "$LAB_DIR/dpptpd.exit" 2>/dev/null || echo unknown))"
    fi
    rm -f "$LAB_DIR/dpptpd.pid"
    for ns in "$NS_CLI" "$NS_CONC" "$NS_UP"; do
        if ns_exists "$ns"; then
            ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
            ip netns del "$ns"
        fi
    done
    echo "lab: down"
}

cmd_status() {
    if running; then echo "dpptpd: running (pid $(cat "$LAB_DIR/dpptpd.pid"))"; else echo "dpptpd: not running"; fi
    for ns in "$NS_CLI" "$NS_CONC" "$NS_UP"; do
        ns_exists "$ns" && echo "netns $ns: present" || echo "netns $ns: absent"
    done
}

case "${1:-}" in
up) cmd_up ;;
run) cmd_run ;;
down) cmd_down ;;
status) cmd_status ;;
*) echo "usage: $0 up|run|down|status" >&2; exit 2 ;;
esac
