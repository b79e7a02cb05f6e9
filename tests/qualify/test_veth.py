#!/usr/bin/python3
"""dpptp-qualify over veth pairs, in network namespaces this test makes.

Usage: test_veth.py DPPTP_QUALIFY pass|gre-drop|gre1-drop   (root; 77 = skipped)

    namespace dpptp-qual-a (the tool)         namespace dpptp-qual-b (the wire)
    dpptp-qual-tx  (net_af_packet, TX) ----- dpptp-qual-txw -+
                                                             dpptp-qual-br (bridge)
    dpptp-qual-rx  (net_af_packet, RX,  ---- dpptp-qual-rxw -+  <- tc rule here
                    qpairs=4: fanout)

One process drives both ports, so both af_packet ends sit in one namespace
(an af_packet socket binds in its process's namespace); the other namespace
is the cable, a bridge, and holds the rule that drops GRE on the receiving
side's link:

  tc filter add dev dpptp-qual-rxw egress protocol ip u32 match ip protocol 47 0xff
     action mirred egress redirect dev dpptp-qual-nul    (an ifb left down: a drop)

Why not on dpptp-qual-rx's ingress: packet sockets (af_packet, tcpdump) get
their copy before the tc ingress and netfilter hooks run, so a drop there is
invisible to the tool (checked: the rule counts the packets, the tool still
receives them). Why tc with u32 + mirred: Debian 12 has no nft or iptables
binary unless nftables/iptables is installed, and gact/flower may be missing
from a kernel, u32 and mirred rarely are.

  pass       no rule: exit 0, every class complete and intact, tshark finds
             no malformed frame in either capture, RX queues spread.
  gre-drop   drop IP protocol 47: exit 1, every GRE class lost (v1 and v0),
             TCP 1723 and UDP intact, the report names the lost classes.
  gre1-drop  drop GRE version 1 only (document 000's E810): exit 1, gre0 and
             the controls intact, the diagnosis says "version 1".
"""
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

NS_A = "dpptp-qual-a"
NS_B = "dpptp-qual-b"
GRE1 = ["gre1-seq", "gre1-seq-ack", "gre1-ack-only", "gre1-lcp", "gre1-acfc-pfc",
        "gre1-odd-len", "gre1-call-ids", "gre1-sources"]
CONTROLS = ["ipv4-udp", "tcp-1723"]
COUNT = 256


def sh(*args, check=True):
    r = subprocess.run(list(args), capture_output=True, text=True)
    if check and r.returncode != 0:
        raise RuntimeError("%s: %s%s" % (" ".join(args), r.stdout, r.stderr))
    return r


def ns_exists(ns):
    return ns in sh("ip", "netns", "list").stdout.split()


def down():
    for ns in (NS_A, NS_B):
        if ns_exists(ns):
            sh("ip", "netns", "del", ns, check=False)


