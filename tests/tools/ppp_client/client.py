"""PppClient: the peer's PPP (RFC 1661 phases) over a frame callback.

No I/O, no clock: the owner calls start(), input() for each PPP frame from the
server, tick() when next_deadline() has passed, close() to hang up, and
lower_down() when the link itself is gone. Frames go out through send(frame).

With cfg.mppe (stateless/stateful) CCP negotiates MPPE (ccp.py); the link is
"up" (on_up, send_ip) once IPCP is open and CCP has settled, as a Windows client
waits for it. While MPPE is on, IPv4 goes out as protocol 0x00FD encrypted with
the client's MS-CHAPv2 send key (RFC 3079 3.4, IsServer false), 0x00FD from the
server is decrypted, and clear IPv4 from the server is an error (dropped).
"""
import os
import struct
from dataclasses import dataclass

from . import frame as F
from .auth import make_authenticator
from .ccp import CcpHandler, answer_stateless, cipher_module, describe_mppe, mppe_params
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
    mppe: str = "off"                 # off | stateless | stateful (runs CCP)
    mppe_bits: int = 128              # 128 | 56 | 40
    answer_echo: bool = True
    restart: float = 3.0
    max_configure: int = 10
    max_terminate: int = 2
    max_failure: int = 5
    auth_fail_wait: float = 3.0       # after a failure, time for the server to hang up


