#!/usr/bin/python3
"""The test-side PPP client (tests/tools/ppp_client, a Windows-like peer
written independently of the engine) in front of the real engine
(ppp_pipe_tool): LCP, MS-CHAPv2, IPCP and CCP/MPPE negotiated end to end, on
a simulated clock, for the combinations of server policy and client wish that
matter. Checks what each side concluded: MPPE or not, key length, mode, the
MTU, and that the client's start keys (RFC 3079 3.4, IsServer false) mirror
the server's; CCP Reset-Request/Reset-Ack both ways in stateful mode.

Run: /usr/bin/python3 check_mppe_client.py path/to/ppp_pipe_tool
"""
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tools"))

from ppp_client.client import ClientConfig, PppClient  # noqa: E402

FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL: " + what, flush=True)


class Engine:
    """ppp_pipe_tool: frames in and out, events, the next deadline."""

    def __init__(self, tool, args):
        self.p = subprocess.Popen([tool] + args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True)
        self.frames = []
        self.events = []
        self.deadline = self._read()

    def _read(self):
        while True:
            line = self.p.stdout.readline()
            if not line:
                raise RuntimeError("ppp_pipe_tool exited")
            line = line.strip()
            if line.startswith(". "):
                d = int(line[2:])
                return None if d < 0 else d
            if line.startswith("S "):
                self.frames.append(bytes.fromhex(line[2:]))
            else:
                self.events.append(line)

    def cmd(self, text):
        self.p.stdin.write(text + "\n")
        self.p.stdin.flush()
        self.deadline = self._read()

    def event(self, prefix):
        for e in self.events:
            if e.startswith(prefix):
                return e
        return None

    def up(self):
        e = self.event("UP ")
        return dict(kv.split("=", 1) for kv in e.split()[1:]) if e else None

    def close(self):
        try:
            self.p.stdin.write("Q\n")
            self.p.stdin.close()
        except BrokenPipeError:
            pass
        self.p.wait(timeout=10)


class Link:
    def __init__(self, tool, engine_args, **client_cfg):
        self.eng = Engine(tool, engine_args)
        self.out = []
        self.now = 0
        self.client = PppClient(ClientConfig(**client_cfg), self.out.append)
        self.client.start(0.0)

    def pump(self):
        while self.out or self.eng.frames:
            out, self.out[:] = list(self.out), []
            for fr in out:
                self.eng.cmd("F " + fr.hex())
            frames, self.eng.frames = self.eng.frames, []
            for fr in frames:
                self.client.input(self.now / 1000.0, fr)

    def run(self, until, limit_ms=120000):
        """Exchange frames, moving the clock to the next deadline, until until(self)."""
        while True:
            self.pump()
            if until(self):
                return True
            ds = [self.eng.deadline]
            cd = self.client.next_deadline()
            if cd is not None:
                ds.append(int(math.ceil(cd * 1000)))
            ds = [d for d in ds if d is not None]
            if not ds or min(ds) > limit_ms:
                return False
            self.now = max(self.now, min(ds))
            self.eng.cmd("T %d" % self.now)
            self.client.tick(self.now / 1000.0)

    def both_up(self):
        return self.client.ip_up and self.eng.up() is not None

    def over(self):
        return self.eng.event("DOWN") is not None and self.client.finished


def scenario(tool, name, engine_args, expect, **client_cfg):
    print("--- %s: engine %s, client %s" % (name, " ".join(engine_args), client_cfg), flush=True)
    link = Link(tool, engine_args, **client_cfg)
    c = link.client
    if expect is None:  # the server ends the session
        ok = link.run(lambda lk: lk.over())
        check(ok, "%s: session did not end" % name)
        check(link.eng.event("DOWN ENCRYPTION_REQUIRED") is not None,
              "%s: down reason %s" % (name, link.eng.event("DOWN")))
        check(link.eng.up() is None, "%s: network went up" % name)
        check(not c.ip_up, "%s: the client's link came up" % name)
        check(c.terminated_by == "server", "%s: terminated by %s" % (name, c.terminated_by))
        print("    down at %d ms: %s" % (link.now, link.eng.event("DOWN")), flush=True)
        link.eng.close()
        return link
    ok = link.run(lambda lk: lk.both_up())
    check(ok, "%s: not up (client phase %s, events %s)" % (name, c.phase_reached,
                                                              link.eng.events))
    if not ok:
        link.eng.close()
        return link
    up = link.eng.up()
    print("    up at %d ms: server %s; client %s" % (link.now, link.eng.event("UP"), c.mppe),
          flush=True)
    bits, stateless = expect if expect else (0, None)
    check(int(up["mppe"]) == (1 if expect else 0), "%s: server mppe=%s" % (name, up["mppe"]))
    check(int(up["bits"]) == bits, "%s: server bits=%s" % (name, up["bits"]))
    check(int(up["mtu"]) == (1396 if expect else 1400), "%s: mtu=%s" % (name, up["mtu"]))
    if expect:
        check(int(up["stateless"]) == int(stateless), "%s: stateless=%s" % (name,
                                                                            up["stateless"]))
        check(c.mppe == {"bits": bits, "stateless": stateless},
              "%s: client mppe %s" % (name, c.mppe))
        n = 16 if bits == 128 else 8
        send, recv = bytes.fromhex(up["send"]), bytes.fromhex(up["recv"])
        check(send[n:] == bytes(16 - n) and recv[n:] == bytes(16 - n),
              "%s: key tails not zero" % name)
        check(c.mppe_rx.start_key == send[:n], "%s: client receive key != server send key" % name)
        check(c.mppe_tx.start_key == recv[:n], "%s: client send key != server receive key" % name)
    else:
        check(c.mppe is None, "%s: client mppe %s" % (name, c.mppe))
    check(c.errors == [], "%s: client errors %s" % (name, c.errors))
    return link


