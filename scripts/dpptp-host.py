#!/usr/bin/python3
"""Prepare a bare-metal host for dpptpd and check that it is ready.

  dpptp-host.py status
      hugepages, the NICs with their drivers and NUMA nodes, isolated CPUs
  dpptp-host.py hugepages SIZE [--pagesize 2M|1G] [--node N]
      reserve SIZE (e.g. 2G) of hugepages on each NUMA node (or on node N)
      and mount hugetlbfs (dpdk-hugepages.py --reserve --mount); nothing to
      do when that much is reserved already. Pages reserved before are never
      cleared (a host that has run for days may not get them back)
  dpptp-host.py bind PCI... [--driver vfio-pci]
      give NICs to a DPDK driver (dpdk-devbind.py); mlx5 needs none
  dpptp-host.py unbind PCI... --driver ice
      give NICs back to their kernel driver
  dpptp-host.py preflight CONFIG [--lcores LIST] [--no-huge]
      is this host ready for that configuration: devices bound, memory
      reserved, lcores present (and isolated), NUMA placement. Exit 1 with
      the reasons when not; warnings alone exit 0.
  dpptp-host.py prepare [--env FILE]
      what the systemd unit runs before dpptpd: hugepages and binding from
      /etc/default/dpptpd (DPPTPD_HUGEPAGES, DPPTPD_PCI, DPPTPD_DRIVER), then
      preflight of DPPTPD_CONFIG with DPPTPD_EAL's lcores

--dry-run (before the command: dpptp-host.py --dry-run bind ...) prints the
commands that would change the host instead of running them. DPPTP_SYSFS
(default /sys), DPPTP_CMDLINE and DPPTP_MOUNTS let the tests point the
script at a host of their own.
"""
import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys

SYSFS = os.environ.get("DPPTP_SYSFS", "/sys")
DPDK_DRIVERS = ("vfio-pci", "uio_pci_generic", "igb_uio")
BIFURCATED = ("mlx5_core", "mlx4_core")  # DPDK runs beside the kernel driver
PCI_RE = re.compile(r"^(?:([0-9a-fA-F]{4}):)?([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\.([0-7])(?:,.*)?$")
# Memory per mbuf (2 KB data room + headroom + rte_mbuf + mempool header),
# per session (docs/dataplane.md) and fixed (tables, rings, EAL), rounded up.
MBUF_BYTES = 2560
SESSION_BYTES = 722
MPPE_SESSION_BYTES = 768  # cipher state per slot when mppe.policy is not "off"
FIXED_BYTES = 160 << 20

failures = []
warnings = []
DRY = False


def fail(msg):
    failures.append(msg)
    print("FAIL  " + msg)


def warn(msg):
    warnings.append(msg)
    print("warn  " + msg)


def ok(msg):
    print("ok    " + msg)


def run(cmd):
    """Run a command that changes the host (or print it with --dry-run)."""
    print("+ " + " ".join(shlex.quote(c) for c in cmd))
    if DRY:
        return 0
    if not shutil.which(cmd[0]):
        sys.exit("dpptp-host: %s not found (%s)" % (
            cmd[0], "install Debian's package dpdk" if cmd[0].startswith("dpdk-")
            else "is it on PATH?"))
    r = subprocess.run(cmd)
    if r.returncode != 0:
        sys.exit("dpptp-host: %s failed (exit %d)" % (cmd[0], r.returncode))
    return 0


def sysfs(*parts):
    return os.path.join(SYSFS, *parts)


def read(path, default=None):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return default


def pci_addr(device):
    """The full PCI address of a port's device string, or None for a vdev."""
    m = PCI_RE.match(device)
    if not m:
        return None
    dom = m.group(1) or "0000"
    return ("%s:%s:%s.%s" % (dom, m.group(2), m.group(3), m.group(4))).lower()


def pci_driver(addr):
    link = sysfs("bus/pci/devices", addr, "driver")
    return os.path.basename(os.readlink(link)) if os.path.islink(link) else None


def pci_numa(addr):
    v = read(sysfs("bus/pci/devices", addr, "numa_node"), "-1")
    return int(v) if v.lstrip("-").isdigit() else -1


def cpu_list(text):
    """'0-3,8,10-11' -> {0,1,2,3,8,10,11}"""
    out = set()
    for part in filter(None, (text or "").split(",")):
        if "-" in part:
            a, b = part.split("-", 1)
            out.update(range(int(a), int(b) + 1))
        else:
            out.add(int(part))
    return out


