"""Async-HDLC-like framing of PPP (RFC 1662 section 4) for test-side PPP peers.

pptp-linux with --nolaunchpppd exchanges PPP frames on its stdin/stdout in
this framing: flag 0x7E, control escape 0x7D with XOR 0x20, FCS-16.
Written for the tests, independently of the project's C code.
"""

FLAG = 0x7E
ESC = 0x7D


def _fcs16_table():
    table = []
    for b in range(256):
        v = b
        for _ in range(8):
            v = (v >> 1) ^ 0x8408 if v & 1 else v >> 1
        table.append(v)
    return table


_FCS_TABLE = _fcs16_table()


def fcs16(data, fcs=0xFFFF):
    for b in data:
        fcs = (fcs >> 8) ^ _FCS_TABLE[(fcs ^ b) & 0xFF]
    return fcs


def encode(frame, accm=0xFFFFFFFF):
    """Frame one PPP frame (address/control and protocol included)."""
    fcs = fcs16(frame) ^ 0xFFFF
    raw = bytes(frame) + bytes([fcs & 0xFF, fcs >> 8])
    out = bytearray([FLAG])
    for b in raw:
        if b in (FLAG, ESC) or (b < 0x20 and (accm >> b) & 1):
            out += bytes([ESC, b ^ 0x20])
        else:
            out.append(b)
    out.append(FLAG)
    return bytes(out)


class Decoder:
    """Incremental decoder: feed() bytes, get complete frames with good FCS."""

    def __init__(self):
        self.buf = bytearray()
        self.esc = False
        self.bad_fcs = 0

    def feed(self, data):
        frames = []
        for b in data:
            if b == FLAG:
                if len(self.buf) >= 4:
                    if fcs16(self.buf) == 0xF0B8:
                        frames.append(bytes(self.buf[:-2]))
                    else:
                        self.bad_fcs += 1
                self.buf.clear()
                self.esc = False
            elif b == ESC:
                self.esc = True
            else:
                self.buf.append(b ^ 0x20 if self.esc else b)
                self.esc = False
        return frames
