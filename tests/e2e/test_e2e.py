#!/usr/bin/python3
"""End-to-end: dpptpd in the lab (its own namespaces: dpptp-e2e-*), the real
pptp client (pptp-linux) driven by tests/tools/pptp_peer.py, captures read by
tshark, and dpptpd's telemetry.

Usage: test_e2e.py BUILD_DIR     (root; exit 77 = skipped when not root)
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = None
PY = "/usr/bin/python3"
NS = "dpptp-e2e"
NS_CLI = NS + "-client"
LAB_DIR = "/tmp/dpptp-e2e"
SERVER = "198.51.100.1"
ENV = None


def lab(cmd):
    r = subprocess.run([os.path.join(ROOT, "scripts", "lab.sh"), cmd], env=ENV,
                       capture_output=True, text=True, timeout=180)
    if r.returncode != 0:
        raise RuntimeError("lab.sh %s failed:\n%s%s" % (cmd, r.stdout, r.stderr))
    return r.stdout


def telemetry(cmd="/dpptp/info"):
    path = "/var/run/dpdk/%s-lab/dpdk_telemetry.v2" % NS
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect(path)
    s.recv(1024)  # the greeting
    s.send(cmd.encode())
    reply = json.loads(s.recv(1 << 16).decode())
    s.close()
    return reply[cmd]


def wait_for(pred, limit, step=0.1):
    end = time.monotonic() + limit
    while time.monotonic() < end:
        v = pred()
        if v:
            return v
        time.sleep(step)
    return pred()


def idle():
    t = telemetry()
    return t["sessions"] == 0 and t["pool_in_use"] == 0 and t["connections"] == 0 \
        and t["dp_sessions"] == 0


def client(*args, localbind=None, wait=True, timeout=90):
    """Run pptp_peer.py in the client namespace; its JSON report (or the Popen)."""
    rep = tempfile.NamedTemporaryFile(prefix="e2e-report-", suffix=".json", delete=False)
    rep.close()
    args = list(args)
    # The lab requires MPPE (e2e.json): a client encrypts as Windows does
    # unless the test says otherwise.
    if "--mppe" not in args and "--expect-failure" not in args:
        args += ["--mppe", "stateless", "--expect-mppe"]
    cmd = ["ip", "netns", "exec", NS_CLI, PY, os.path.join(ROOT, "tests/tools/pptp_peer.py"),
           SERVER, "--report", rep.name] + args
    if localbind:
        cmd += ["--localbind", localbind]
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    p.report_path = rep.name
    if not wait:
        return p
    return finish(p, timeout)


def stop(p):
    """Cleanup for a client a failed test left running: SIGTERM ends it
    (pptp_peer.py tears its pptp down), so the next test starts idle."""
    if p.poll() is None:
        p.terminate()
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    if os.path.exists(p.report_path):
        os.unlink(p.report_path)


def finish(p, timeout=90):
    _, err = p.communicate(timeout=timeout)
    with open(p.report_path) as f:
        text = f.read()
    os.unlink(p.report_path)
    r = json.loads(text) if text.strip() else {"ok": False, "errors": ["no report"]}
    r["exit_code"] = p.returncode
    r["stderr"] = err[-2000:]
    return r


class Capture:
    """tcpdump on the client's veth while a test runs."""

    def __init__(self, name):
        self.path = os.path.join(LAB_DIR, name + ".pcap")

    def __enter__(self):
        self.p = subprocess.Popen(["ip", "netns", "exec", NS_CLI, "tcpdump", "-i", "veth-cli",
                                   "-U", "--immediate-mode", "-s", "0", "-w", self.path,
                                   "tcp port 1723 or ip proto 47"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True)
        time.sleep(1.0)
        return self

    def __exit__(self, *a):
        time.sleep(0.5)
        self.p.send_signal(signal.SIGINT)
        self.p.wait(timeout=10)

    def tshark(self, *args):
        r = subprocess.run(["tshark", "-n", "-r", self.path] + list(args), capture_output=True,
                           text=True)
        return r.stdout

    def malformed(self):
        out = self.tshark("-Y", "_ws.malformed || _ws.expert.severity >= error")
        return [l for l in out.splitlines() if l.strip()]

    def events(self):
        """The session's messages in order: ('pptp', type), ('lcp'|..., code, from_client)."""
        out = self.tshark("-T", "fields", "-E", "separator=|", "-E", "occurrence=f",
                          "-e", "ip.src", "-e", "pptp.control_message_type", "-e", "ppp.protocol",
                          "-e", "ppp.code", "-e", "chap.code", "-e", "icmp.type")
        ev = []
        for line in out.splitlines():
            src, ctype, proto, code, chap, icmp = (line.split("|") + [""] * 6)[:6]
            frm = "c" if src == "198.51.100.2" else "s"
            if ctype:
                ev.append(("pptp", int(ctype), frm))
            elif proto in ("0x00fd", "0xfd"):
                ev.append(("mppe", 0, frm))
            elif proto in ("0xc021", "0x8021", "0x80fd") and code:
                ev.append(({"0xc021": "lcp", "0x8021": "ipcp", "0x80fd": "ccp"}[proto],
                           int(code), frm))
            elif proto == "0xc223" and chap:
                ev.append(("chap", int(chap), frm))
            elif icmp:
                ev.append(("icmp", int(icmp), frm))
        return ev


def in_order(events, wanted):
    """Index of the first wanted event that is missing or out of order, else None."""
    pos = 0
    for i, w in enumerate(wanted):
        try:
            pos = events.index(w, pos) + 1
        except ValueError:
            return i
    return None


def log_since(mark):
    with open(os.path.join(LAB_DIR, "dpptpd.log")) as f:
        return f.read()[mark:]


def log_mark():
    return os.path.getsize(os.path.join(LAB_DIR, "dpptpd.log"))


class E2E(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        subprocess.run([os.path.join(ROOT, "scripts", "lab.sh"), "down"], env=ENV,
                       capture_output=True)
        lab("up")

    @classmethod
    def tearDownClass(cls):
        subprocess.run([os.path.join(ROOT, "scripts", "lab.sh"), "down"], env=ENV,
                       capture_output=True)

    def assert_idle(self):
        self.assertTrue(wait_for(idle, 10), "not back to idle: %s" % telemetry())

    def test_01_session_pings_and_client_teardown(self):
        """A session comes up with a pool address and MPPE-128 stateless; 20
        pings answered, encrypted both ways on the wire; the counters match;
        the client ends it (LCP Terminate, Call-Clear)."""
        mark = log_mark()
        with Capture("session") as cap:
            r = client("--pings", "20", "--interval", "0.05", "--end", "terminate")
        self.assertTrue(r["ok"], r)
        self.assertEqual(r["auth"], "mschapv2")
        self.assertEqual(r["mppe"], {"bits": 128, "stateless": True})
        self.assertEqual(r["mppe_decrypt_failures"], 0)
        self.assertGreaterEqual(r["mppe_decrypted"], 20)
        self.assertTrue(r["address"].startswith("100.64."), r["address"])
        self.assertEqual((r["pings_sent"], r["pings_received"]), (20, 20))
        self.assertEqual(r["terminated_by"], "us")
        # The data plane counted 20 IPv4 packets each way for this session.
        log = log_since(mark)
        m = re.search(r"addr=%s: down: PEER_TERMINATE.*\(ipv4 (\d+)\).*\(ipv4 (\d+)\)"
                      % re.escape(r["address"]), log)
        self.assertIsNotNone(m, log)
        self.assertEqual((int(m.group(1)), int(m.group(2))), (20, 20))
        self.assert_idle()
        # tshark: nothing malformed; the exchange of source documents 000/001.
        self.assertEqual(cap.malformed(), [])
        ev = cap.events()
        wanted = [("pptp", 1, "c"), ("pptp", 2, "s"), ("pptp", 7, "c"), ("pptp", 8, "s"),
                  ("lcp", 1, "c"), ("lcp", 2, "s"),           # client's Configure-Request acked
                  ("chap", 1, "s"), ("chap", 2, "c"), ("chap", 3, "s"),  # MS-CHAPv2
                  ("ipcp", 1, "c"), ("ipcp", 3, "s"),         # 0.0.0.0 -> Nak with the address
                  ("ipcp", 1, "c"), ("ipcp", 2, "s"),         # the address -> Ack
                  ("mppe", 0, "c"), ("mppe", 0, "s"),         # pings, encrypted
                  ("lcp", 5, "c"), ("lcp", 6, "s"),           # Terminate-Request / Ack
                  ("pptp", 12, "c"), ("pptp", 13, "s")]       # Call-Clear / Disconnect-Notify
        self.assertIsNone(in_order(ev, wanted), "events: %s" % ev)
        self.assertIn(("lcp", 1, "s"), ev)  # our Configure-Request, acked by the client
        self.assertIn(("lcp", 2, "c"), ev)
        self.assertIn(("ipcp", 1, "s"), ev)
        # CCP runs beside IPCP, after authentication, and both sides' requests
        # are acked before the first encrypted packet.
        for frm, to in (("c", "s"), ("s", "c")):
            self.assertIsNone(in_order(ev, [("chap", 3, "s"), ("ccp", 1, frm), ("ccp", 2, to),
                                            ("mppe", 0, "c")]), "events: %s" % ev)
        # Encrypted: 20 each way (plus any CCP/LCP), and no ICMP in the clear.
        self.assertGreaterEqual(ev.count(("mppe", 0, "c")), 20)
        self.assertGreaterEqual(ev.count(("mppe", 0, "s")), 20)
        self.assertEqual([e for e in ev if e[0] == "icmp"], [])

    def test_02_wrong_password(self):
        """Refused with MS-CHAPv2 Failure; the connection closed; nothing held."""
        mark = log_mark()
        r = client("--password", "not-the-secret", "--expect-failure", "--end", "wait",
                   "--timeout-total", "30")
        self.assertTrue(r["ok"], r)
        self.assertEqual(r["auth_result"], "failure")
        self.assertEqual(str(r["failure"]["E"]), "691")
        self.assertIn("AUTH_FAILED", log_since(mark))
        self.assert_idle()

    def test_03_fifty_clients(self):
        """50 pptp processes at once: all up, all pinging, all torn down."""
        # Each holds its session 15 s after its pings: 50 Python PPP/MPPE
        # peers take several seconds to come up on a loaded 2-core machine,
        # and the first must still be up when the last arrives.
        procs = [client("--pings", "5", "--interval", "0.2", "--hold", "15", "--end", "terminate",
                        localbind="198.51.100.%d" % (10 + i), wait=False) for i in range(50)]
        for p in procs:
            self.addCleanup(stop, p)
        peak = wait_for(lambda: telemetry()["sessions_up"] >= 50 and 50, 40, 0.2)
        reports = [finish(p) for p in procs]
        bad = [r for r in reports if not r["ok"] or r["pings_received"] != 5]
        self.assertEqual(bad, [], "clients that failed: %s" % bad[:3])
        self.assertEqual(peak, 50, "never 50 sessions up at once")
        self.assertEqual(len({r["address"] for r in reports}), 50)
        self.assert_idle()

    def test_04_bad_connections_harm_nobody(self):
        """Garbage, silence, and a valid SCCRQ then a malformed message: each
        connection closed, while a session beside them keeps working."""
        good = client("--pings", "40", "--interval", "0.2", "--end", "terminate", wait=False)
        self.addCleanup(stop, good)
        time.sleep(1)
        results = {}
        for mode in ("garbage", "half-valid", "silent"):
            r = subprocess.run(["ip", "netns", "exec", NS_CLI, PY,
                                os.path.join(ROOT, "tests/e2e/bad_conn.py"), SERVER, mode],
                               capture_output=True, text=True, timeout=30)
            results[mode] = json.loads(r.stdout) if r.stdout.strip() else r.stderr
            self.assertEqual(r.returncode, 0, results[mode])
        # The silent one is closed by the SCCRQ timeout (3 s in e2e.json).
        self.assertGreater(results["silent"]["after_s"], 2.5)
        self.assertLess(results["garbage"]["after_s"], 2)
        r = finish(good)
        self.assertTrue(r["ok"], r)
        self.assertEqual(r["pings_received"], 40)
        self.assert_idle()

    def test_05_config_validation(self):
        """Bad configuration files are refused with the JSON path at fault."""
        with open(os.path.join(ROOT, "configs/lab.json")) as f:
            good = json.load(f)
        cases = [
            (lambda c: c.update(bogus=1), "$.bogus"),
            (lambda c: c["ppp"].update(mru=1500), "$.ppp.mru"),
            (lambda c: c["ports"][1].update(address="203.0.113.1/33"), "$.ports[1].address"),
            (lambda c: c["ports"][0].update(role="sideways"), "$.ports[0].role"),
            (lambda c: c["pools"][0].update(ranges=["198.51.100.0/24"]), "$.pools[0]"),
            (lambda c: c["lcores"].update(workers=[1, 1]), "$.lcores.workers"),
            (lambda c: c["ppp"].update(auth="md4"), "$.ppp.auth"),
        ]
        dpptpd = os.path.join(BUILD, "app/dpptpd/dpptpd")
        for mutate, path in cases:
            c = json.loads(json.dumps(good))
            mutate(c)
            with tempfile.NamedTemporaryFile("w", suffix=".json", dir=os.path.join(ROOT, "configs"),
                                             delete=False) as f:
                json.dump(c, f)
            try:
                r = subprocess.run([dpptpd, "--check-config", f.name], capture_output=True,
                                   text=True, timeout=10)
            finally:
                os.unlink(f.name)
            self.assertNotEqual(r.returncode, 0, path)
            self.assertIn(path, r.stderr, r.stderr)
        r = subprocess.run([dpptpd, "--check-config", os.path.join(ROOT, "configs/lab.json")],
                           capture_output=True, text=True, timeout=10)
        self.assertEqual(r.returncode, 0, r.stderr)

    def dpptpctl(self, *args):
        r = subprocess.run([os.path.join(BUILD, "app/dpptpctl/dpptpctl"), "--prefix", NS + "-lab",
                            "--json"] + list(args), capture_output=True, text=True, timeout=20)
        out = None
        if r.returncode == 0 and r.stdout.strip().startswith(("{", "[")):
            out = json.loads(r.stdout)
        return r.returncode, out, r.stderr

    def test_06_telemetry_dpptpctl_and_disconnect(self):
        """Every field of a session is there; a disconnect closes the right
        session only (LCP Terminate, Call-Disconnect-Notify)."""
        a = client("--pings", "100", "--interval", "0.2", "--end", "wait", "--hold", "40",
                   localbind="198.51.100.10", wait=False)
        b = client("--pings", "30", "--interval", "0.2", "--end", "terminate",
                   localbind="198.51.100.11", wait=False)
        self.addCleanup(stop, a)
        self.addCleanup(stop, b)
        self.assertTrue(wait_for(lambda: telemetry()["sessions_up"] == 2, 20))
        rc, sessions, err = self.dpptpctl("show", "sessions")
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(sessions), 2)
        for s in sessions:
            for k in ("id", "call_id", "peer_call_id", "peer", "user", "address", "phase", "state",
                      "uptime_s"):
                self.assertIn(k, s)
            self.assertEqual(s["user"], "lab")
            self.assertEqual(s["state"], "up")
        by_peer = {s["peer"]: s for s in sessions}
        rc, one, err = self.dpptpctl("show", "session", str(by_peer["198.51.100.10"]["id"]))
        self.assertEqual(rc, 0, err)
        for k in ("worker", "gre_tx_seq", "gre_rx_seq", "dataplane", "ppp", "mppe", "connection"):
            self.assertIn(k, one)
        for k in ("rx_pkts", "tx_pkts", "decap_pkts", "encap_pkts", "seq_lost", "spoofed",
                  "mppe_errors"):
            self.assertIn(k, one["dataplane"])
        # MPPE state and its cipher counters: the client's pings were decrypted
        # (one re-key per stateless packet) and the replies encrypted.
        self.assertEqual(one["mppe"]["mode"], "128-bit stateless")
        self.assertGreater(one["mppe"]["rx_rekeys"], 0)
        self.assertGreater(one["mppe"]["tx_rekeys"], 0)
        self.assertEqual(one["mppe"]["rx_late"] + one["mppe"]["rx_jump"], 0)
        rc, stats, err = self.dpptpctl("show", "stats")
        self.assertEqual(rc, 0, err)
        for k in ("port_access", "port_uplink", "workers", "rings", "control"):
            self.assertIn(k, stats)
        self.assertGreater(stats["workers"]["decap_pkts"], 0)
        rc, pool, err = self.dpptpctl("show", "pool")
        self.assertEqual(pool["in_use"], 2)
        rc, _, err = self.dpptpctl("show", "session", "12345")
        self.assertEqual(rc, 1)
        self.assertIn("no such session", err)
        # Disconnect the first by its address: it is ended by the server,
        # the second keeps answering all its pings.
        rc, out, err = self.dpptpctl("disconnect", "address", by_peer["198.51.100.10"]["address"])
        self.assertEqual((rc, out), (0, {"disconnected": 1}), err)
        ra, rb = finish(a), finish(b)
        self.assertEqual(ra["terminated_by"], "server", ra)
        self.assertTrue(rb["ok"], rb)
        self.assertEqual(rb["pings_received"], 30)
        self.assert_idle()

    def test_07_paging_returns_every_session_once(self):
        """1,000 sessions (250 connections x 4 calls, no PPP): paging through
        /dpptp/sessions returns every one exactly once."""
        p = subprocess.Popen(["ip", "netns", "exec", NS_CLI, PY,
                              os.path.join(ROOT, "tests/e2e/many_calls.py"), SERVER, "250", "4",
                              "198.51.100.10", "50", "60"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            made = json.loads(p.stdout.readline())
            self.assertEqual(made["accepted"], 1000, made)
            rc, sessions, err = self.dpptpctl("show", "sessions")
            self.assertEqual(rc, 0, err)
            ids = [s["id"] for s in sessions]
            self.assertEqual(len(ids), 1000)
            self.assertEqual(len(set(ids)), 1000)
            self.assertEqual(sorted(s["call_id"] for s in sessions), sorted(made["call_ids"]))
            self.assertEqual(telemetry()["sessions"], 1000)
        finally:
            # Whatever failed above, the 250 connections go, so that the
            # tests after this one start from an idle concentrator.
            p.stdin.close()
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            p.stdout.close()
        self.assert_idle()

    def test_08_capture_of_a_session(self):
        """A capture of the access port, started and stopped at run time, is
        read by tshark: the session's frames, nothing malformed."""
        path = os.path.join(LAB_DIR, "dpptpctl-capture.pcap")
        if os.path.exists(path):
            os.unlink(path)
        rc, out, err = self.dpptpctl("capture", "start", "access", path)
        self.assertEqual(rc, 0, err)
        r = client("--pings", "5", "--interval", "0.1", "--end", "terminate")
        self.assertTrue(r["ok"], r)
        rc, out, err = self.dpptpctl("capture", "stop")
        self.assertEqual(rc, 0, err)
        self.assertGreater(out["access"]["packets"], 20)
        t = subprocess.run(["tshark", "-n", "-r", path, "-Y", "_ws.malformed"],
                           capture_output=True, text=True)
        self.assertEqual(t.stdout.strip(), "")
        t = subprocess.run(["tshark", "-n", "-r", path, "-T", "fields", "-e",
                            "pptp.control_message_type", "-e", "icmp.type", "-e",
                            "ppp.protocol", "-E", "occurrence=f"],
                           capture_output=True, text=True)
        fields = [(l.split("\t") + ["", ""])[:3] for l in t.stdout.splitlines()]
        types = {f[0] for f in fields if f[0]}
        self.assertTrue({"1", "2", "7", "8", "12", "13"} <= types, types)
        # The pings went by encrypted (5 echoes, 5 replies): no ICMP in the clear.
        self.assertEqual([f for f in fields if f[1]], [])
        self.assertGreaterEqual(sum(1 for f in fields if f[2] in ("0x00fd", "0xfd")), 10)
        self.assert_idle()

    def test_08b_capture_filter_and_limit(self):
        """A capture filtered on one peer keeps only that peer's frames while
        another session runs beside it, and stops by itself at its packet
        limit."""
        path = os.path.join(LAB_DIR, "dpptpctl-capture-peer.pcap")
        if os.path.exists(path):
            os.unlink(path)
        mark = log_mark()
        rc, out, err = self.dpptpctl("capture", "start", "access", path, "peer",
                                     "198.51.100.11", "packets", "15")
        self.assertEqual(rc, 0, err)
        a = client("--pings", "10", "--interval", "0.1", "--end", "terminate",
                   localbind="198.51.100.10", wait=False)
        b = client("--pings", "10", "--interval", "0.1", "--end", "terminate",
                   localbind="198.51.100.11", wait=False)
        self.addCleanup(stop, a)
        self.addCleanup(stop, b)
        ra, rb = finish(a), finish(b)
        self.assertTrue(ra["ok"], ra)
        self.assertTrue(rb["ok"], rb)
        self.assertTrue(wait_for(lambda: "limit reached" in log_since(mark), 10),
                        log_since(mark))
        rc, out, err = self.dpptpctl("capture", "status")
        self.assertEqual(rc, 0, err)
        t = subprocess.run(["tshark", "-n", "-r", path, "-T", "fields", "-e", "ip.src", "-e",
                            "ip.dst"], capture_output=True, text=True)
        rows = [l.split("\t") for l in t.stdout.splitlines() if l.strip()]
        self.assertEqual(len(rows), 15, t.stdout)
        for src, dst in rows:
            self.assertIn("198.51.100.11", (src, dst))
        self.assert_idle()

    def test_09_reload_on_sighup(self):
        """SIGHUP applies a new secrets file, pool and limits without
        touching the session up; what needs a restart is named; a broken
        file changes nothing."""
        cfg_path = ENV["LAB_CONFIG"]
        with open(cfg_path) as f:
            original = f.read()
        secrets = json.loads(original)["ppp"]["secrets_file"]
        with open(secrets) as f:
            original_secrets = f.read()
        a = client("--pings", "60", "--interval", "0.1", "--end", "terminate",
                   localbind="198.51.100.10", wait=False)
        self.addCleanup(stop, a)
        self.assertTrue(wait_for(lambda: telemetry()["sessions_up"] == 1, 20))

        def hup(text=None):
            mark = log_mark()
            with open(os.path.join(LAB_DIR, "dpptpd.pid")) as f:
                os.kill(int(f.read()), signal.SIGHUP)
            self.assertTrue(wait_for(lambda: re.search(r"reload (done|refused)", log_since(mark)),
                                     10))
            return log_since(mark)

        def restore():
            with open(cfg_path, "w") as f:
                f.write(original)
            with open(secrets, "w") as f:
                f.write(original_secrets)
            hup()
        self.addCleanup(restore)
        c = json.loads(original)
        c["pools"][0]["ranges"] = ["100.64.7.0/24"]      # the session's address left out
        c["limits"] = {"max_sessions": 7}
        c["pptp"]["sccrq_timeout_s"] = 4                  # needs a restart
        with open(cfg_path, "w") as f:
            json.dump(c, f)
        with open(secrets, "a") as f:
            f.write("second\t*\tsecond-secret\t*\n")
        log = hup()
        self.assertIn("secrets %s: 2 entries" % secrets, log)
        self.assertRegex(log, r"pool lab: 254 addresses, 1 in use \(1 of them outside the ranges\)")
        self.assertIn("max_sessions 7", log)
        self.assertIn("pptp changed: needs a restart", log)
        self.assertNotIn("ports changed", log)
        rc, pool, err = self.dpptpctl("show", "pool")
        self.assertEqual((pool["size"], pool["in_use"], pool["outside"]), (254, 1, 1), pool)
        # The new user, with an address from the new range.
        r = client("--user", "second", "--password", "second-secret", "--pings", "3",
                   "--end", "terminate", localbind="198.51.100.11")
        self.assertTrue(r["ok"], r)
        self.assertTrue(r["address"].startswith("100.64.7."), r["address"])
        # A file that does not load changes nothing.
        with open(cfg_path, "w") as f:
            f.write('{"ports": ')
        log = hup()
        self.assertIn("reload refused, nothing changed", log)
        rc, pool, err = self.dpptpctl("show", "pool")
        self.assertEqual(pool["size"], 254)
        # The first session never noticed.
        ra = finish(a)
        self.assertTrue(ra["ok"], ra)
        self.assertEqual(ra["pings_received"], 60)
        self.assertTrue(ra["address"].startswith("100.64.0."), ra["address"])
        self.assert_idle()
        self.assertEqual(telemetry()["pool_in_use"], 0)

    def test_09b_mppe_required(self):
        """MPPE is required: a client that will not encrypt (CCP answered,
        MPPE rejected) carries no traffic and is ended by the server."""
        mark = log_mark()
        r = client("--mppe", "off", "--pings", "3", "--interval", "0.2", "--end", "wait",
                   "--timeout-total", "40")
        self.assertEqual(r["terminated_by"], "server", r)
        self.assertIsNone(r["mppe"], r)
        self.assertEqual(r["pings_received"], 0, r)
        self.assertTrue(wait_for(lambda: "ENCRYPTION_REQUIRED" in log_since(mark), 10),
                        log_since(mark))
        self.assert_idle()
        # stateless: true means stateless only: a client that insists on
        # stateful MPPE (Naked toward stateless, asks again) is ended too.
        mark = log_mark()
        r = client("--mppe", "stateful", "--pings", "3", "--interval", "0.2", "--end", "wait",
                   "--timeout-total", "40")
        self.assertEqual(r["terminated_by"], "server", r)
        self.assertIsNone(r["mppe"], r)
        self.assertEqual(r["pings_received"], 0, r)
        self.assertTrue(wait_for(lambda: "ENCRYPTION_REQUIRED" in log_since(mark), 10),
                        log_since(mark))
        self.assert_idle()

    def test_10_server_teardown_on_sigterm(self):
        """SIGTERM: LCP Terminate-Request and Call-Disconnect-Notify to the
        client, then dpptpd exits 0."""
        with Capture("sigterm") as cap:
            p = client("--pings", "3", "--interval", "0.2", "--end", "wait", "--hold", "60",
                       wait=False)
            self.addCleanup(stop, p)
            self.assertTrue(wait_for(lambda: telemetry()["sessions_up"] == 1, 20))
            time.sleep(2.0)  # the pings (0.4 s of them) and their answers
            with open(os.path.join(LAB_DIR, "dpptpd.pid")) as f:
                os.kill(int(f.read()), signal.SIGTERM)
            exit_file = os.path.join(LAB_DIR, "dpptpd.exit")
            status = wait_for(lambda: os.path.exists(exit_file) and open(exit_file).read().strip(),
                              20)
            r = finish(p)
        self.assertEqual(status, "0", "dpptpd's exit status")
        self.assertTrue(r["ok"], r)
        self.assertEqual(r["terminated_by"], "server")
        self.assertEqual(cap.malformed(), [])
        ev = cap.events()
        self.assertIsNone(in_order(ev, [("lcp", 5, "s"), ("lcp", 6, "c"), ("pptp", 13, "s")]),
                          "events: %s" % ev)
        with open(os.path.join(LAB_DIR, "dpptpd.log")) as f:
            self.assertIn("0 session(s) and 0 pool address(es) still held", f.read())


def main():
    global BUILD, ENV
    if os.geteuid() != 0:
        print("e2e: needs root (network namespaces); skipped")
        sys.exit(77)
    BUILD = os.path.abspath(sys.argv[1])
    # dpptpd reads a copy, with its own secrets file, that test_09 rewrites.
    os.makedirs(LAB_DIR, exist_ok=True)
    with open(os.path.join(ROOT, "tests/e2e/e2e.json")) as f:
        cfg = json.load(f)
    secrets = os.path.join(LAB_DIR, "chap-secrets")
    with open(os.path.join(ROOT, "configs/lab-chap-secrets")) as f, open(secrets, "w") as g:
        g.write(f.read())
    cfg["ppp"]["secrets_file"] = secrets
    with open(os.path.join(LAB_DIR, "e2e.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    ENV = dict(os.environ, LAB_NS=NS, LAB_DIR=LAB_DIR, LAB_BUILD=BUILD,
               LAB_CONFIG=os.path.join(LAB_DIR, "e2e.json"), LAB_CLIENT_ADDRS="50")
    unittest.main(argv=[sys.argv[0], "-v"], exit=True)


if __name__ == "__main__":
    main()
