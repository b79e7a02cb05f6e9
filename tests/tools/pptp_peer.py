#!/usr/bin/python3
"""A PPP client behind the real pptp program (pptp-linux, --nolaunchpppd).

The kernel here has no PPP, so this script is the PPP peer that pppd would be:
pptp does the PPTP control connection and the GRE, and exchanges async-HDLC
PPP frames with us on its stdin/stdout (a socketpair). We negotiate LCP,
authenticate (PAP, CHAP-MD5, MS-CHAPv2), get an address by IPCP, ping through
the link, hang up, and print one JSON report on stdout.

Run with Debian's /usr/bin/python3 (scapy, Cryptodome); see --help. The PPP
logic is tests/tools/ppp_client/ (no I/O, unit-tested by test_pptp_peer.py).

  /usr/bin/python3 tests/tools/pptp_peer.py 198.51.100.1 --pings 5 -v
  ... --password wrong --expect-failure
  ... --ignore-echo --end wait --timeout-total 200   (the server must hang up)
  ... --mppe stateless --expect-mppe --pings 5        (Windows 10: MPPE-128 stateless)

Timeline: start pptp; LCP (Restart 3 s, Max-Configure 10); authenticate as the
server demands; IPCP (address by Nak), and with --mppe CCP (option 18, one key
length of --mppe-bits, H when stateless; the link is up once CCP has settled,
and then IPv4 goes both ways as encrypted 0x00FD); --pings; --hold; then --end:
terminate (LCP Terminate-Request, Terminate-Ack, then close pptp's stdin as
pppd's exit would: pptp clears the call and exits), sigterm (pptp clears the
call itself), wait (until the server hangs up: LCP Terminate-Request or pptp
exiting; at most --hold seconds if given). pptp gets EXIT_WAIT seconds to exit,
then SIGTERM, then SIGKILL of its process group. --timeout-total bounds the run
(its clean-up adds at most a few seconds).

Report (one JSON object on stdout, also --report FILE):
  ok                 bool: the run achieved what was asked (why_not_ok says why not)
  phase_reached      lcp | auth | ipcp | up
  auth               mschapv2 | chap-md5 | pap | none (what the server demanded)
  auth_result        success | failure | bad-authenticator | timeout |
                     protocol-rejected | pending | none | not-reached
  failure            MS-CHAPv2 {"E":691,"R":0,"C":"..","V":3,"M":".."}, PAP/CHAP-MD5
                     {"M":".."}, or null
  address, dns       our address ("100.64.x.y" or null) and DNS servers got by IPCP
  mppe               {"bits": 128|56|40, "stateless": bool} once CCP agreed MPPE, or null
  mppe_encrypted, mppe_decrypted, mppe_decrypt_failures
                     IPv4 packets we sent encrypted, 0x00FD packets decrypted / dropped
  pings_sent, pings_received
  terminated_by      us | server | pptp-exit | timeout
  lcp_echo_answered  LCP Echo-Requests we answered
  errors             what the server did wrong (or the run's failures): any makes ok false
  pptp_exit_code     pptp's exit status (negative: killed by that signal)
  and more: why_not_ok, server_address, auth_message, lcp (options both ways),
  lcp_echo_received, peer_terminate_reason, ccp_opened, ping_duplicates, ping_late,
  ip_strays, echo_requests_answered, rtt_ms, ppp_frames_in/out, bad_replies,
  mppe_reset_requests_sent/received (CCP Reset-Request, stateful), ip_clear_while_mppe,
  hdlc_bad_fcs, time_to_up_s, duration_s, notes (informational).

Exit code 0 iff ok: authentication succeeded with the method --expect-auth
allows (default: any real method; none must be asked for), an address, every
--pings answered, with --end wait the server ended the session (or --hold ran
out), with --expect-mppe MPPE agreed, and no errors. With --expect-failure: the
server rejected our credentials and the link did not come up. 2: bad arguments.
"""
import argparse
import importlib
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ppp_hdlc  # noqa: E402
from ppp_client import frame as F  # noqa: E402
from ppp_client.client import ALL_AUTH, ClientConfig, PppClient  # noqa: E402

EXIT_WAIT = 5.0      # seconds for pptp to exit once we closed its stdin / signalled it
GROUP_WAIT = 3.0     # then for its call manager to finish clearing the call


