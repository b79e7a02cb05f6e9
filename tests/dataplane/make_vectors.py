#!/usr/bin/python3
"""Write the data-plane test inputs as pcaps, built with scapy's layers (an
encoder independent of the project's codecs).

Usage: make_vectors.py OUTDIR

The lab's numbers: the peer (PPTP client) 198.51.100.2 talks to our access
address 198.51.100.1; its session has our call ID 0x4000, its call ID 0x1234
and the inner address 100.64.0.5; the uplink is 203.0.113.1 with the gateway
203.0.113.2. test_dataplane.c knows the same numbers and the order of frames.
"""
import os
import sys

from scapy.all import wrpcap
from scapy.layers.inet import ICMP, IP, TCP, UDP
from scapy.layers.l2 import ARP, GRE_PPTP, Ether
from scapy.packet import Padding
from scapy.layers.ppp import PPP, PPP_IPCP, PPP_IPCP_Option_IPAddress, PPP_LCP_Configure, PPP_LCP_MRU_Option

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import mppe  # noqa: E402  the test side's own MPPE (pycryptodome's RC4), not lib/mppe

PEER = "198.51.100.2"
ACCESS = "198.51.100.1"
UPLINK = "203.0.113.1"
GATEWAY = "203.0.113.2"
SUB = "100.64.0.5"
OUR_CALL = 0x4000
PEER_CALL = 0x1234
PEER_MAC = "02:00:00:00:00:02"
GW_MAC = "02:00:00:00:00:aa"
US_MAC = "02:00:00:00:00:01"


def outer(gre):
    return Ether(src=PEER_MAC, dst=US_MAC) / IP(src=PEER, dst=ACCESS, ttl=64) / gre


def gre(seq=None, ack=None, call=OUR_CALL):
    g = GRE_PPTP(call_id=call)
    if seq is not None:
        g.seqnum_present = 1
        g.sequence_number = seq
    if ack is not None:
        g.acknum_present = 1
        g.ack_number = ack
    return g


def icmp_up(tag, src=SUB, ttl=64):
    return IP(src=src, dst=GATEWAY, ttl=ttl) / ICMP(type=8, id=1, seq=1) / tag.encode()


def ppp_ip(inner, acf=True, pfc=False):
    """PPP header in one of four forms, then the inner packet."""
    hdr = (b"\xff\x03" if acf else b"") + (b"\x21" if pfc else b"\x00\x21")
    return hdr + bytes(inner)


def decap_forms():
    out = []
    for i, (acf, pfc) in enumerate([(True, False), (True, True), (False, False), (False, True)]):
        out.append(outer(gre(seq=i + 1) / ppp_ip(icmp_up("form-%d" % i), acf, pfc)))
    return out


def decap_seq():
    seqs = [10, 11, 11, 9, 15, 16]
    return [outer(gre(seq=s) / ppp_ip(icmp_up("seq-%d" % s))) for s in seqs]


def decap_misc():
    return [
        outer(gre(seq=1) / ppp_ip(icmp_up("spoofed", src="100.64.0.9"))),
        outer(gre(seq=2) / ppp_ip(icmp_up("ttl", ttl=1))),
        outer(gre(seq=3, call=0x7777) / ppp_ip(icmp_up("unknown call"))),
        Ether(src=PEER_MAC, dst=US_MAC) / IP(src="198.51.100.77", dst=ACCESS) /
        gre(seq=4) / ppp_ip(icmp_up("unknown peer")),
        outer(gre(seq=5) / b"\xff\x03\x00\x20junk"),  # PPP protocol field malformed
        outer(gre(ack=0)),  # ack-only
    ]


def decap_control():
    lcp = PPP(proto=0xC021) / PPP_LCP_Configure(code=1, id=7, options=[PPP_LCP_MRU_Option(max_recv_unit=1400)])
    ipcp = PPP(proto=0x8021) / PPP_IPCP(code=1, id=2, options=[PPP_IPCP_Option_IPAddress(data="0.0.0.0")])
    return [
        outer(gre(seq=1) / (b"\xff\x03" + bytes(lcp))),
        outer(gre(seq=2, ack=0) / bytes(ipcp)),
    ]


