#!/usr/bin/python3
"""Write the fuzzers' seed corpora (tests/fuzz/corpus/<harness>/seed-*) from
the golden captures (tests/data/*.pcap) and from scapy's PPP layers.

Seeds are committed; re-run this after refreshing the golden captures.
Inputs that once crashed a harness live beside them as crash-* files.
Runs under /usr/bin/python3 (Debian's scapy).
"""
import hashlib
import os
import sys

from scapy.all import rdpcap
from scapy.layers.inet import IP, TCP
from scapy.layers.ppp import (PPP_CHAP, PPP_CHAP_ChallengeResponse, PPP_PAP_Request,
                              PPP_PAP_Response)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "tests", "data")
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")
CP_SELECTOR = {0xC021: 0, 0x8021: 1, 0x80FD: 2, 0x8057: 3}


def write(harness, blob):
    d = os.path.join(CORPUS, harness)
    os.makedirs(d, exist_ok=True)
    name = "seed-" + hashlib.sha1(blob).hexdigest()[:12]
    with open(os.path.join(d, name), "wb") as f:
        f.write(blob)


def ppp_payload(gre):
    flags = gre[0] << 8 | gre[1]
    hdr = 8 + (4 if flags & 0x1000 else 0) + (4 if flags & 0x0080 else 0)
    plen = gre[4] << 8 | gre[5]
    return gre[hdr:hdr + plen]


def main():
    for name in sorted(os.listdir(DATA)):
        if not name.endswith(".pcap"):
            continue
        for pkt in rdpcap(os.path.join(DATA, name)):
            if IP not in pkt:
                continue
            ip = pkt[IP]
            if ip.proto == 6 and len(ip[TCP].payload) > 0:
                write("pptp_ctrl", bytes(ip[TCP].payload))
            elif ip.proto == 47:
                gre = bytes(ip.payload)
                write("gre", gre)
                ppp = ppp_payload(gre)
                if ppp[:2] == b"\xff\x03":
                    ppp = ppp[2:]
                proto = ppp[0] if ppp and ppp[0] & 1 else (ppp[0] << 8 | ppp[1] if len(ppp) > 1 else 0)
                body = ppp[1:] if ppp and ppp[0] & 1 else ppp[2:]
                if proto in CP_SELECTOR:
                    write("ppp_cp", bytes([CP_SELECTOR[proto]]) + body)
    # Authentication packets from scapy's layers (0: PAP, 1: CHAP, 2: MS-CHAPv2 text).
    write("ppp_auth", b"\x00" + bytes(PPP_PAP_Request(id=1, username=b"lab", password=b"lab-secret")))
    write("ppp_auth", b"\x00" + bytes(PPP_PAP_Response(code=2, id=1, message=b"Welcome")))
    write("ppp_auth", b"\x01" + bytes(PPP_CHAP_ChallengeResponse(code=1, id=1, value=bytes(range(16)), optional_name=b"dpptp")))
    write("ppp_auth", b"\x01" + bytes(PPP_CHAP_ChallengeResponse(code=2, id=1, value=bytes(16) + bytes(8) + bytes(range(24)) + b"\x00", optional_name=b"lab")))
    write("ppp_auth", b"\x01" + bytes(PPP_CHAP(code=4, id=1, data=b"E=691 R=0 C=00112233445566778899AABBCCDDEEFF V=3 M=bad")))
    write("ppp_auth", b"\x02" + b"S=0102030405060708090A0B0C0D0E0F1011121314 M=Access granted")
    write("ppp_auth", b"\x02" + b"E=691 R=1 C=00112233445566778899AABBCCDDEEFF V=3 M=Authentication failure")
    for h in sorted(os.listdir(CORPUS)):
        print("%s: %d seeds" % (h, len(os.listdir(os.path.join(CORPUS, h)))), file=sys.stderr)


if __name__ == "__main__":
    main()