class PppClient:
    def __init__(self, cfg, send, log=None, trace=None, rng=os.urandom, cipher=None):
        """send(frame_bytes); log(text) for notes; trace(direction, text) per packet;
        cipher: the MPPE module (default tests/tools/mppe.py)."""
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
                       **fsm_args) if cfg.ccp or cfg.mppe != "off" else None
        self._cipher = cipher
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
        # MPPE
        self.mschap_material = None   # (PasswordHashHash, NT-Response) after MS-CHAPv2
        self.mppe = None              # {"bits": .., "stateless": ..} while agreed
        self.mppe_ever = None         # the last agreed, for the report
        self.mppe_tx = None           # MppeState: we encrypt
        self.mppe_rx = None           # MppeState: we decrypt
        self.mppe_encrypted = 0
        self.mppe_decrypted = 0
        self.mppe_decrypt_failures = 0
        self.mppe_reset_requests_sent = 0
        self.mppe_reset_requests_received = 0
        self.mppe_reset_acks_received = 0
        self.mppe_reset_pending = None  # (Identifier, time sent) of our Reset-Request
        self.ip_clear_while_mppe = 0
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
        if self.mppe_tx is not None:
            # RFC 3078 3: the protocol field and the datagram, encrypted, in 0x00FD
            self._send(F.PROTO_COMP, self.mppe_tx.encrypt(b"\x00\x21" + bytes(packet)))
            self.mppe_encrypted += 1
        else:
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
            if self.mppe_rx is not None:
                # the data plane must encrypt: Windows drops such a packet
                self.ip_clear_while_mppe += 1
                if self.ip_clear_while_mppe == 1:
                    self.error("clear IPv4 from the server while MPPE is on (dropped)")
            else:
                self._deliver_ip(now, bytes(info))
        elif proto == F.PROTO_COMP:
            self._mppe_input(now, bytes(info))
        else:
            # RFC 1661 5.7: Protocol-Reject what we do not run (IPV6CP, IPv6, ...)
            room = self.peer_mru() - 4 - 2
            data = struct.pack("!H", proto) + bytes(info)[:max(room, 0)]
            self.protocol_rejects_sent += 1
            self.note("Protocol-Reject of %04x" % proto)
            self._output_cp(F.PROTO_LCP, F.CpPacket(F.PROTO_REJ, self.lcp._new_id(), data))

    def _deliver_ip(self, now, packet):
        if not self.ip_up:
            self.note("IPv4 packet before the link is up, dropped")
        elif self.on_ip:
            self.on_ip(now, packet)

    # --- MPPE ----------------------------------------------------------------------
    def _mppe_input(self, now, packet):
        if self.mppe_rx is None:
            self.error("compressed/encrypted datagram (0x00FD) without MPPE agreed")
            return
        out = self.mppe_rx.decrypt(packet)
        if out is None:
            self.mppe_decrypt_failures += 1
            why = self.mppe_rx.last_error
            self.note("MPPE: packet dropped (%s)" % why)
            if not self.mppe["stateless"] and why in ("resync", "jump"):
                self._mppe_resync(now)
            return
        self.mppe_decrypted += 1
        try:
            hdr, inner = F.parse_frame(out)  # the protocol field, maybe PFC-compressed
        except F.FrameError as e:
            self.error("MPPE: decrypted packet unparsable (%s)" % e)
            return
        if hdr.has_acf:
            self.error("MPPE: decrypted packet starts with FF 03")
            return
        if hdr.proto == F.PROTO_IP:
            self._deliver_ip(now, bytes(inner))
        else:
            self.note("MPPE: decrypted protocol %04x ignored" % hdr.proto)

    def _mppe_resync(self, now):
        """Our stateful decrypter lost sync: CCP Reset-Request, one outstanding at a time."""
        if self.mppe_reset_pending and now < self.mppe_reset_pending[1] + self.cfg.restart:
            return
        ident = self.ccp._new_id()
        self.mppe_reset_pending = (ident, now)
        self.mppe_reset_requests_sent += 1
        self._output_cp(F.PROTO_CCP, F.CpPacket(F.RESET_REQ, ident, b""))

    def _mppe_reset_request(self, pkt):
        """The server's decrypter lost sync: Reset-Ack, and our next packet is flushed."""
        self.mppe_reset_requests_received += 1
        if not self.ccp.opened:
            return
        if self.mppe_tx is not None:
            self.mppe_tx.flush()
        self._output_cp(F.PROTO_CCP, F.CpPacket(F.RESET_ACK, pkt.ident, b""))

    def _mppe_reset_ack(self, pkt):
        self.mppe_reset_acks_received += 1
        if self.mppe_reset_pending and self.mppe_reset_pending[0] == pkt.ident:
            self.mppe_reset_pending = None

    def _mschapv2_keys(self, password_hash_hash, nt_response):
        self.mschap_material = (password_hash_hash, nt_response)

    def _mppe_start(self, value):
        params = mppe_params(value)
        if params is None:
            self.error("CCP agreed MPPE %s without a key length" % describe_mppe(value))
            return
        if self.mschap_material is None:
            self.error("CCP agreed MPPE without MS-CHAPv2 keys (auth %s)" % self.auth_method)
            return
        bits, stateless = params
        m = self._cipher or cipher_module()
        master = m.master_key(*self.mschap_material)
        n = 16 if bits == 128 else 8
        # RFC 3079 3.4: the client sends with Magic2, receives with Magic3
        self.mppe_tx = m.MppeState(m.asymmetric_start_key(master, n, True, False), bits,
                                   stateless)
        self.mppe_rx = m.MppeState(m.asymmetric_start_key(master, n, False, False), bits,
                                   stateless)
        self.mppe = {"bits": bits, "stateless": stateless}
        self.mppe_ever = dict(self.mppe)
        self.mppe_reset_pending = None
        self._log("MPPE on: %d-bit %s" % (bits, "stateless" if stateless else "stateful"))

    def _mppe_stop(self):
        if self.mppe is not None:
            self._log("MPPE off")
        self.mppe = None
        self.mppe_tx = self.mppe_rx = None
        self.mppe_reset_pending = None

    def _ccp_up(self):
        self.ccp_opened = True
        h = self.ccp.h
        if h.acked_ours is not None and h.acked_ours == h.acked_theirs:
            self._mppe_start(h.acked_ours)
        elif h.acked_ours is not None or h.acked_theirs is not None:
            self.error("CCP opened with MPPE one way only or two ways differently "
                       "(ours %s, the server's %s)" % (
                           describe_mppe(h.acked_ours) if h.acked_ours is not None else "none",
                           describe_mppe(h.acked_theirs) if h.acked_theirs is not None
                           else "none"))
        self._check_up()

    def _ccp_down(self):
        self.ccp_opened = False
        if self.mppe is not None and self.ip_up:
            self.note("CCP left Opened while MPPE was on")
        self._mppe_stop()

    def _ccp_finished(self):
        if self.ccp.failure:
            self.note(self.ccp.failure)
        self._check_up()

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
        self._check_up()

    def _ccp_settled(self):
        """With MPPE asked for, CCP must have opened or given up before IP flows."""
        if self.cfg.mppe == "off" or self.ccp is None:
            return True
        return self.ccp.opened or self.ccp.state in (INITIAL, STARTING, CLOSED, STOPPED)

    def _check_up(self):
        if self.ip_up or not self.ipcp.opened:
            return
        if not self._ccp_settled():
            self._log("IPCP up; waiting for CCP (MPPE)")
            return
        self.ip_up = True
        self.phase_reached = "up"
        self._log("link up: address %s, server %s, DNS %s, %s" % (
            self.address, self.server_address, self.dns,
            "MPPE %d-bit %s" % (self.mppe["bits"], "stateless" if self.mppe["stateless"]
                                else "stateful") if self.mppe else "unencrypted"))
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
            "mppe": self.mppe_ever,
            "mppe_encrypted": self.mppe_encrypted,
            "mppe_decrypted": self.mppe_decrypted,
            "mppe_decrypt_failures": self.mppe_decrypt_failures,
            "mppe_reset_requests_sent": self.mppe_reset_requests_sent,
            "mppe_reset_requests_received": self.mppe_reset_requests_received,
            "ip_clear_while_mppe": self.ip_clear_while_mppe,
            "protocol_rejects_sent": self.protocol_rejects_sent,
            "frames_in": self.frames_in,
            "frames_out": self.frames_out,
            "bad_replies": self.lcp.bad_replies + self.ipcp.bad_replies,
        }