class PptpLink:
    """pptp with a socketpair as stdin/stdout, in a session of its own: pptp
    signals its whole process group when it exits."""

    def __init__(self, args, stderr):
        self.sock, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        cmd = [args.pptp, args.server, "--nolaunchpppd", "--loglevel", str(args.pptp_loglevel)]
        if args.localbind:
            cmd += ["--localbind", args.localbind]
        cmd += args.pptp_opt
        self.cmd = cmd
        self.proc = subprocess.Popen(cmd, stdin=theirs, stdout=theirs, stderr=stderr,
                                     start_new_session=True)
        theirs.close()
        self.pgid = self.proc.pid
        self.decoder = ppp_hdlc.Decoder()
        self.eof = False
        self.write_closed = False
        self.sock.settimeout(5.0)

    def fileno(self):
        return self.sock.fileno()

    def send(self, frame):
        if self.write_closed or self.eof:
            return
        try:
            self.sock.sendall(ppp_hdlc.encode(frame))
        except (OSError, socket.timeout):
            self.eof = True

    def read_frames(self):
        """Frames now readable; [] and self.eof set once pptp closed its end."""
        try:
            data = self.sock.recv(65536)
        except (BlockingIOError, socket.timeout):
            return []
        except OSError:
            data = b""
        if not data:
            self.eof = True
            return []
        return self.decoder.feed(data)

    def close_stdin(self):
        """What pppd's exit looks like to pptp: its end of the pty hangs up."""
        if not self.write_closed:
            self.write_closed = True
            try:
                self.sock.shutdown(socket.SHUT_WR)
            except OSError:
                pass

    def alive(self):
        return self.proc.poll() is None

    def signal(self, sig):
        if self.alive():
            try:
                self.proc.send_signal(sig)
            except ProcessLookupError:
                pass

    def group_alive(self):
        try:
            os.killpg(self.pgid, 0)
            return True
        except (ProcessLookupError, PermissionError):
            return False

    def finish(self, exit_wait=EXIT_WAIT):
        """Wait for pptp to exit (SIGTERM, then SIGKILL if it will not), then for
        what is left of its process group. Bounded: at most about 2*exit_wait +
        2*GROUP_WAIT seconds."""
        try:
            self.proc.wait(timeout=exit_wait)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=exit_wait)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        end = time.monotonic() + GROUP_WAIT
        while self.group_alive() and time.monotonic() < end:
            time.sleep(0.05)
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if not self.group_alive():
                break
            try:
                os.killpg(self.pgid, sig)
            except ProcessLookupError:
                break
            end = time.monotonic() + GROUP_WAIT
            while self.group_alive() and time.monotonic() < end:
                time.sleep(0.05)
        self.sock.close()
        return self.proc.returncode


