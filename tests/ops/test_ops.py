#!/usr/bin/python3
"""The operator's tooling: dpptp-host.py against a fake host (a sysfs tree,
a kernel command line and a mount table of the test's own), and the systemd
unit as `meson install` writes it, checked by systemd-analyze.

Usage: test_ops.py BUILD_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HOST = os.path.join(ROOT, "scripts", "dpptp-host.py")
BUILD = None
ACCESS, UPLINK = "0000:3b:00.0", "0000:3b:00.1"  # configs/e810-example.json's ports


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


class FakeHost:
    """An 8-CPU, one-node host with the E810 example's two ports."""

    def __init__(self, base, driver="vfio-pci", free_pages=2048, mounted=True,
                 isolcpus="1-7", numa=0):
        self.base = base
        self.sys = os.path.join(base, "sys")
        write(os.path.join(self.sys, "devices/system/cpu/online"), "0-7\n")
        for c in range(8):
            os.makedirs(os.path.join(self.sys, "devices/system/cpu/cpu%d/node0" % c),
                        exist_ok=True)
        hp = os.path.join(self.sys, "devices/system/node/node0/hugepages/hugepages-2048kB")
        write(os.path.join(hp, "nr_hugepages"), "%d\n" % free_pages)
        write(os.path.join(hp, "free_hugepages"), "%d\n" % free_pages)
        os.makedirs(os.path.join(self.sys, "kernel/iommu_groups/12"), exist_ok=True)
        for d in ("vfio-pci", "ice"):
            os.makedirs(os.path.join(self.sys, "bus/pci/drivers", d), exist_ok=True)
        for addr in (ACCESS, UPLINK):
            dev = os.path.join(self.sys, "bus/pci/devices", addr)
            write(os.path.join(dev, "class"), "0x020000\n")
            write(os.path.join(dev, "numa_node"), "%d\n" % numa)
            os.symlink(os.path.join(self.sys, "bus/pci/drivers", driver),
                       os.path.join(dev, "driver"))
        self.cmdline = os.path.join(base, "cmdline")
        write(self.cmdline, "BOOT_IMAGE=/vmlinuz ro quiet" +
              (" isolcpus=%s" % isolcpus if isolcpus else "") + "\n")
        self.mounts = os.path.join(base, "mounts")
        write(self.mounts, "proc /proc proc rw 0 0\n" +
              ("nodev /dev/hugepages hugetlbfs rw,relatime,pagesize=2M 0 0\n" if mounted else ""))

    def run(self, *args, env=None, dpptpd=None):
        e = dict(os.environ, DPPTP_SYSFS=self.sys, DPPTP_CMDLINE=self.cmdline,
                 DPPTP_MOUNTS=self.mounts)
        for k in list(e):
            if k.startswith("DPPTPD_"):
                del e[k]
        e.update(env or {})
        r = subprocess.run(["/usr/bin/python3", HOST, "--dpptpd",
                            dpptpd or os.path.join(BUILD, "app/dpptpd/dpptpd")] + list(args),
                           capture_output=True, text=True, env=e, timeout=60)
        return r.returncode, r.stdout + r.stderr


def stub_tools(base):
    """dpdk-devbind.py, dpdk-hugepages.py and modprobe that only write down
    how they were called: (PATH with them first, the log)."""
    bindir, log = os.path.join(base, "bin"), os.path.join(base, "calls.log")
    os.makedirs(bindir, exist_ok=True)
    for tool in ("dpdk-devbind.py", "dpdk-hugepages.py", "modprobe"):
        path = os.path.join(bindir, tool)
        write(path, '#!/bin/sh\necho "%s $*" >> "%s"\n' % (tool, log))
        os.chmod(path, 0o755)
    return bindir + ":" + os.environ.get("PATH", ""), log


def example_with_secrets(tmp):
    """configs/e810-example.json, its secrets file pointed at one that exists."""
    import json
    with open(os.path.join(ROOT, "configs/e810-example.json")) as f:
        cfg = json.load(f)
    cfg["ppp"]["secrets_file"] = os.path.join(ROOT, "configs/lab-chap-secrets")
    path = os.path.join(tmp, "dpptpd.json")
    with open(path, "w") as f:
        json.dump(cfg, f)
    return path