def up():
    down()
    for ns in (NS_A, NS_B):
        sh("ip", "netns", "add", ns)
        sh("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
           "net.ipv6.conf.default.disable_ipv6=1")
    sh("ip", "-n", NS_A, "link", "add", "dpptp-qual-tx", "type", "veth", "peer", "name",
       "dpptp-qual-txw", "netns", NS_B)
    sh("ip", "-n", NS_A, "link", "add", "dpptp-qual-rx", "type", "veth", "peer", "name",
       "dpptp-qual-rxw", "netns", NS_B)
    sh("ip", "-n", NS_B, "link", "add", "dpptp-qual-br", "type", "bridge")
    sh("ip", "-n", NS_B, "link", "add", "dpptp-qual-nul", "type", "ifb")  # stays down
    # A bridge that calls iptables trims the Ethernet padding of what it forwards
    # (br_netfilter): the tool would rightly call that mangling. A cable does not.
    if os.path.exists("/proc/sys/net/bridge"):
        sh("ip", "netns", "exec", NS_B, "sysctl", "-qw", "net.bridge.bridge-nf-call-iptables=0",
           "net.bridge.bridge-nf-call-ip6tables=0", "net.bridge.bridge-nf-call-arptables=0",
           check=False)
    for ifc in ("dpptp-qual-txw", "dpptp-qual-rxw"):
        sh("ip", "-n", NS_B, "link", "set", ifc, "master", "dpptp-qual-br")
    # Checksums as sent, no offload games (as scripts/lab.sh does).
    for ns, ifc in ((NS_A, "dpptp-qual-tx"), (NS_A, "dpptp-qual-rx"),
                    (NS_B, "dpptp-qual-txw"), (NS_B, "dpptp-qual-rxw")):
        sh("ip", "netns", "exec", ns, "ethtool", "-K", ifc, "tx", "off", "rx", "off",
           check=False)
        sh("ip", "-n", ns, "link", "set", ifc, "up")
    sh("ip", "-n", NS_B, "link", "set", "dpptp-qual-br", "up")
    # Frames sent before the bridge ports forward would count as lost.
    end = time.monotonic() + 10
    while time.monotonic() < end:
        states = [sh("ip", "netns", "exec", NS_B, "cat",
                     "/sys/class/net/%s/brport/state" % i, check=False).stdout.strip()
                  for i in ("dpptp-qual-txw", "dpptp-qual-rxw")]
        if states == ["3", "3"]:  # BR_STATE_FORWARDING
            return
        time.sleep(0.1)
    raise RuntimeError("bridge ports not forwarding: %s" % states)


def drop_rule(match):
    sh("ip", "netns", "exec", NS_B, "tc", "qdisc", "add", "dev", "dpptp-qual-rxw", "clsact")
    sh("ip", "netns", "exec", NS_B, "tc", "filter", "add", "dev", "dpptp-qual-rxw", "egress",
       "protocol", "ip", "u32", *match, "action", "mirred", "egress", "redirect", "dev",
       "dpptp-qual-nul")


def rule_hits():
    out = sh("ip", "netns", "exec", NS_B, "tc", "-s", "filter", "show", "dev", "dpptp-qual-rxw",
             "egress").stdout
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("Sent "):
            return int(line.split()[3])
    return 0


def qualify(tool, capdir, json_out):
    args = ["ip", "netns", "exec", NS_A, tool, "--no-huge", "-m", "512", "--no-pci",
            "--no-shconf", "--file-prefix=dpptp-qual-%d" % os.getpid(), "--no-telemetry", "--log-level=lib.eal:error", "--",
            "--tx-port", "net_af_packet0,iface=dpptp-qual-tx",
            "--rx-port", "net_af_packet1,iface=dpptp-qual-rx,qpairs=4",
            "--count", str(COUNT), "--pcap-dir", capdir, "--timeout", "1", "--link-wait", "5"]
    if json_out:
        args.append("--json")
    r = subprocess.run(args, capture_output=True, text=True, timeout=120)
    print(r.stdout)
    print(r.stderr, file=sys.stderr)
    return r


def tshark_problems(path):
    if not shutil.which("tshark"):
        return []
    r = sh("tshark", "-r", path, "-n", "-o", "ip.check_checksum:TRUE",
           "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
           "-Y", "_ws.malformed || _ws.expert.severity >= warning", check=False)
    return [line for line in r.stdout.splitlines() if line.strip()]


def tshark_count(path, flt):
    r = sh("tshark", "-r", path, "-n", "-Y", flt, check=False)
    return len([line for line in r.stdout.splitlines() if line.strip()])


def check(cond, what):
    if not cond:
        raise AssertionError(what)
    print("ok:", what)