class Run:
    """One run: pptp, the PPP client, the pings, the ending, the report."""

    def __init__(self, args):
        self.args = args
        self.t0 = time.monotonic()
        self.errors = []       # the runner's own (the client keeps the PPP ones)
        self.stage = "negotiate"
        self.pinger = None
        self.hold_until = None
        self.time_to_up = None
        self.ended_by_hold = False
        self.sigterm_sent = False
        self.pptp_log = None
        self.exit_wait = EXIT_WAIT

    # --- logging ------------------------------------------------------------------
    def stamp(self):
        return "%8.3f" % (time.monotonic() - self.t0)

    def log(self, text):
        if self.args.verbose:
            print("pptp-peer [%s] %s" % (self.stamp(), text), file=sys.stderr, flush=True)

    def trace(self, direction, text):
        print("pptp-peer [%s] %s %s" % (self.stamp(), direction, text), file=sys.stderr,
              flush=True)

    # --- the run ------------------------------------------------------------------
    def main(self):
        a = self.args
        cfg = ClientConfig(user=a.user, password=a.password, retry=a.retry,
                           retry_password=a.retry_password, allowed_auth=tuple(a.auth),
                           mru=a.mru, compress=a.compress, request_ip=a.ip, ask_dns=a.ask_dns,
                           ccp=a.ccp, mppe=a.mppe, mppe_bits=a.mppe_bits,
                           answer_echo=not a.ignore_echo)
        stderr = sys.stderr
        if a.pptp_log:
            self.pptp_log = open(a.pptp_log, "ab")
            stderr = self.pptp_log
        self.link = PptpLink(a, stderr)
        self.log("started %s (pid %d)" % (" ".join(self.link.cmd), self.link.proc.pid))
        self.client = PppClient(cfg, self.link.send, log=self.log,
                                trace=self.trace if a.verbose else None)
        self.client.on_ip = self.on_ip
        self.client.on_up = self.on_up
        deadline_total = self.t0 + a.timeout_total
        # scapy takes a moment to load: not while the link is up
        self.Pinger = importlib.import_module("ppp_client.traffic").Pinger
        pptp_exit_code = None
        try:
            self.client.start(time.monotonic())
            while True:
                now = time.monotonic()
                if now >= deadline_total:
                    self.on_total_timeout(now)
                    break
                if self.step(now):
                    break
                self.wait_io(min(deadline_total, self.next_wakeup(now)))
        except KeyboardInterrupt:  # SIGINT, or SIGTERM to us (see main)
            self.errors.append("interrupted in stage %s" % self.stage)
            if self.client.terminated_by is None:
                self.client.terminated_by = "us"
            self.link.signal(signal.SIGTERM)
        finally:
            pptp_exit_code = self.link.finish(self.exit_wait)
            if self.pptp_log:
                self.pptp_log.close()
        return self.report(pptp_exit_code)

    def next_wakeup(self, now):
        ds = [now + 0.5, self.client.next_deadline(), self.hold_until]
        if self.pinger and self.stage == "traffic":
            ds.append(self.pinger.next_deadline())
        return min(d for d in ds if d is not None)

    def wait_io(self, until):
        timeout = max(0.0, until - time.monotonic())
        if self.link.eof:
            time.sleep(min(timeout, 0.05))
            return
        r, _, _ = select.select([self.link], [], [], timeout)
        if r:
            now = time.monotonic()
            for frame in self.link.read_frames():
                self.client.input(now, frame)

    def step(self, now):
        """Advance the run; True once it is over."""
        c = self.client
        c.tick(now)
        if (self.link.eof or not self.link.alive()) and not c.finished:
            self.log("pptp went away (exit code %s)" % self.link.proc.poll())
            if c.terminated_by is None:
                c.terminated_by = "pptp-exit"
            c.lower_down(now)
        if c.finished:
            return self.after_ppp(now)
        a = self.args
        if self.stage == "negotiate":
            if c.ip_up:
                self.stage = "traffic"
        if self.stage == "traffic":
            if self.pinger:
                while True:
                    pkt = self.pinger.due(now)
                    if pkt is None:
                        break
                    c.send_ip(pkt)
            if self.pinger is None or self.pinger.done(now):
                self.stage = "hold"
                if a.end == "wait":
                    self.hold_until = now + a.hold if a.hold is not None else None
                else:
                    self.hold_until = now + (a.hold or 0.0)
                self.log("pings done; holding %s" % ("until the server ends it"
                                                     if self.hold_until is None else
                                                     "%.1f s" % (self.hold_until - now)))
        if self.stage == "hold":
            if self.hold_until is not None and now >= self.hold_until:
                self.hold_until = None
                self.ended_by_hold = True
                self.stage = "end"
        if self.stage == "end":
            self.stage = "ending"
            if a.end == "sigterm":
                self.log("SIGTERM to pptp")
                c.terminated_by = c.terminated_by or "us"
                self.sigterm_sent = True
                self.link.signal(signal.SIGTERM)
            else:
                self.log("LCP Terminate-Request")
                c.close(now, "User request")
        return False

    def after_ppp(self, now):
        """PPP is finished: let pptp go as pppd's exit would."""
        self.link.close_stdin()
        return True

    def on_total_timeout(self, now):
        c = self.client
        self.errors.append("overall timeout of %.0f s in stage %s (phase %s)" % (
            self.args.timeout_total, self.stage, c.phase_reached))
        if c.terminated_by is None:
            c.terminated_by = "timeout"
        self.log("overall timeout: SIGTERM to pptp")
        self.link.signal(signal.SIGTERM)
        self.exit_wait = 2.0

    def on_up(self, now):
        a = self.args
        self.time_to_up = now - self.t0
        if self.pinger is None and self.client.address:
            # with no --pings it still answers echo requests sent to our address
            self.pinger = self.Pinger(self.client.address, a.target, a.pings, a.interval,
                                      a.timeout, a.payload_size,
                                      ident=int.from_bytes(os.urandom(2), "big"))
            self.pinger.begin(now)

    def on_ip(self, now, data):
        if self.pinger is None:
            return
        reply = self.pinger.handle(now, data)
        if reply is not None:
            self.client.send_ip(reply)

    # --- the outcome --------------------------------------------------------------
    def report(self, pptp_exit_code):
        a = self.args
        c = self.client
        s = c.summary()
        errors = list(c.errors) + self.errors
        rep = {
            "ok": False,
            "phase_reached": s["phase_reached"],
            "auth": s["auth"],
            "auth_result": s["auth_result"],
            "failure": s["failure"],
            "address": s["address"],
            "dns": s["dns"],
            "mppe": s["mppe"],
            "mppe_encrypted": s["mppe_encrypted"],
            "mppe_decrypted": s["mppe_decrypted"],
            "mppe_decrypt_failures": s["mppe_decrypt_failures"],
            "pings_sent": 0,
            "pings_received": 0,
            "terminated_by": s["terminated_by"],
            "lcp_echo_answered": s["lcp_echo_answered"],
            "errors": errors,
            "pptp_exit_code": pptp_exit_code,
        }
        if self.pinger:
            rep.update(self.pinger.summary())
        rep.update({
            "why_not_ok": [],
            "server": a.server,
            "user": a.user,
            "server_address": s["server_address"],
            "auth_message": s["auth_message"],
            "lcp": s["lcp"],
            "lcp_echo_received": s["lcp_echo_received"],
            "peer_terminate_reason": s["peer_terminate_reason"],
            "ccp_opened": s["ccp_opened"],
            "mppe_reset_requests_sent": s["mppe_reset_requests_sent"],
            "mppe_reset_requests_received": s["mppe_reset_requests_received"],
            "ip_clear_while_mppe": s["ip_clear_while_mppe"],
            "protocol_rejects_sent": s["protocol_rejects_sent"],
            "ppp_frames_in": s["frames_in"],
            "ppp_frames_out": s["frames_out"],
            "bad_replies": s["bad_replies"],
            "hdlc_bad_fcs": self.link.decoder.bad_fcs,
            "time_to_up_s": round(self.time_to_up, 3) if self.time_to_up is not None else None,
            "duration_s": round(time.monotonic() - self.t0, 3),
            "notes": c.notes,
        })
        why = self.judge(rep)
        rep["why_not_ok"] = why
        rep["ok"] = not why
        return rep

    def judge(self, rep):
        a = self.args
        why = []
        if a.expect_failure:
            if rep["auth_result"] != "failure":
                why.append("expected an authentication failure, got %s" % rep["auth_result"])
            if rep["phase_reached"] == "up":
                why.append("the link came up despite the failure")
        elif rep["phase_reached"] == "lcp":
            why.append("LCP never opened (terminated by %s)" % rep["terminated_by"])
        else:
            if a.expect_auth == "none":
                if rep["auth"] != "none":
                    why.append("the server asked for %s, expected no authentication" %
                               rep["auth"])
            elif a.expect_auth != "any" and rep["auth"] != a.expect_auth:
                why.append("the server asked for %s, expected %s" % (rep["auth"], a.expect_auth))
            elif rep["auth"] == "none":
                why.append("the server did not authenticate us (use --expect-auth none)")
            if rep["auth"] != "none" and rep["auth_result"] != "success":
                why.append("authentication: %s" % rep["auth_result"])
            if rep["phase_reached"] != "up" or not rep["address"]:
                why.append("no address (phase reached: %s)" % rep["phase_reached"])
            if a.pings and rep["pings_received"] != a.pings:
                why.append("%d of %d pings answered" % (rep["pings_received"], a.pings))
            if a.expect_mppe and not rep["mppe"]:
                why.append("MPPE was not negotiated (--expect-mppe)")
            if a.end == "wait" and not self.ended_by_hold and \
                    rep["terminated_by"] not in ("server", "pptp-exit"):
                why.append("waited for the server to end the session: %s" %
                           rep["terminated_by"])
        if rep["terminated_by"] == "timeout":
            why.append("overall timeout")
        why += ["error: " + e for e in rep["errors"] if "overall timeout" not in e]
        return why