def resync(tool):
    name = "stateful resync"
    link = scenario(tool, name, ["--mppe", "require", "--stateful"], (128, False),
                    mppe="stateful")
    if FAILURES:
        link.eng.close()
        return
    c, eng = link.client, link.eng
    eng.cmd("R")  # the server's decrypter lost sync
    check(eng.event("RESYNC 1") is not None, "%s: no Reset-Request sent" % name)
    eng.events.clear()
    eng.cmd("R")  # one outstanding
    check(eng.event("RESYNC 0") is not None, "%s: second Reset-Request not held back" % name)
    eng.events.clear()
    sent_acks = [f for f in eng.frames]
    link.pump()  # the client answers Reset-Ack and flushes its sender
    check(c.mppe_reset_requests_received == 1, "%s: client saw %d Reset-Requests" % (
        name, c.mppe_reset_requests_received))
    check(len(sent_acks) == 1, "%s: %d frames for one Reset-Request" % (name, len(sent_acks)))
    check(c.mppe_tx.pending_flush, "%s: client sender not flushed" % name)
    eng.cmd("R")  # acked: another may go
    check(eng.event("RESYNC 1") is not None, "%s: Reset-Ack did not clear ours" % name)
    eng.events.clear()
    link.pump()
    c._mppe_resync(link.now / 1000.0)  # the client's decrypter lost sync
    link.pump()
    check(eng.event("FLUSH") is not None, "%s: server did not flush" % name)
    check(c.mppe_reset_pending is None, "%s: server did not Reset-Ack" % name)
    check(c.errors == [], "%s: client errors %s" % (name, c.errors))
    eng.close()


def main():
    tool = sys.argv[1]
    scenario(tool, "Windows 10 vs require", ["--mppe", "require"], (128, True),
             mppe="stateless")
    scenario(tool, "Windows 10 vs allow", ["--mppe", "allow"], (128, True), mppe="stateless")
    scenario(tool, "Windows 10 vs off", ["--mppe", "off"], False, mppe="stateless")
    scenario(tool, "no MPPE vs allow", ["--mppe", "allow"], False)
    scenario(tool, "no MPPE vs allow (CCP automaton)", ["--mppe", "allow"], False, ccp=True)
    scenario(tool, "no MPPE vs require", ["--mppe", "require"], None)
    scenario(tool, "stateful vs stateless-only require", ["--mppe", "require"], None,
             mppe="stateful")
    scenario(tool, "stateful vs stateless-only allow", ["--mppe", "allow"], False,
             mppe="stateful")
    scenario(tool, "stateful vs stateful allowed", ["--mppe", "require", "--stateful"],
             (128, False), mppe="stateful")
    scenario(tool, "56-bit vs 128-only require", ["--mppe", "require"], None, mppe="stateless",
             mppe_bits=56)
    scenario(tool, "56-bit vs 40/56/128", ["--mppe", "require", "--bits", "7"], (56, True),
             mppe="stateless", mppe_bits=56)
    scenario(tool, "40-bit vs 40/128 allow", ["--mppe", "allow", "--bits", "5"], (40, True),
             mppe="stateless", mppe_bits=40)
    scenario(tool, "Windows 10 vs PAP allow", ["--mppe", "allow", "--pap"], False,
             mppe="stateless", allowed_auth=("pap",))
    resync(tool)
    if FAILURES:
        print("%d failure(s)" % len(FAILURES))
        return 1
    print("all scenarios agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