def cpu_node(cpu):
    for entry in os.listdir(sysfs("devices/system/cpu", "cpu%d" % cpu)) \
            if os.path.isdir(sysfs("devices/system/cpu", "cpu%d" % cpu)) else []:
        if entry.startswith("node") and entry[4:].isdigit():
            return int(entry[4:])
    return -1


def kernel_cpu_list(text):
    """The kernel's cpu-list syntax, groups included: '1-7:2/4' -> {1, 2, 5, 6}."""
    out = set()
    for part in filter(None, (text or "").split(",")):
        m = re.match(r"^(\d+)-(\d+):(\d+)/(\d+)$", part)
        if m:
            a, b, used, group = map(int, m.groups())
            out.update(c for c in range(a, b + 1) if (c - a) % group < used)
        elif re.match(r"^\d+(-\d+)?$", part):
            out |= cpu_list(part)
    return out


def isolated_cpus():
    """CPUs the scheduler keeps away from: isolcpus= (with or without its
    flags) and nohz_full=, from sysfs and the kernel command line."""
    iso = kernel_cpu_list(read(sysfs("devices/system/cpu/isolated"), ""))
    iso |= kernel_cpu_list(read(sysfs("devices/system/cpu/nohz_full"), ""))
    cmdline = read(os.environ.get("DPPTP_CMDLINE", "/proc/cmdline"), "") or ""
    for key in ("isolcpus", "nohz_full"):
        m = re.search(r"\b%s=(\S+)" % key, cmdline)
        if m:
            # isolcpus=[flag,...,]list: the flags are words, the list is digits.
            cpus = ",".join(p for p in m.group(1).split(",") if p[:1].isdigit())
            iso |= kernel_cpu_list(cpus)
    return iso


def hugepages():
    """{(node, size_kb): (total, free)} from sysfs."""
    out = {}
    base = sysfs("devices/system/node")
    nodes = sorted(d for d in os.listdir(base) if re.match(r"node\d+$", d)) \
        if os.path.isdir(base) else []
    for n in nodes:
        hp = os.path.join(base, n, "hugepages")
        for d in sorted(os.listdir(hp)) if os.path.isdir(hp) else []:
            kb = int(re.match(r"hugepages-(\d+)kB", d).group(1))
            total = int(read(os.path.join(hp, d, "nr_hugepages"), "0"))
            free = int(read(os.path.join(hp, d, "free_hugepages"), "0"))
            out[(int(n[4:]), kb)] = (total, free)
    return out


def hugetlbfs_mounted():
    mounts = read(os.environ.get("DPPTP_MOUNTS", "/proc/mounts"), "") or ""
    return any(l.split()[2:3] == ["hugetlbfs"] for l in mounts.splitlines() if l.split())


def effective_config(path, dpptpd):
    """The configuration with every default resolved (dpptpd --check-config)."""
    if not dpptpd:
        fail("no dpptpd to validate %s with (not on PATH, not in build/): give --dpptpd" % path)
        return None
    r = subprocess.run([dpptpd, "--check-config", path], capture_output=True, text=True)
    if r.returncode != 0:
        fail("%s does not validate: %s" % (path, r.stderr.strip()))
        return None
    return json.loads(r.stdout)


def find_dpptpd(given):
    if given:
        return given if os.access(given, os.X_OK) else None
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for p in (shutil.which("dpptpd"), os.path.join(here, "build/app/dpptpd/dpptpd")):
        if p and os.access(p, os.X_OK):
            return p
    return None


# ---- commands ----

def cmd_status(_):
    print("hugepages:")
    hp = hugepages()
    if not hp:
        print("  none configured")
    for (node, kb), (total, free) in sorted(hp.items()):
        print("  node %d, %d kB pages: %d reserved, %d free" % (node, kb, total, free))
    print("  hugetlbfs %s" % ("mounted" if hugetlbfs_mounted() else "NOT mounted"))
    print("network devices:")
    base = sysfs("bus/pci/devices")
    for addr in sorted(os.listdir(base)) if os.path.isdir(base) else []:
        cls = read(os.path.join(base, addr, "class"), "")
        if not cls.startswith("0x0200"):  # Ethernet controllers only
            continue
        drv = pci_driver(addr) or "-"
        kind = "DPDK" if drv in DPDK_DRIVERS else "bifurcated" if drv in BIFURCATED else "kernel"
        print("  %s  driver %-14s (%s)  NUMA node %d" % (addr, drv, kind, pci_numa(addr)))
    iso = isolated_cpus()
    print("isolated CPUs: %s" % (",".join(map(str, sorted(iso))) or "none"))
    return 0