def scenario_pass(tool, capdir):
    r = qualify(tool, capdir, True)
    check(r.returncode == 0, "exit 0 (got %d)" % r.returncode)
    rep = json.loads(r.stdout)
    check(rep["pass"], "report passes")
    for c in rep["classes"]:
        check(c["sent"] == COUNT and c["received"] == COUNT and c["intact"] == COUNT
              and c["mangled"] == 0 and c["duplicated"] == 0, "%s complete and intact" % c["name"])
    used = sum(1 for q in range(4) if sum(c["rx_queues"][q] for c in rep["classes"]))
    check(used > 1, "frames spread over %d of 4 RX queues" % used)
    for side in ("tx", "rx"):
        path = rep["captures"][side]
        check(os.path.getsize(path) > 0, "capture %s written" % path)
        bad = tshark_problems(path)
        check(not bad, "tshark: no malformed frame in %s %s" % (side, bad[:3]))
    if shutil.which("tshark"):
        rx = rep["captures"]["rx"]
        check(tshark_count(rx, "gre.proto == 0x880b") == 8 * COUNT, "tshark: 8 x GRE v1 classes")
        check(tshark_count(rx, "lcp.opt.magic_number") == COUNT, "tshark: LCP Configure-Requests")
        check(tshark_count(rx, "pptp.control_message_type == 5") == COUNT, "tshark: PPTP Echo-Requests on 1723")


def scenario_drop(tool, capdir, gre1_only):
    if gre1_only:
        # Version 1 in the GRE header's low bits (IPv4 header of 20 bytes).
        drop_rule(["match", "ip", "protocol", "47", "0xff", "match", "u16", "0x0001", "0x0007",
                   "at", "20"])
    else:
        drop_rule(["match", "ip", "protocol", "47", "0xff"])
    r = qualify(tool, capdir, False)
    check(r.returncode == 1, "exit 1 (got %d)" % r.returncode)
    result = [l for l in r.stdout.splitlines() if l.startswith("RESULT")]
    check(result and result[0].startswith("RESULT FAIL lost=" + ",".join(GRE1)),
          "the report names the GRE v1 classes as lost: %s" % result)
    hits = rule_hits()
    check(hits >= (8 if gre1_only else 9) * COUNT, "the rule dropped %d frames" % hits)
    r = qualify(tool, capdir, True)
    check(r.returncode == 1, "exit 1 with --json too")
    rep = json.loads(r.stdout)
    cls = {c["name"]: c for c in rep["classes"]}
    for name in GRE1:
        check(cls[name]["received"] == 0 and cls[name]["lost"] == COUNT, "%s lost" % name)
    for name in CONTROLS:
        check(cls[name]["pass"] and cls[name]["received"] == COUNT, "%s intact" % name)
    check(sorted(rep["failed_classes"]) == sorted(GRE1), "failed classes: GRE v1 only")
    check(("lost " + ",".join(GRE1)) in r.stderr, "stderr names the lost classes")
    if gre1_only:
        check(cls["gre0"]["pass"], "plain GRE passes")
        check("version 1" in rep["diagnosis"], "diagnosis: GRE version 1")
    else:
        check(cls["gre0"]["received"] == 0, "plain GRE lost too")
        check("IP protocol 47" in rep["diagnosis"], "diagnosis: IP protocol 47")


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in ("pass", "gre-drop", "gre1-drop"):
        print(__doc__)
        return 2
    if os.geteuid() != 0:
        print("skipped: needs root (network namespaces)")
        return 77
    for prog in ("ip", "tc", "ethtool"):
        if not shutil.which(prog):
            print("skipped: no %s" % prog)
            return 77
    tool, what = sys.argv[1], sys.argv[2]
    # build and build-asan may run this at the same time: one at a time.
    lock = open("/tmp/dpptp-qualify-veth.lock", "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    capdir = tempfile.mkdtemp(prefix="dpptp-qual-")
    try:
        up()
        if what == "pass":
            scenario_pass(tool, capdir)
        else:
            scenario_drop(tool, capdir, what == "gre1-drop")
    finally:
        down()
        shutil.rmtree(capdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