class HostTool(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="dpptp-ops-")
        self.addCleanup(shutil.rmtree, self.tmp)
        self.cfg = example_with_secrets(self.tmp)

    def host(self, **kw):
        return FakeHost(tempfile.mkdtemp(prefix="host-", dir=self.tmp), **kw)

    def test_ready_host_passes(self):
        rc, out = self.host().run("preflight", self.cfg, "--lcores", "1-7")
        self.assertEqual(rc, 0, out)
        self.assertIn("port access: %s bound to vfio-pci" % ACCESS, out)
        self.assertIn("worker lcores isolated", out)
        self.assertIn("0 failure(s), 0 warning(s)", out)

    def test_kernel_driver_fails_with_the_fix(self):
        rc, out = self.host(driver="ice").run("preflight", self.cfg, "--lcores", "1-7")
        self.assertEqual(rc, 1, out)
        self.assertIn("is bound to ice, not to a DPDK driver: dpptp-host.py bind %s" % ACCESS, out)

    def test_memory_and_mount(self):
        # 64 x 2 MB is far below the E810 example's mbufs and 131,072 sessions
        # with MPPE state (1,490 bytes a slot).
        rc, out = self.host(free_pages=64, mounted=False).run("preflight", self.cfg)
        self.assertEqual(rc, 1, out)
        self.assertIn("hugetlbfs is not mounted", out)
        self.assertIn("128 MB of free hugepages", out)
        rc, out = self.host().run("preflight", self.cfg, "--no-huge")
        self.assertEqual(rc, 0, out)

    def test_lcores_and_isolation(self):
        rc, out = self.host(isolcpus="").run("preflight", self.cfg, "--lcores", "1-4")
        self.assertEqual(rc, 1, out)
        self.assertIn("lack lcore(s) 5,6,7", out)
        self.assertIn("not isolated", out)

    def test_numa_placement_warns(self):
        rc, out = self.host(numa=1).run("preflight", self.cfg, "--lcores", "1-7")
        self.assertEqual(rc, 0, out)  # a warning, not a failure
        self.assertIn("is on NUMA node 1 but worker lcore(s)", out)

    def test_bad_config_names_the_path(self):
        bad = os.path.join(self.tmp, "bad.json")
        write(bad, '{"ports": 3}')
        rc, out = self.host().run("preflight", bad)
        self.assertEqual(rc, 1, out)
        self.assertIn("$.ports", out)

    def test_dry_run_changes_nothing(self):
        h = self.host(driver="ice", free_pages=512)
        path, log = stub_tools(self.tmp)
        rc, out = h.run("--dry-run", "bind", ACCESS, env={"PATH": path})
        self.assertEqual(rc, 0, out)
        self.assertIn("+ dpdk-devbind.py --bind vfio-pci %s" % ACCESS, out)
        rc, out = h.run("--dry-run", "bind", "3b:00.9x")
        self.assertNotEqual(rc, 0, out)
        self.assertIn("not a PCI address", out)
        env = os.path.join(self.tmp, "default")
        write(env, '# the host\nDPPTPD_CONFIG=%s\nDPPTPD_EAL="-l 1-7 -a %s"\n'
              'DPPTPD_HUGEPAGES=4G\nDPPTPD_PCI="%s %s"\n' % (self.cfg, ACCESS, ACCESS, UPLINK))
        rc, out = h.run("--dry-run", "prepare", "--env", env, env={"PATH": path})
        # Reserve and mount, never --setup (it would clear every reservation first).
        self.assertIn("+ dpdk-hugepages.py --pagesize 2M --reserve 4G --mount", out)
        self.assertNotIn("--setup", out)
        self.assertIn("+ dpdk-devbind.py --bind vfio-pci %s" % UPLINK, out)
        # Preflight still sees the fake host as it is: the ports on ice.
        self.assertEqual(rc, 1, out)
        self.assertIn("is bound to ice", out)
        self.assertFalse(os.path.exists(log), "a tool ran under --dry-run")
        # For real (the stubs): the same commands, run.
        rc, out = h.run("hugepages", "4G", env={"PATH": path})
        self.assertEqual(rc, 0, out)
        with open(log) as f:
            self.assertEqual(f.read(), "dpdk-hugepages.py --pagesize 2M --reserve 4G --mount\n")
        # Enough reserved and mounted already: nothing is run.
        rc, out = self.host().run("hugepages", "2G", env={"PATH": path})
        self.assertIn("nothing to do", out)

    def test_missing_tools_named(self):
        rc, out = self.host(driver="ice").run("bind", ACCESS, env={"PATH": "/nonexistent"})
        self.assertNotEqual(rc, 0)
        self.assertIn("not found", out)
        self.assertNotIn("Traceback", out)

    def test_eal_lcore_forms(self):
        h = self.host()
        for eal in ("-l 1-7", "-l1-7", "--lcores=1@1,(2-7)@(2-7)", "--lcores 1-7", "-c 0xfe",
                    "-l 0-7 --main-lcore 1", "-l 0-7 --main-lcore=1"):
            rc, out = h.run("preflight", self.cfg, "--eal=" + eal)
            self.assertEqual(rc, 0, "%s: %s" % (eal, out))
            self.assertIn("EAL lcores include control 1", out)
        # The lowest lcore is EAL's main lcore: 0 is not the control lcore 1.
        rc, out = h.run("preflight", self.cfg, "--eal=-l 0-7")
        self.assertEqual(rc, 1, out)
        self.assertIn("main lcore would be 0, but lcores.control is 1: give EAL --main-lcore 1",
                      out)
        # An lcore on a CPU that is not online.
        rc, out = h.run("preflight", self.cfg, "--eal=--lcores 1,(2-7)@(2-9)")
        self.assertEqual(rc, 1, out)
        self.assertIn("runs on CPU(s) 8,9, not online", out)
        rc, out = h.run("preflight", self.cfg, "--eal=-l x-y")
        self.assertNotEqual(rc, 0)
        self.assertIn("cannot read EAL's -l", out)

    def test_isolcpus_forms(self):
        rc, out = self.host(isolcpus="managed_irq,domain,2-7").run("preflight", self.cfg,
                                                                   "--lcores", "1-7")
        self.assertIn("worker lcores isolated", out)
        # Groups: 1-7:2/4 is 1,2,5,6.
        rc, out = self.host(isolcpus="1-7:2/4").run("preflight", self.cfg, "--lcores", "1-7")
        self.assertIn("worker lcore(s) 3,4,7 not isolated", out)

    def test_without_dpptpd(self):
        rc, out = self.host().run("preflight", self.cfg, dpptpd="/nonexistent/dpptpd")
        self.assertEqual(rc, 1, out)
        self.assertIn("no dpptpd to validate", out)
        self.assertNotIn("Traceback", out)

    def test_env_file_and_environment(self):
        h = self.host()
        env = os.path.join(self.tmp, "default")
        write(env, 'DPPTPD_EAL="-l 1-7\n')
        rc, out = h.run("--dry-run", "prepare", "--env", env)
        self.assertNotEqual(rc, 0)
        self.assertIn("%s:1:" % env, out)
        self.assertNotIn("Traceback", out)
        # What systemd passes in the environment wins over the file.
        write(env, "DPPTPD_CONFIG=/nonexistent.json\nDPPTPD_EAL=-l 1-7\n")
        rc, out = h.run("--dry-run", "prepare", "--env", env, env={"DPPTPD_CONFIG": self.cfg})
        self.assertEqual(rc, 0, out)
        self.assertIn("%s is valid" % self.cfg, out)

    def test_status(self):
        rc, out = self.host().run("status")
        self.assertEqual(rc, 0, out)
        self.assertIn("%s  driver vfio-pci" % ACCESS, out)
        self.assertIn("isolated CPUs: 1,2,3,4,5,6,7", out)


