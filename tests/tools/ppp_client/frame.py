"""PPP frame header and control-protocol packet codecs (RFC 1661 sections 2, 5, 6).

A PPP frame here is what pptp carries in GRE: [FF 03] protocol information,
without flags or FCS (ppp_hdlc does the async-HDLC part).
"""
import struct

PROTO_IP = 0x0021
PROTO_IPV6 = 0x0057
PROTO_COMP = 0x00FD
PROTO_IPCP = 0x8021
PROTO_IPV6CP = 0x8057
PROTO_CCP = 0x80FD
PROTO_LCP = 0xC021
PROTO_PAP = 0xC023
PROTO_CHAP = 0xC223

PROTO_NAMES = {
    PROTO_IP: "IP", PROTO_IPV6: "IPv6", PROTO_COMP: "CompData", PROTO_IPCP: "IPCP",
    PROTO_IPV6CP: "IPV6CP", PROTO_CCP: "CCP", PROTO_LCP: "LCP", PROTO_PAP: "PAP",
    PROTO_CHAP: "CHAP",
}

# Control-protocol codes (RFC 1661 5; LCP's 8-13; CCP's 14-15, RFC 1962)
CONF_REQ, CONF_ACK, CONF_NAK, CONF_REJ = 1, 2, 3, 4
TERM_REQ, TERM_ACK, CODE_REJ = 5, 6, 7
PROTO_REJ, ECHO_REQ, ECHO_REP, DISCARD_REQ, IDENTIFICATION, TIME_REMAINING = 8, 9, 10, 11, 12, 13
RESET_REQ, RESET_ACK = 14, 15

CODE_NAMES = {
    1: "Conf-Req", 2: "Conf-Ack", 3: "Conf-Nak", 4: "Conf-Rej", 5: "Term-Req", 6: "Term-Ack",
    7: "Code-Rej", 8: "Proto-Rej", 9: "Echo-Req", 10: "Echo-Rep", 11: "Discard-Req",
    12: "Identification", 13: "Time-Remaining", 14: "Reset-Req", 15: "Reset-Ack",
}


class FrameError(ValueError):
    pass


class Header:
    """What a received frame's header looked like."""
    __slots__ = ("proto", "has_acf", "proto_compressed")

    def __init__(self, proto, has_acf, proto_compressed):
        self.proto = proto
        self.has_acf = has_acf
        self.proto_compressed = proto_compressed


def parse_frame(frame):
    """Split a PPP frame into (Header, information). FF 03 may be present or
    not, the protocol field 1 or 2 bytes (RFC 1661 6.5, 6.6)."""
    frame = bytes(frame)
    i = 0
    has_acf = False
    if len(frame) >= 1 and frame[0] == 0xFF:
        if len(frame) < 2 or frame[1] != 0x03:
            raise FrameError("address FF without control 03")
        i, has_acf = 2, True
    if i >= len(frame):
        raise FrameError("no protocol field")
    if frame[i] & 1:  # odd first byte: a compressed (1-byte) protocol field
        return Header(frame[i], has_acf, True), frame[i + 1:]
    if i + 2 > len(frame):
        raise FrameError("truncated protocol field")
    proto = (frame[i] << 8) | frame[i + 1]
    if not proto & 1:
        raise FrameError("protocol %04x has an even last byte" % proto)
    return Header(proto, has_acf, False), frame[i + 2:]


def build_frame(proto, info, acfc=False, pfc=False):
    """A PPP frame; acfc/pfc: may we leave out FF 03 / compress the protocol."""
    head = b"" if acfc else b"\xff\x03"
    if pfc and proto < 0x100:
        head += bytes([proto])
    else:
        head += struct.pack("!H", proto)
    return head + bytes(info)


class CpPacket:
    """A control-protocol packet: Code, Identifier, Length, Data."""
    __slots__ = ("code", "ident", "data")

    def __init__(self, code, ident, data=b""):
        self.code = code
        self.ident = ident & 0xFF
        self.data = bytes(data)

    def encode(self):
        return struct.pack("!BBH", self.code, self.ident, 4 + len(self.data)) + self.data

    def __repr__(self):
        return "CpPacket(%s, id=%d, %s)" % (CODE_NAMES.get(self.code, self.code), self.ident,
                                           self.data.hex())


def parse_cp(info):
    """Parse a control-protocol packet; octets past Length are padding (RFC 1661 5)."""
    if len(info) < 4:
        raise FrameError("control packet shorter than 4 bytes")
    code, ident, length = struct.unpack("!BBH", info[:4])
    if length < 4 or length > len(info):
        raise FrameError("control packet length %d (have %d)" % (length, len(info)))
    return CpPacket(code, ident, info[4:length])


def parse_options(data):
    """[(type, value)] of Configure-* data; FrameError if one does not fit."""
    opts = []
    i = 0
    while i < len(data):
        if i + 2 > len(data):
            raise FrameError("option header truncated")
        t, ln = data[i], data[i + 1]
        if ln < 2 or i + ln > len(data):
            raise FrameError("option %d length %d does not fit" % (t, ln))
        opts.append((t, bytes(data[i + 2:i + ln])))
        i += ln
    return opts


def encode_options(opts):
    return b"".join(bytes([t, len(v) + 2]) + bytes(v) for t, v in opts)


def ip_str(b4):
    return ".".join(str(x) for x in b4)


def ip_bytes(s):
    parts = [int(x) for x in s.split(".")]
    if len(parts) != 4 or any(not 0 <= x <= 255 for x in parts):
        raise ValueError("bad IPv4 address %r" % s)
    return bytes(parts)


def describe(proto, info):
    """One line for the -v trace."""
    name = PROTO_NAMES.get(proto, "%04x" % proto)
    if proto in (PROTO_LCP, PROTO_IPCP, PROTO_CCP, PROTO_PAP, PROTO_CHAP):
        try:
            p = parse_cp(info)
        except FrameError as e:
            return "%s malformed (%s) %s" % (name, e, bytes(info).hex())
        if proto in (PROTO_PAP, PROTO_CHAP):
            cname = {1: "Request" if proto == PROTO_PAP else "Challenge",
                     2: "Ack" if proto == PROTO_PAP else "Response",
                     3: "Nak" if proto == PROTO_PAP else "Success",
                     4: "Failure"}.get(p.code, str(p.code))
        else:
            cname = CODE_NAMES.get(p.code, str(p.code))
        text = "%s %s id=%d" % (name, cname, p.ident)
        if proto != PROTO_PAP and p.code in (CONF_REQ, CONF_ACK, CONF_NAK, CONF_REJ) \
                and proto in (PROTO_LCP, PROTO_IPCP, PROTO_CCP):
            try:
                text += " " + " ".join("%d:%s" % (t, v.hex()) for t, v in parse_options(p.data))
            except FrameError:
                text += " [bad options] " + p.data.hex()
        elif p.data:
            text += " " + p.data.hex()
        return text
    return "%s %d bytes" % (name, len(info))
