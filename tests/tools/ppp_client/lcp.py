"""LCP option policy of the client (RFC 1661 section 6, RFC 1334/1994/2759 for
the Authentication-Protocol option) and LCP's extra codes (8-13)."""
import struct

from . import frame as F
from .fsm import CpHandler, OPENED

OPT_MRU, OPT_ACCM, OPT_AUTH, OPT_QUALITY, OPT_MAGIC, OPT_PFC, OPT_ACFC = 1, 2, 3, 4, 5, 7, 8

AUTH_OPTION = {  # the option value that asks for each method
    "pap": b"\xc0\x23",
    "chap-md5": b"\xc2\x23\x05",
    "mschapv2": b"\xc2\x23\x81",
}


def auth_method_of(value):
    for name, v in AUTH_OPTION.items():
        if value == v:
            return name
    return None


class LcpHandler(CpHandler):
    def __init__(self, client):
        self.c = client
        cfg = client.cfg
        self.want_mru = cfg.mru
        self.want_magic = True
        self.magic = self._new_magic()
        self.want_pfc = cfg.compress
        self.want_acfc = cfg.compress
        self.acked = {}        # our options as the peer acknowledged them (what we receive)
        self.peer = {}         # the peer's options we acknowledged (what we send)
        self._pending = {}

    def _new_magic(self):
        while True:
            m = int.from_bytes(self.c.rng(4), "big")
            if m and m != getattr(self, "magic", None):
                return m

    # --- our request ----------------------------------------------------------
    def request_options(self):
        opts = []
        if self.want_mru is not None:
            opts.append((OPT_MRU, struct.pack("!H", self.want_mru)))
        if self.want_magic:
            opts.append((OPT_MAGIC, struct.pack("!I", self.magic)))
        if self.want_pfc:
            opts.append((OPT_PFC, b""))
        if self.want_acfc:
            opts.append((OPT_ACFC, b""))
        return opts

    def got_ack(self, opts):
        d = {}
        for t, v in opts:
            if t == OPT_MRU:
                d["mru"] = struct.unpack("!H", v)[0]
            elif t == OPT_MAGIC:
                d["magic"] = struct.unpack("!I", v)[0]
            elif t == OPT_PFC:
                d["pfc"] = True
            elif t == OPT_ACFC:
                d["acfc"] = True
        self.acked = d

    def got_nak(self, opts):
        for t, v in opts:
            if t == OPT_MRU and len(v) == 2 and self.want_mru is not None:
                mru = struct.unpack("!H", v)[0]
                if 128 <= mru <= 1500:
                    self.want_mru = mru
                else:
                    self.c.note("LCP: peer Naked MRU to %d, keeping %d" % (mru, self.want_mru))
            elif t == OPT_MAGIC and len(v) == 4 and self.want_magic:
                if struct.unpack("!I", v)[0] == self.magic:
                    self.c.note("LCP: Nak carries our own magic: looped back?")
                self.magic = self._new_magic()
            elif t in (OPT_PFC, OPT_ACFC):
                if t == OPT_PFC:
                    self.want_pfc = False
                else:
                    self.want_acfc = False
            elif t == OPT_AUTH:
                self.c.note("LCP: peer wants to authenticate us with %s in a Nak; we "
                            "authenticate nobody" % v.hex())
            else:
                self.c.note("LCP: Nak suggests option %d, ignored" % t)
        return True

    def got_reject(self, opts):
        for t, _ in opts:
            if t == OPT_MRU:
                self.want_mru = None
            elif t == OPT_MAGIC:
                self.want_magic = False
            elif t == OPT_PFC:
                self.want_pfc = False
            elif t == OPT_ACFC:
                self.want_acfc = False
        return True

    # --- the peer's request ---------------------------------------------------
    def judge_request(self, opts):
        rej, nak, pend = [], [], {}
        allowed = self.c.cfg.allowed_auth
        for t, v in opts:
            if t == OPT_MRU:
                if len(v) != 2:
                    rej.append((t, v))
                    continue
                mru = struct.unpack("!H", v)[0]
                if mru < 128:
                    nak.append((t, struct.pack("!H", 128)))
                else:
                    pend["mru"] = mru
            elif t == OPT_ACCM:
                if len(v) != 4:
                    rej.append((t, v))
            elif t == OPT_AUTH:
                method = auth_method_of(v)
                if method is not None and method in allowed:
                    pend["auth"] = method
                elif allowed:
                    nak.append((t, AUTH_OPTION[allowed[0]]))
                    self.c.note("LCP: peer asked for authentication %s; Nak with %s" % (
                        v.hex(), allowed[0]))
                else:
                    rej.append((t, v))
            elif t == OPT_MAGIC:
                if len(v) != 4:
                    rej.append((t, v))
                    continue
                m = struct.unpack("!I", v)[0]
                if m == 0 or (self.want_magic and m == self.magic):
                    if m:
                        self.c.note("LCP: peer's magic equals ours: looped back? new magic")
                        self.magic = self._new_magic()
                    nak.append((t, struct.pack("!I", self._new_magic())))
                else:
                    pend["magic"] = m
            elif t in (OPT_PFC, OPT_ACFC):
                if v:
                    rej.append((t, v))
                else:
                    pend["pfc" if t == OPT_PFC else "acfc"] = True
            else:  # Quality, Callback, MRRU, Short-Sequence, Endpoint-Discriminator, ...
                rej.append((t, v))
        self._pending = pend
        if rej:
            return F.CONF_REJ, rej
        if nak:
            return F.CONF_NAK, nak
        return F.CONF_ACK, []

    def commit_request(self):
        self.peer = self._pending

    # --- layer events -----------------------------------------------------------
    def layer_up(self):
        self.c._lcp_up()

    def layer_down(self):
        self.c._lcp_down()

    def layer_finished(self):
        self.c._lcp_finished()

    def terminate_requested(self, pkt):
        self.c._peer_terminate("LCP", pkt.data)

    # --- codes 8-13 ------------------------------------------------------------------
    def our_magic(self):
        return self.acked.get("magic", 0)

    def extended_code(self, pkt):
        fsm = self.fsm
        if pkt.code == F.PROTO_REJ:
            if fsm.state != OPENED:
                self.c.note("LCP: Protocol-Reject outside Opened ignored")
            elif len(pkt.data) < 2:
                self.c.error("LCP: Protocol-Reject too short")
            else:
                self.c._protocol_rejected(struct.unpack("!H", pkt.data[:2])[0])
            return True
        if pkt.code == F.ECHO_REQ:
            if fsm.state != OPENED:
                return True  # RFC 1661 5.8: silently discarded
            if len(pkt.data) < 4:
                self.c.error("LCP: Echo-Request without a magic number")
                return True
            m = struct.unpack("!I", pkt.data[:4])[0]
            if m and m == self.our_magic():
                self.c.note("LCP: Echo-Request carries our magic: looped back?")
                return True
            if self.peer.get("magic") is not None and m != self.peer["magic"]:
                self.c.error("LCP: Echo-Request magic %08x is not the peer's %08x" % (
                    m, self.peer["magic"]))
            self.c.lcp_echo_received += 1
            if self.c.cfg.answer_echo:
                room = self.c.peer_mru() - 8  # code, id, length, magic
                data = struct.pack("!I", self.our_magic()) + pkt.data[4:4 + max(room, 0)]
                self.c._output_cp(F.PROTO_LCP, F.CpPacket(F.ECHO_REP, pkt.ident, data))
                self.c.lcp_echo_answered += 1
            return True
        if pkt.code == F.ECHO_REP:
            self.c.lcp_echo_replies += 1
            return True
        if pkt.code == F.DISCARD_REQ:
            return True
        if pkt.code in (F.IDENTIFICATION, F.TIME_REMAINING):
            self.c.note("LCP: %s %r" % (F.CODE_NAMES[pkt.code], pkt.data[4:]))
            return True
        return False
