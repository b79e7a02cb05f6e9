"""PppClient: the peer's PPP (RFC 1661 phases) over a frame callback.

No I/O, no clock: the owner calls start(), input() for each PPP frame from the
server, tick() when next_deadline() has passed, close() to hang up, and
lower_down() when the link itself is gone. Frames go out through send(frame).
"""
import os
import struct
from dataclasses import dataclass

from . import frame as F
from .auth import make_authenticator
from .ccp import CcpHandler, answer_stateless
from .fsm import CLOSED, INITIAL, STARTING, STOPPED, Fsm
from .ipcp import IpcpHandler, OPT_ADDRESS, OPT_DNS1, OPT_DNS2
from .lcp import LcpHandler

ALL_AUTH = ("mschapv2", "chap-md5", "pap")


@dataclass
class ClientConfig:
    user: str = "lab"
    password: str = "lab-secret"
    retry: int = 0                    # further authentication attempts after a failure
    retry_password: str = None        # the password for those (default: the same)
    allowed_auth: tuple = ALL_AUTH    # methods we accept, the first preferred in a Nak
    mru: int = 1400
    compress: bool = False            # ask for PFC/ACFC and use them if the server asks
    request_ip: str = "0.0.0.0"
    ask_dns: bool = False
    ccp: bool = False                 # run a CCP automaton (empty request)
    answer_echo: bool = True
    restart: float = 3.0
    max_configure: int = 10
    max_terminate: int = 2
    max_failure: int = 5
    auth_fail_wait: float = 3.0       # after a failure, time for the server to hang up