def decap_mss():
    syn = IP(src=SUB, dst=GATEWAY, ttl=64) / TCP(sport=40000, dport=80, flags="S", seq=1000,
                                                  options=[("MSS", 1460), ("NOP", None), ("WScale", 7), ("SAckOK", b"")])
    return [outer(gre(seq=1) / ppp_ip(syn))]


def gre_malformed():
    """One frame per reject class, in the order test_dataplane.c expects."""
    good = gre(seq=1) / ppp_ip(icmp_up("malformed"))
    raw = bytes(good)
    frames = []

    def mut(off, andm, orm):
        b = bytearray(raw)
        b[off] = (b[off] & andm) | orm
        return bytes(b)

    variants = [
        mut(1, 0xF8, 0x00),  # version 0
        mut(0, 0xFF, 0x80),  # C
        mut(0, 0xFF, 0x40),  # R
        mut(0, 0xDF, 0x00),  # K absent
        mut(0, 0xFF, 0x08),  # s
        mut(0, 0xFF, 0x01),  # recursion
        mut(1, 0xFF, 0x40),  # flags
        mut(2, 0x00, 0x08),  # protocol 0x080B
        raw[:4] + (len(raw) - 12 + 1).to_bytes(2, "big") + raw[6:],  # payload overrun
        mut(0, 0xEF, 0x00),  # payload without sequence number
        bytes([0x20, 0x01, 0x88, 0x0B, 0, 0, 0x40, 0x00]),  # neither seq nor ack
        raw[:6],  # truncated header
    ]
    for v in variants:
        frames.append(Ether(src=PEER_MAC, dst=US_MAC) / IP(src=PEER, dst=ACCESS, proto=47) / v)
    # Outer IPv4 faults: bad checksum, fragment, not for us, other protocol.
    frames.append(Ether(src=PEER_MAC, dst=US_MAC) / IP(src=PEER, dst=ACCESS, chksum=0x1234) / good)
    frames.append(Ether(src=PEER_MAC, dst=US_MAC) / IP(src=PEER, dst=ACCESS, flags="MF") / good)
    frames.append(Ether(src=PEER_MAC, dst=US_MAC) / IP(src=PEER, dst="198.51.100.9") / good)
    frames.append(Ether(src=PEER_MAC, dst=US_MAC) / IP(src=PEER, dst=ACCESS) / UDP(sport=1, dport=2))
    return frames


def encap_basic():
    down = Ether(src=GW_MAC, dst=US_MAC)
    syn_ack = IP(src=GATEWAY, dst=SUB, ttl=64) / TCP(sport=80, dport=40000, flags="SA", seq=5, ack=1001,
                                                      options=[("MSS", 1460)])
    small = IP(src=GATEWAY, dst=SUB, ttl=64) / ICMP(type=0, id=1, seq=2)  # 28 bytes, padded on Ethernet
    return [
        down / IP(src=GATEWAY, dst=SUB, ttl=64) / ICMP(type=0, id=1, seq=1) / b"reply-1",
        down / syn_ack,
        down / small / Padding(load=b"\x00" * 18),
        down / IP(src=GATEWAY, dst="100.64.0.99") / ICMP(),  # no such subscriber
        down / IP(src=GATEWAY, dst=SUB) / ICMP() / (b"x" * 1400),  # larger than the MTU
        down / IP(src=GATEWAY, dst=SUB, ttl=1) / ICMP(),  # TTL runs out here
        down / IP(src=GATEWAY, dst=SUB, flags="DF") / UDP(sport=5, dport=6) / (b"y" * 1400),  # DF, too big
    ]


def decap_ack():
    return [outer(gre(ack=2)), outer(gre(ack=99))]  # acks 2, then a number never sent


