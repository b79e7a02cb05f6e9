#!/usr/bin/python3
"""Open many PPTP calls without PPP, for counting and paging tests: N control
connections (from source addresses BASE, BASE+1, ... round robin), each with
a Start-Control-Connection-Request and CALLS Outgoing-Call-Requests built with
scapy. The calls then sit in LCP negotiation on the server. Prints one JSON
line when every call is accepted, then holds the connections until stdin
closes (or HOLD seconds), and exits 0 if all calls were accepted.

  many_calls.py SERVER CONNECTIONS CALLS SOURCE_BASE SOURCES HOLD
"""
import ipaddress
import json
import select
import socket
import struct
import sys
import time

from scapy.layers.pptp import PPTPOutgoingCallRequest, PPTPStartControlConnectionRequest


def read_msg(s):
    hdr = b""
    while len(hdr) < 2:
        chunk = s.recv(2 - len(hdr))
        if not chunk:
            raise ConnectionError("closed")
        hdr += chunk
    length = struct.unpack("!H", hdr)[0]
    body = hdr
    while len(body) < length:
        chunk = s.recv(length - len(body))
        if not chunk:
            raise ConnectionError("closed")
        body += chunk
    return body


def main():
    server, nconn, ncalls = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    base, nsrc, hold = ipaddress.ip_address(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
    socks, accepted, refused, call_ids = [], 0, 0, []
    serial = 1
    for i in range(nconn):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind((str(base + i % nsrc), 0))
        s.settimeout(10)
        s.connect((server, 1723))
        s.sendall(bytes(PPTPStartControlConnectionRequest(host_name=b"many", vendor_string=b"e2e")))
        reply = read_msg(s)
        assert reply[9] == 2 and reply[14] == 1, "SCCRP not OK"
        for _ in range(ncalls):
            s.sendall(bytes(PPTPOutgoingCallRequest(call_id=serial, call_serial_number=serial,
                                                    pkt_window_size=64)))
            serial += 1
            r = read_msg(s)
            if r[9] == 8 and r[16] == 1:
                accepted += 1
                call_ids.append(struct.unpack("!H", r[12:14])[0])
            else:
                refused += 1
        socks.append(s)
    print(json.dumps({"accepted": accepted, "refused": refused, "call_ids": call_ids}), flush=True)
    end = time.monotonic() + hold
    while time.monotonic() < end:
        r, _, _ = select.select([sys.stdin] + socks, [], [], 0.5)
        if sys.stdin in r and not sys.stdin.readline():
            break
        for s in r:
            if s is not sys.stdin:
                try:
                    read_msg(s)  # echo requests and the like: ignored
                except (ConnectionError, OSError):
                    socks.remove(s)
    for s in socks:
        s.close()
    sys.exit(0 if refused == 0 else 1)


if __name__ == "__main__":
    main()