def size_bytes(text):
    m = re.match(r"^(\d+)([KMG]?)B?$", text.strip().upper())
    if not m:
        sys.exit("dpptp-host: %s is not a size (e.g. 2G, 1536M)" % text)
    return int(m.group(1)) << {"": 0, "K": 10, "M": 20, "G": 30}[m.group(2)]


def cmd_hugepages(a):
    want, kb = size_bytes(a.size), size_bytes(a.pagesize) >> 10
    per_node = {node: total * kb * 1024 for (node, k), (total, _) in hugepages().items()
                if k == kb}
    if a.node is not None:
        have = per_node.get(a.node, 0)
    else:
        have = min(per_node.values()) if per_node else 0
    if have >= want and hugetlbfs_mounted():
        print("hugepages: %d MB of %s pages reserved %s already, hugetlbfs mounted: nothing "
              "to do" % (have >> 20, a.pagesize,
                         "on node %d" % a.node if a.node is not None else "on each node"))
        return 0
    # --reserve and --mount, never --setup: that clears every reservation
    # first, and a fragmented host may not get its pages back.
    cmd = ["dpdk-hugepages.py", "--pagesize", a.pagesize, "--reserve", a.size, "--mount"]
    if a.node is not None:
        cmd += ["--node", str(a.node)]
    return run(cmd)


def cmd_bind(a):
    for addr in a.pci:
        full = pci_addr(addr)
        if not full:
            sys.exit("dpptp-host: %s is not a PCI address (dddd:bb:dd.f)" % addr)
        drv = pci_driver(full)
        if drv in BIFURCATED:
            print("%s: %s is bifurcated: DPDK uses it as it is; not rebinding" % (full, drv))
            continue
        if drv == a.driver:
            print("%s: already bound to %s" % (full, drv))
            continue
        groups = sysfs("kernel/iommu_groups")
        if a.driver == "vfio-pci" and not (os.path.isdir(groups) and os.listdir(groups)):
            print("%s: no IOMMU groups on this host: vfio-pci needs intel_iommu=on (or "
                  "amd_iommu=on) on the kernel command line" % full)
        run(["modprobe", a.driver])
        run(["dpdk-devbind.py", "--bind", a.driver, full])
    return 0


def cmd_unbind(a):
    for addr in a.pci:
        full = pci_addr(addr)
        if not full:
            sys.exit("dpptp-host: %s is not a PCI address" % addr)
        run(["dpdk-devbind.py", "--bind", a.driver, full])
    return 0