def parse_args(argv=None):
    ap = argparse.ArgumentParser(
        description="PPP client (LCP, PAP/CHAP-MD5/MS-CHAPv2, IPCP) behind pptp --nolaunchpppd; "
                    "prints one JSON report.")
    ap.add_argument("server", help="the PPTP server's address")
    ap.add_argument("--localbind", metavar="ADDR", help="pptp --localbind")
    ap.add_argument("--user", default="lab")
    ap.add_argument("--password", default="lab-secret")
    ap.add_argument("--retry", type=int, default=0, metavar="N",
                    help="authenticate again up to N times after a failure (default 0)")
    ap.add_argument("--retry-password", metavar="PW", help="the password for those retries")
    ap.add_argument("--auth", type=lambda s: [m for m in s.split(",") if m],
                    default=list(ALL_AUTH), metavar="LIST",
                    help="methods we accept, the first preferred when we Nak "
                         "(default mschapv2,chap-md5,pap; '' accepts none)")
    ap.add_argument("--expect-auth", default="any",
                    choices=["any", "none"] + list(ALL_AUTH),
                    help="the method the server must demand (any: some method; none: none)")
    ap.add_argument("--expect-failure", action="store_true",
                    help="success means the server rejected our credentials")
    ap.add_argument("--mru", type=int, default=1400)
    ap.add_argument("--compress", action="store_true",
                    help="ask for PFC/ACFC, and compress toward the server when it asks")
    ap.add_argument("--ip", default="0.0.0.0", metavar="ADDR",
                    help="the address to ask for in IPCP (default 0.0.0.0)")
    ap.add_argument("--ask-dns", action="store_true", help="ask for primary/secondary DNS")
    ap.add_argument("--ccp", action="store_true", help="run CCP (empty request) ourselves")
    ap.add_argument("--mppe", choices=["off", "stateless", "stateful"], default="off",
                    help="negotiate MPPE in CCP as a Windows client (stateless: what Windows "
                         "asks) and encrypt IPv4 once agreed (default off: CCP answered, "
                         "option 18 rejected)")
    ap.add_argument("--mppe-bits", type=int, choices=[128, 56, 40], default=128,
                    help="the MPPE key length we ask for (default 128)")
    ap.add_argument("--expect-mppe", action="store_true",
                    help="fail unless MPPE was negotiated")
    ap.add_argument("--ignore-echo", action="store_true",
                    help="do not answer LCP Echo-Request (to test the server's keepalive)")
    ap.add_argument("--pings", type=int, default=0, metavar="N")
    ap.add_argument("--target", default="203.0.113.2", help="ping target (default lab upstream)")
    ap.add_argument("--interval", type=float, default=0.2)
    ap.add_argument("--timeout", type=float, default=2.0,
                    help="seconds a ping's reply may take (default 2)")
    ap.add_argument("--payload-size", type=int, default=56, metavar="BYTES",
                    help="ICMP payload bytes (default 56)")
    ap.add_argument("--hold", type=float, metavar="S",
                    help="stay up S seconds after the pings (with --end wait: wait at most S)")
    ap.add_argument("--end", choices=["terminate", "sigterm", "wait"], default="terminate")
    ap.add_argument("--timeout-total", type=float, default=60.0, metavar="S")
    ap.add_argument("--pptp", default=shutil.which("pptp") or "/usr/sbin/pptp",
                    help="the pptp program")
    ap.add_argument("--pptp-loglevel", type=int, default=1)
    ap.add_argument("--pptp-opt", action="append", default=[], metavar="ARG",
                    help="extra pptp argument (repeat; e.g. --pptp-opt=--nobuffer)")
    ap.add_argument("--pptp-log", metavar="FILE", help="pptp's stderr (default: ours)")
    ap.add_argument("--report", metavar="FILE", help="also write the JSON report here")
    ap.add_argument("-v", "--verbose", action="store_true", help="trace PPP packets on stderr")
    args = ap.parse_args(argv)
    for m in args.auth:
        if m not in ALL_AUTH:
            ap.error("--auth: unknown method %r" % m)
    try:
        F.ip_bytes(args.ip)
    except ValueError as e:
        ap.error("--ip: %s" % e)
    if args.expect_failure and args.pings:
        ap.error("--pings makes no sense with --expect-failure")
    if args.expect_mppe and args.mppe == "off":
        ap.error("--expect-mppe needs --mppe stateless or stateful")
    return args


def main(argv=None):
    args = parse_args(argv)
    # a SIGTERM/SIGINT to us still ends pptp and prints the report
    def stop(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, stop)
    rep = Run(args).main()
    text = json.dumps(rep, sort_keys=False)
    print(text, flush=True)
    if args.report:
        with open(args.report, "w") as f:
            f.write(text + "\n")
    return 0 if rep.get("ok") else 1


if __name__ == "__main__":
    sys.exit(main())
