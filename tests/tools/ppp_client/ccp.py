"""CCP (RFC 1962) on the client, and MPPE negotiation as a Windows client does
it (RFC 3078 section 2, option 18).

With --mppe stateless|stateful a CCP automaton runs and asks for one key length
(--mppe-bits: 128 S, 56 M, 40 L) with H when stateless: Windows 10 asks
0x01000040. The server's request must end equal to ours (we Ack exactly our
value and Nak anything else with it, MPPC included), so both directions run the
same cipher; a Nak of ours toward something else is noted and our value asked
again (the server's Max-Failure decides); a Reject of option 18 means the
server will not encrypt: we go on in the clear, as Windows' "optional
encryption" does. With --ccp alone the automaton asks for nothing and rejects
every option; with neither, the server's CCP packets are answered without an
automaton (answer_stateless).

The cipher is tests/tools/mppe.py (MppeState); see cipher_module()."""
import os
import struct
import sys

from . import frame as F
from .fsm import CpHandler

OPT_MPPE = 18
MPPE_H = 0x01000000
MPPE_M = 0x00000080   # 56-bit
MPPE_S = 0x00000040   # 128-bit
MPPE_L = 0x00000020   # 40-bit
MPPE_D = 0x00000010
MPPE_C = 0x00000001   # MPPC
KEY_BIT = {128: MPPE_S, 56: MPPE_M, 40: MPPE_L}
MODES = ("off", "stateless", "stateful")


def mppe_value(bits, stateless):
    """Option 18's Supported Bits for one key length."""
    return KEY_BIT[bits] | (MPPE_H if stateless else 0)


def mppe_params(value):
    """(bits, stateless) of an agreed option 18 value, or None if it names no key length."""
    for bits in (128, 56, 40):
        if value & KEY_BIT[bits]:
            return bits, bool(value & MPPE_H)
    return None


def describe_mppe(value):
    flags = [name for bit, name in ((MPPE_H, "H"), (MPPE_M, "M"), (MPPE_S, "S"),
                                    (MPPE_L, "L"), (MPPE_D, "D"), (MPPE_C, "C"))
             if value & bit]
    return "0x%08x<%s>" % (value, "".join(flags) or "-")


def cipher_module():
    """tests/tools/mppe.py: MppeState, master_key(), asymmetric_start_key()."""
    try:
        import mppe  # noqa: F401 - tests/tools is on sys.path when run from there
    except ImportError:
        sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        import mppe
    return mppe


class CcpHandler(CpHandler):
    def __init__(self, client):
        self.c = client
        cfg = client.cfg
        self.want = None if cfg.mppe == "off" else mppe_value(cfg.mppe_bits,
                                                               cfg.mppe == "stateless")
        self.asking = self.want is not None  # False once the server rejected option 18
        self.acked_ours = None    # option 18 in our request the server acked
        self.acked_theirs = None  # option 18 in the server's request we acked
        self._pending = None

    def request_options(self):
        if self.asking:
            return [(OPT_MPPE, struct.pack("!I", self.want))]
        return []

    def judge_request(self, opts):
        rej = [(t, v) for t, v in opts if t != OPT_MPPE or len(v) != 4 or not self.asking]
        if rej:
            self.c.note("CCP: rejecting %s" % ", ".join(
                "%d:%s" % (t, v.hex()) for t, v in rej))
            return F.CONF_REJ, rej
        self._pending = None
        for _, v in opts:
            value = struct.unpack("!I", v)[0]
            if value != self.want:
                self.c.note("CCP: server asks MPPE %s, we Nak with %s" % (
                    describe_mppe(value), describe_mppe(self.want)))
                return F.CONF_NAK, [(OPT_MPPE, struct.pack("!I", self.want))]
            self._pending = value
        return F.CONF_ACK, []

    def commit_request(self):
        self.acked_theirs = self._pending

    def got_ack(self, opts):
        self.acked_ours = None
        for t, v in opts:
            if t == OPT_MPPE and len(v) == 4:
                self.acked_ours = struct.unpack("!I", v)[0]

    def got_nak(self, opts):
        for t, v in opts:
            if t == OPT_MPPE and len(v) == 4 and self.asking:
                value = struct.unpack("!I", v)[0]
                if value != self.want:
                    self.c.note("CCP: server Naks our MPPE %s with %s; we can only do ours" %
                                (describe_mppe(self.want), describe_mppe(value)))
            else:
                self.c.note("CCP: Nak of option %d (%s) ignored" % (t, v.hex()))
        return True

    def got_reject(self, opts):
        if any(t == OPT_MPPE for t, _ in opts):
            self.c.note("CCP: server rejects MPPE: going on without encryption")
            self.asking = False
        return True

    def layer_up(self):
        self.c._ccp_up()

    def layer_down(self):
        self.c._ccp_down()

    def layer_finished(self):
        self.c._ccp_finished()

    def extended_code(self, pkt):
        if pkt.code == F.RESET_REQ:
            self.c._mppe_reset_request(pkt)
            return True
        if pkt.code == F.RESET_ACK:
            self.c._mppe_reset_ack(pkt)
            return True
        return False


def answer_stateless(pkt):
    """The reply to a CCP packet when we run no CCP automaton, or None."""
    if pkt.code == F.CONF_REQ:
        try:
            opts = F.parse_options(pkt.data)
        except F.FrameError:
            return None
        if opts:
            return F.CpPacket(F.CONF_REJ, pkt.ident, F.encode_options(opts))
        return F.CpPacket(F.CONF_ACK, pkt.ident, b"")
    if pkt.code == F.TERM_REQ:
        return F.CpPacket(F.TERM_ACK, pkt.ident, b"")
    return None