def preflight(config, dpptpd, eal, no_huge):
    """eal: EAL's lcore arguments as eal_lcores() reads them, or None."""
    cfg = effective_config(config, dpptpd)
    if cfg is None:
        return 1
    ok("%s is valid" % config)
    # Ports.
    port_nodes = {}
    for p in cfg["ports"]:
        addr = pci_addr(p["device"])
        if addr is None:
            ok("port %s: %s is a virtual device" % (p["name"], p["device"].split(",")[0]))
            continue
        if not os.path.isdir(sysfs("bus/pci/devices", addr)):
            fail("port %s: no PCI device %s on this host" % (p["name"], addr))
            continue
        drv = pci_driver(addr)
        if drv in DPDK_DRIVERS or drv in BIFURCATED:
            ok("port %s: %s bound to %s" % (p["name"], addr, drv))
        else:
            fail("port %s: %s is bound to %s, not to a DPDK driver: dpptp-host.py bind %s"
                 % (p["name"], addr, drv or "nothing", addr))
        port_nodes[p["name"]] = pci_numa(addr)
    # Lcores: the configuration's, in EAL's list, the control one EAL's main
    # lcore; the CPUs they run on online and (workers) isolated.
    want = [cfg["lcores"]["control"]] + list(cfg["lcores"]["workers"])
    cpus_of = {c: {c} for c in want}
    if eal is None:
        warn("no EAL lcore list to check against (give --lcores, or -l/--lcores in "
             "DPPTPD_EAL): EAL's main lcore must be %d and the workers %s in its list"
             % (want[0], ",".join(map(str, want[1:]))))
    else:
        mapping, main = eal
        missing = [c for c in want if c not in mapping]
        if missing:
            fail("EAL's lcores %s lack lcore(s) %s the configuration uses"
                 % (",".join(map(str, sorted(mapping))), ",".join(map(str, missing))))
        else:
            ok("EAL lcores include control %d and workers %s"
               % (want[0], ",".join(map(str, want[1:]))))
        if main != want[0]:
            fail("EAL's main lcore would be %d, but lcores.control is %d: give EAL "
                 "--main-lcore %d" % (main, want[0], want[0]))
        for c in want:
            cpus_of[c] = mapping.get(c, {c})
    online = cpu_list(read(sysfs("devices/system/cpu/online"), ""))
    for c in want:
        off = [cpu for cpu in sorted(cpus_of[c]) if online and cpu not in online]
        if off:
            fail("lcore %d runs on CPU(s) %s, not online (online: %s)" % (
                c, ",".join(map(str, off)), read(sysfs("devices/system/cpu/online"))))
    iso = isolated_cpus()
    busy = [c for c in want[1:] if not cpus_of[c] <= iso]
    if busy:
        warn("worker lcore(s) %s not isolated (isolcpus=/nohz_full= on the kernel command "
             "line keep the scheduler off them)" % ",".join(map(str, busy)))
    else:
        ok("worker lcores isolated")
    # NUMA: workers on the node of the ports they poll.
    for name, node in port_nodes.items():
        if node < 0:
            continue
        far = [c for c in want[1:]
               if any(cpu_node(cpu) not in (-1, node) for cpu in cpus_of[c])]
        if far:
            warn("port %s is on NUMA node %d but worker lcore(s) %s are not"
                 % (name, node, ",".join(map(str, far))))
    # Memory.
    dp = cfg["dataplane"]
    per_session = SESSION_BYTES + (MPPE_SESSION_BYTES if cfg["mppe"]["policy"] != "off" else 0)
    nw = len(cfg["lcores"]["workers"])
    rings = dp["ring_size"] * 8 * (3 + nw) * nw  # up, down, capture, hand-off rings per worker
    need = (dp["mbufs"] * MBUF_BYTES + dp["max_sessions"] * per_session + rings +
            FIXED_BYTES)
    if no_huge:
        ok("--no-huge: %d MB of ordinary memory needed (EAL -m)" % (need >> 20))
    else:
        # The mbuf pool and the tables are allocated on the main (control)
        # lcore's NUMA node: its free pages are what counts.
        node = min((cpu_node(c) for c in cpus_of[want[0]]), default=-1)
        free = sum(f * kb * 1024 for (n, kb), (_, f) in hugepages().items()
                   if node < 0 or n == node)
        if not hugetlbfs_mounted():
            fail("hugetlbfs is not mounted: dpptp-host.py hugepages %dM" % ((need >> 20) + 1))
        if free < need:
            fail("%d MB of free hugepages, about %d MB needed (%d mbufs, %d sessions): "
                 "dpptp-host.py hugepages %dM" % (free >> 20, need >> 20, dp["mbufs"],
                                                  dp["max_sessions"], (need >> 20) + 1))
        else:
            ok("%d MB of free hugepages%s for about %d MB needed" % (
                free >> 20, " on node %d" % node if node >= 0 else "", need >> 20))
    print("preflight: %d failure(s), %d warning(s)" % (len(failures), len(warnings)))
    return 1 if failures else 0


def split_top(text):
    """Split at the commas outside parentheses: '(0,1)@0,2' -> ['(0,1)@0', '2']."""
    out, depth, cur = [], 0, ""
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    return out + [cur] if cur else out


def lcores_map(text):
    """EAL's --lcores syntax: {lcore: {cpu, ...}}. '1-3' runs lcore n on CPU n;
    '(2-7)@(2-7)' and '1@5' name the CPUs."""
    mapping = {}
    for el in split_top(text):
        lc, _, cpus = el.partition("@")
        lcs = cpu_list(lc.strip("()"))
        on = cpu_list(cpus.strip("()")) if cpus else None
        for l in lcs:
            mapping[l] = set(on) if on is not None else {l}
    return mapping


def eal_lcores(eal):
    """From EAL's arguments: ({lcore: {cpu}}, main lcore), or None when they
    name no lcores (-l, --lcores, -c; with or without '=')."""
    args = shlex.split(eal or "")
    mapping, main = None, None
    i = 0
    while i < len(args):
        a, val = args[i], None
        for opt in ("-l", "--lcores", "-c", "--main-lcore"):
            if a == opt and i + 1 < len(args):
                val = args[i + 1]
                i += 1
            elif a.startswith(opt + "=") or (opt in ("-l", "-c") and a.startswith(opt)
                                             and len(a) > 2 and not a.startswith("--")):
                val = a[len(opt) + 1:] if a.startswith(opt + "=") else a[len(opt):]
            if val is not None:
                try:
                    if opt == "-c":
                        mask = int(val, 16)
                        mapping = {b: {b} for b in range(mask.bit_length()) if mask >> b & 1}
                    elif opt == "--main-lcore":
                        main = int(val)
                    else:
                        mapping = lcores_map(val)
                except ValueError:
                    sys.exit("dpptp-host: cannot read EAL's %s %s" % (opt, val))
                break
        i += 1
    if mapping is None:
        return None
    return mapping, main if main is not None else min(mapping) if mapping else -1