def arp():
    return [
        Ether(src=GW_MAC, dst="ff:ff:ff:ff:ff:ff") / ARP(op=2, hwsrc=GW_MAC, psrc=GATEWAY, hwdst=US_MAC, pdst=UPLINK),
        Ether(src=PEER_MAC, dst="ff:ff:ff:ff:ff:ff") / ARP(op=1, hwsrc=PEER_MAC, psrc=PEER, pdst=ACCESS),
    ]


# MPPE start keys (test_dp_mppe.c has the same): the peer sends with
# PEER_SEND_KEY, which is the data plane's receive key, and the reverse.
PEER_SEND_KEY = bytes(range(0x10, 0x20))
OUR_SEND_KEY = bytes(range(0x40, 0x50))


def mppe_frame(seq, packet):
    """A GRE frame carrying an MPPE packet (header + ciphertext) as PPP 0x00FD."""
    return outer(gre(seq=seq) / (b"\xff\x03\x00\xfd" + packet))


def mppe_encrypted(sender, n, first=0):
    """n ICMP echoes upstream, tagged mppe-<first>.., each encrypted by `sender`."""
    return [sender.encrypt(b"\x00\x21" + bytes(icmp_up("mppe-%d" % i)))
            for i in range(first, first + n)]


def mppe_stateless():
    e = mppe_encrypted(mppe.MppeState(PEER_SEND_KEY, 128, True), 5)
    # ccount 0x0F04: 0xF01 ahead of the newest (3), more than MPPE's 0xF00.
    jump = bytes([0x90 | 0x0F, 0x04]) + e[4][2:]
    order = [e[0], e[1], e[3], e[2], e[2], jump]
    frames = [mppe_frame(i + 1, x) for i, x in enumerate(order)]
    frames.append(outer(gre(seq=7) / ppp_ip(icmp_up("clear"))))  # must be encrypted
    frames.append(mppe_frame(8, e[4]))
    return frames


def mppe_stateful():
    peer = mppe.MppeState(PEER_SEND_KEY, 128, False)
    e = mppe_encrypted(peer, 5)  # e[2] is lost on the way
    peer.flush()  # the peer got our CCP Reset-Request: its next packet is flushed
    e += mppe_encrypted(peer, 1, 5)
    return [mppe_frame(i + 1, x) for i, x in enumerate([e[0], e[1], e[3], e[4], e[5]])]


def mppe_forged():
    """Genuine counts 0 and 1, then four packets forged with a jump of 0x4FF
    counts and bytes that are no ciphertext of the peer's, then counts 2, 3."""
    e = mppe_encrypted(mppe.MppeState(PEER_SEND_KEY, 128, True), 4)
    forged = [bytes([0x90 | 0x05, 0x00 + k]) + bytes(range(7 * k, 7 * k + 60)) for k in range(4)]
    order = [e[0], e[1]] + forged + [e[2], e[3]]
    return [mppe_frame(i + 1, x) for i, x in enumerate(order)]


def mppe_ttl():
    """One encrypted echo request whose TTL runs out at the concentrator."""
    sender = mppe.MppeState(PEER_SEND_KEY, 128, True)
    return [mppe_frame(1, sender.encrypt(b"\x00\x21" + bytes(icmp_up("mppe-ttl", ttl=1))))]


def mppe_encap():
    down = Ether(src=GW_MAC, dst=US_MAC)
    return [down / IP(src=GATEWAY, dst=SUB, ttl=64) / ICMP(type=0, id=1, seq=i) /
            ("down-%d" % i).encode() for i in range(3)]


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, fn in [("decap_forms", decap_forms), ("decap_seq", decap_seq), ("decap_misc", decap_misc),
                     ("decap_control", decap_control), ("decap_mss", decap_mss),
                     ("gre_malformed", gre_malformed), ("decap_ack", decap_ack), ("encap_basic", encap_basic), ("arp", arp),
                     ("mppe_stateless", mppe_stateless), ("mppe_stateful", mppe_stateful),
                     ("mppe_encap", mppe_encap), ("mppe_forged", mppe_forged),
                     ("mppe_ttl", mppe_ttl)]:
        wrpcap(os.path.join(out, name + ".pcap"), fn())


if __name__ == "__main__":
    main()