class Scripts(unittest.TestCase):
    def test_shell_scripts_pass_shellcheck(self):
        if not shutil.which("shellcheck"):
            self.skipTest("shellcheck not installed")
        scripts = sorted(os.path.join(ROOT, "scripts", f)
                         for f in os.listdir(os.path.join(ROOT, "scripts")) if f.endswith(".sh"))
        scripts.append(os.path.join(ROOT, ".ci", "run"))
        r = subprocess.run(["shellcheck", "-S", "warning"] + scripts, capture_output=True,
                           text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_host_tool_help(self):
        r = subprocess.run(["/usr/bin/python3", HOST, "--help"], capture_output=True, text=True,
                           timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        for cmd in ("status", "hugepages", "bind", "unbind", "preflight", "prepare"):
            self.assertIn(cmd, r.stdout)


class SystemdUnit(unittest.TestCase):
    def test_unit_verifies(self):
        unit = os.path.join(BUILD, "scripts", "dpptpd.service")
        self.assertTrue(os.path.exists(unit), "meson did not write %s" % unit)
        with open(unit) as f:
            text = f.read()
        self.assertNotIn("@", text.replace("@.", ""))  # every @VAR@ filled in
        for line in ("ExecStartPre=", "ExecStart=", "ExecReload=/bin/kill -HUP $MAINPID",
                     "EnvironmentFile=-/etc/default/dpptpd", "StartLimitBurst=",
                     "Environment=DPPTPD_CONFIG=/etc/dpptp/dpptpd.json"):
            self.assertIn(line, text)
        if not shutil.which("systemd-analyze"):
            self.skipTest("systemd-analyze not installed")
        # The installed paths do not exist here: point them at the build.
        bindir = [l for l in text.splitlines() if l.startswith("ExecStart=")][0]
        bindir = os.path.dirname(bindir.split("=", 1)[1].split()[0])
        text = text.replace(bindir + "/dpptp-host.py", HOST)
        text = text.replace(bindir + "/dpptpd", os.path.join(BUILD, "app/dpptpd/dpptpd"))
        tmp = tempfile.mkdtemp(prefix="dpptp-unit-")
        self.addCleanup(shutil.rmtree, tmp)
        path = os.path.join(tmp, "dpptpd.service")
        with open(path, "w") as f:
            f.write(text)
        r = subprocess.run(["systemd-analyze", "verify", path], capture_output=True, text=True,
                           timeout=60)
        complaints = [l for l in (r.stdout + r.stderr).splitlines()
                      if "dpptpd.service" in l]
        self.assertEqual(complaints, [], r.stdout + r.stderr)
        # The default configuration path comes before the file that may override it.
        self.assertLess(text.index("Environment=DPPTPD_CONFIG"), text.index("EnvironmentFile="))


def main():
    global BUILD
    BUILD = os.path.abspath(sys.argv[1])
    unittest.main(argv=[sys.argv[0], "-v"])


if __name__ == "__main__":
    main()