def cmd_preflight(a):
    eal = a.eal if a.eal else "-l " + a.lcores if a.lcores else None
    return preflight(a.config, find_dpptpd(a.dpptpd), eal_lcores(eal) if eal else None,
                     a.no_huge)


ENV_KEYS = ("DPPTPD_CONFIG", "DPPTPD_EAL", "DPPTPD_HUGEPAGES", "DPPTPD_HUGEPAGE_SIZE",
            "DPPTPD_PCI", "DPPTPD_DRIVER")


def read_env(path):
    """The host settings: from the environment (systemd passes the unit's
    EnvironmentFile= and Environment=, drop-ins included), else from the file
    (systemd's syntax: KEY=value, quotes allowed, comments on lines of their
    own)."""
    env = {}
    for n, line in enumerate((read(path, "") or "").splitlines(), 1):
        line = line.strip()
        if not line or line[0] in "#;" or "=" not in line:
            continue
        k, v = line.split("=", 1)
        try:
            env[k.strip()] = " ".join(shlex.split(v)) if v.strip() else ""
        except ValueError as e:
            sys.exit("dpptp-host: %s:%d: %s (%s)" % (path, n, line, e))
    for k in ENV_KEYS:
        if k in os.environ:
            env[k] = os.environ[k]
    return env


def cmd_prepare(a):
    env = read_env(a.env)
    eal = env.get("DPPTPD_EAL", "")
    if env.get("DPPTPD_HUGEPAGES") and "--no-huge" not in eal:
        cmd_hugepages(argparse.Namespace(size=env["DPPTPD_HUGEPAGES"],
                                         pagesize=env.get("DPPTPD_HUGEPAGE_SIZE") or "2M",
                                         node=None))
    if env.get("DPPTPD_PCI"):
        cmd_bind(argparse.Namespace(pci=env["DPPTPD_PCI"].split(),
                                    driver=env.get("DPPTPD_DRIVER") or "vfio-pci"))
    config = env.get("DPPTPD_CONFIG") or "/etc/dpptp/dpptpd.json"
    return preflight(config, find_dpptpd(a.dpptpd), eal_lcores(eal), "--no-huge" in eal)


def main():
    global DRY
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dry-run", action="store_true", help="print, do not change the host")
    ap.add_argument("--dpptpd", help="the dpptpd binary (default: PATH, then build/)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("status").set_defaults(fn=cmd_status)
    p = sub.add_parser("hugepages")
    p.add_argument("size", help="e.g. 2G, 1536M")
    p.add_argument("--pagesize", default="2M")
    p.add_argument("--node", type=int)
    p.set_defaults(fn=cmd_hugepages)
    p = sub.add_parser("bind")
    p.add_argument("pci", nargs="+")
    p.add_argument("--driver", default="vfio-pci", choices=DPDK_DRIVERS)
    p.set_defaults(fn=cmd_bind)
    p = sub.add_parser("unbind")
    p.add_argument("pci", nargs="+")
    p.add_argument("--driver", required=True, help="the kernel driver, e.g. ice, i40e, ixgbe")
    p.set_defaults(fn=cmd_unbind)
    p = sub.add_parser("preflight")
    p.add_argument("config")
    p.add_argument("--lcores", help="EAL's -l list, to check it covers the configuration's")
    p.add_argument("--eal", help="EAL's arguments as dpptpd gets them, as --eal=\"...\" "
                                 "(-l/--lcores/-c, "
                                 "--main-lcore), instead of --lcores")
    p.add_argument("--no-huge", action="store_true", help="dpptpd runs with EAL --no-huge")
    p.set_defaults(fn=cmd_preflight)
    p = sub.add_parser("prepare")
    p.add_argument("--env", default="/etc/default/dpptpd")
    p.set_defaults(fn=cmd_prepare)
    a = ap.parse_args()
    DRY = a.dry_run
    return a.fn(a)


if __name__ == "__main__":
    sys.exit(main())