class PppClient:
    def __init__(self, cfg, send, log=None, trace=None, rng=os.urandom):
        """send(frame_bytes); log(text) for notes; trace(direction, text) per packet."""
        self.cfg = cfg
        self._send_frame = send
        self._log = log or (lambda text: None)
        self._trace = trace
        self.rng = rng
        fsm_args = dict(restart=cfg.restart, max_configure=cfg.max_configure,
                        max_terminate=cfg.max_terminate, max_failure=cfg.max_failure)
        self.lcp = Fsm("LCP", F.PROTO_LCP, LcpHandler(self), self._output_cp, self._log,
                       **fsm_args)
        self.ipcp = Fsm("IPCP", F.PROTO_IPCP, IpcpHandler(self), self._output_cp, self._log,
                        **fsm_args)
        self.ccp = Fsm("CCP", F.PROTO_CCP, CcpHandler(self), self._output_cp, self._log,
                       **fsm_args) if cfg.ccp else None
        self.phase = "dead"        # dead, establish, authenticate, network, terminate
        self.phase_reached = "lcp"
        self.auth = None
        self.auth_method = "none"
        self.auth_result = "not-reached"
        self.auth_failure = None
        self.auth_message = None
        self.auth_fail_deadline = None
        self.address = None
        self.dns = []
        self.server_address = None
        self.ip_up = False
        self.ccp_opened = False
        self.finished = False
        self.terminated_by = None
        self.peer_terminate_reason = None
        self.errors = []
        self.notes = []
        self.on_ip = None          # on_ip(now, ipv4_packet_bytes)
        self.on_up = None          # on_up(now): IPCP opened
        self.frames_in = 0
        self.frames_out = 0
        self.lcp_echo_received = 0
        self.lcp_echo_answered = 0
        self.lcp_echo_replies = 0
        self.ccp_stateless_answers = 0
        self.protocol_rejects_sent = 0
        self.now = 0.0

    # --- messages ------------------------------------------------------------
    def error(self, text):
        """Something the server did wrong, or a failure of the run."""
        self.errors.append(text)
        self._log("ERROR " + text)

    def note(self, text):
        self.notes.append(text)
        self._log(text)

    # --- output ------------------------------------------------------------------
    def peer_mru(self):
        return self.lcp.h.peer.get("mru", 1500) if self.lcp.opened else 1500

    def _send(self, proto, info):
        peer = self.lcp.h.peer if self.lcp.opened else {}
        acfc = self.cfg.compress and peer.get("acfc", False) and proto != F.PROTO_LCP
        pfc = self.cfg.compress and peer.get("pfc", False)
        frame = F.build_frame(proto, info, acfc=acfc, pfc=pfc)
        if self._trace:
            self._trace("->", F.describe(proto, info))
        self.frames_out += 1
        self._send_frame(frame)

    def _output_cp(self, proto, pkt):
        self._send(proto, pkt.encode())

    def send_ip(self, packet):
        if not self.ip_up:
            return False
        self._send(F.PROTO_IP, packet)
        return True

    # --- entry points ----------------------------------------------------------------
    def start(self, now):
        self.now = now
        self.phase = "establish"
        self.lcp.open(now)
        self.lcp.up(now)

    def close(self, now, reason="User request"):
        """Hang up: LCP Terminate-Request (RFC 1661 Close event)."""
        self.now = now
        if self.terminated_by is None:
            self.terminated_by = "us"
        if self.phase != "dead":
            self.phase = "terminate"
        self.auth_fail_deadline = None
        self.lcp.close(now, reason)
        if self.lcp.state in (INITIAL, STARTING, CLOSED, STOPPED):  # nothing to wait for
            self.finished = True

    def lower_down(self, now):
        """The link (pptp) is gone."""
        self.now = now
        if self.finished:
            return
        self.lcp.down(now)
        self.lcp.close(now)
        self.finished = True
        self.phase = "dead"

    def next_deadline(self):
        ds = [self.lcp.deadline, self.ipcp.deadline, self.auth_fail_deadline]
        if self.ccp:
            ds.append(self.ccp.deadline)
        if self.auth:
            ds.append(self.auth.deadline)
        ds = [d for d in ds if d is not None]
        return min(ds) if ds else None

    def tick(self, now):
        self.now = now
        self.lcp.tick(now)
        self.ipcp.tick(now)
        if self.ccp:
            self.ccp.tick(now)
        if self.auth:
            self.auth.tick(now)
        if self.auth_fail_deadline is not None and now >= self.auth_fail_deadline:
            self.auth_fail_deadline = None
            if self.lcp.opened:
                self.close(now, "Authentication failed")

    def input(self, now, frame):
        self.now = now
        self.frames_in += 1
        try:
            hdr, info = F.parse_frame(frame)
        except F.FrameError as e:
            self.error("malformed PPP frame (%s): %s" % (e, bytes(frame).hex()))
            return
        if self._trace:
            self._trace("<-", ("" if hdr.has_acf else "[no FF03] ") +
                        ("[PFC] " if hdr.proto_compressed else "") + F.describe(hdr.proto, info))
        self._check_header(hdr)
        proto = hdr.proto
        if proto == F.PROTO_LCP:
            pkt = self._parse_cp(proto, info)
            if pkt:
                self.lcp.input(now, pkt)
            return
        if not self.lcp.opened:  # RFC 1661 3.4: only LCP before LCP is up
            self.note("%s frame discarded: LCP not open" % F.PROTO_NAMES.get(proto, "%04x" % proto))
            return
        if proto in (F.PROTO_PAP, F.PROTO_CHAP):
            pkt = self._parse_cp(proto, info)
            if pkt is None:
                return
            if self.auth is None or self.auth.proto != proto:
                self.error("%s packet but %s was agreed" % (F.PROTO_NAMES[proto], self.auth_method))
                return
            self.auth.input(now, pkt)
        elif proto == F.PROTO_IPCP:
            pkt = self._parse_cp(proto, info)
            if pkt is None:
                return
            if self.phase != "network":  # RFC 1661 3.5: NCPs wait for the Network phase
                self.note("IPCP %s discarded before the Network phase" % F.CODE_NAMES.get(
                    pkt.code, pkt.code))
                return
            self.ipcp.input(now, pkt)
        elif proto == F.PROTO_CCP:
            pkt = self._parse_cp(proto, info)
            if pkt is None or self.phase != "network":
                return
            if self.ccp:
                self.ccp.input(now, pkt)
            else:
                reply = answer_stateless(pkt)
                if reply:
                    self.ccp_stateless_answers += 1
                    self._output_cp(F.PROTO_CCP, reply)
        elif proto == F.PROTO_IP:
            if not self.ip_up:
                self.note("IPv4 packet before IPCP is up, dropped")
            elif self.on_ip:
                self.on_ip(now, bytes(info))
        else:
            # RFC 1661 5.7: Protocol-Reject what we do not run (IPV6CP, IPv6, ...)
            room = self.peer_mru() - 4 - 2
            data = struct.pack("!H", proto) + bytes(info)[:max(room, 0)]
            self.protocol_rejects_sent += 1
            self.note("Protocol-Reject of %04x" % proto)
            self._output_cp(F.PROTO_LCP, F.CpPacket(F.PROTO_REJ, self.lcp._new_id(), data))

    def _parse_cp(self, proto, info):
        try:
            return F.parse_cp(info)
        except F.FrameError as e:
            self.error("malformed %s packet (%s): %s" % (F.PROTO_NAMES[proto], e, bytes(info).hex()))
            return None

    def _check_header(self, hdr):
        """Accept any header form (RFC 1661), but report one the server may not use."""
        acked = self.lcp.h.acked if self.lcp.opened else {}
        if not hdr.has_acf:
            if hdr.proto == F.PROTO_LCP:
                self.error("LCP frame without FF 03 (RFC 1661 6.6 forbids it)")
            elif not acked.get("acfc"):
                self.error("%04x frame without FF 03, ACFC not negotiated" % hdr.proto)
        if hdr.proto_compressed and not acked.get("pfc"):
            self.error("%04x frame with a 1-byte protocol field, PFC not negotiated" % hdr.proto)

    # --- callbacks from the layers -------------------------------------------------
    def _lcp_up(self):
        method = self.lcp.h.peer.get("auth")
        self.phase_reached = "auth"
        if method:
            self.phase = "authenticate"
            self.auth_method = method
            self.auth_result = "pending"
            self.auth = make_authenticator(self, method)
            self._log("LCP up; authenticating with %s" % method)
            self.auth.start(self.now)
        else:
            self.auth_method = "none"
            self.auth_result = "none"
            self._log("LCP up; the server asks no authentication")
            self._network()

    def _lcp_down(self):
        # the NCPs see their lower layer go (Down: no Terminate goes out); they
        # come up again if LCP does (renegotiation)
        self.ipcp.down(self.now)
        if self.ccp:
            self.ccp.down(self.now)
        self.auth = None
        self.auth_fail_deadline = None
        if self.phase != "terminate":
            self.phase = "establish"

    def _lcp_finished(self):
        self.phase = "dead"
        self.finished = True
        if self.terminated_by is None:  # we gave up negotiating
            self.terminated_by = "us"
        if self.lcp.failure:
            self.error(self.lcp.failure)

    def _auth_done(self, now, result, failure, close_now):
        self.auth_result = result
        self.auth_failure = failure
        if result == "success":
            self._log("authenticated (%s)" % self.auth_method)
            self._network()
            return
        self._log("authentication %s: %s" % (result, failure))
        if close_now:
            self.close(now, "Authentication failed")
        else:
            self.auth_fail_deadline = now + self.cfg.auth_fail_wait

    def _auth_retrying(self, now):
        self.auth_result = "pending"
        self.auth_failure = None
        self.auth_fail_deadline = None

    def _network(self):
        self.phase = "network"
        self.phase_reached = "ipcp"
        self.ipcp.open(self.now)
        self.ipcp.up(self.now)
        if self.ccp:
            self.ccp.open(self.now)
            self.ccp.up(self.now)

    def _ipcp_up(self):
        h = self.ipcp.h
        self.address = F.ip_str(h.acked.get(OPT_ADDRESS, b"\0\0\0\0")) \
            if OPT_ADDRESS in h.acked else None
        self.dns = [F.ip_str(h.acked[t]) for t in (OPT_DNS1, OPT_DNS2)
                    if t in h.acked and h.acked[t] != b"\0\0\0\0"]
        self.server_address = F.ip_str(h.peer_address) if h.peer_address else None
        if self.address in (None, "0.0.0.0"):
            self.error("IPCP opened without an address for us (%s)" % self.address)
        self.ip_up = True
        self.phase_reached = "up"
        self._log("IPCP up: address %s, server %s, DNS %s" % (
            self.address, self.server_address, self.dns))
        if self.on_up:
            self.on_up(self.now)

    def _ipcp_down(self):
        self.ip_up = False

    def _ipcp_finished(self):
        if self.ipcp.failure:
            self.error(self.ipcp.failure)
        if self.lcp.opened:  # IPCP was our only network protocol
            self.close(self.now, "No network protocols running")

    def _peer_terminate(self, layer, data):
        if self.terminated_by is None:
            self.terminated_by = "server"
            self.peer_terminate_reason = "%s: %s" % (layer, bytes(data).decode("latin-1"))
        self._log("server sent %s Terminate-Request %r" % (layer, bytes(data)))
        if layer == "LCP":
            self.phase = "terminate"

    def _protocol_rejected(self, proto):
        name = F.PROTO_NAMES.get(proto, "%04x" % proto)
        if proto == F.PROTO_LCP:
            self.error("server Protocol-Rejected LCP")
            self.lcp._event("RXJ-")
        elif proto == F.PROTO_IPCP:
            self.error("server Protocol-Rejected IPCP")
            self.ipcp._event("RXJ-")
        elif proto in (F.PROTO_PAP, F.PROTO_CHAP) and self.auth and self.auth.proto == proto:
            self.error("server Protocol-Rejected %s, the agreed authentication" % name)
            self.auth_result = "protocol-rejected"
            self.close(self.now, "Authentication protocol rejected")
        elif proto == F.PROTO_CCP and self.ccp:
            self.note("server Protocol-Rejected CCP")
            self.ccp._event("RXJ-")
        elif proto == F.PROTO_IP:
            self.error("server Protocol-Rejected IPv4")
        else:
            self.note("server Protocol-Rejected %s" % name)

    # --- the outcome ---------------------------------------------------------------------
    def summary(self):
        return {
            "phase_reached": self.phase_reached,
            "auth": self.auth_method,
            "auth_result": self.auth_result,
            "auth_message": self.auth_message,
            "failure": self.auth_failure,
            "address": self.address,
            "dns": self.dns,
            "server_address": self.server_address,
            "lcp": {"peer": dict(self.lcp.h.peer), "acked": dict(self.lcp.h.acked),
                    "state": self.lcp.state},
            "lcp_echo_received": self.lcp_echo_received,
            "lcp_echo_answered": self.lcp_echo_answered,
            "terminated_by": self.terminated_by,
            "peer_terminate_reason": self.peer_terminate_reason,
            "ccp_opened": self.ccp_opened,
            "protocol_rejects_sent": self.protocol_rejects_sent,
            "frames_in": self.frames_in,
            "frames_out": self.frames_out,
            "bad_replies": self.lcp.bad_replies + self.ipcp.bad_replies,
        }
