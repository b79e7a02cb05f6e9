#!/usr/bin/python3
"""Misbehaving PPTP control connections, for the e2e suite.

  bad_conn.py SERVER garbage     random bytes, then expect the server to close
  bad_conn.py SERVER silent      say nothing, expect a close after the SCCRQ timeout
  bad_conn.py SERVER half-valid  a valid SCCRQ (scapy), its reply, then a message
                                 with a wrong magic cookie: expect a close

Prints one JSON line: {"mode", "closed": bool, "after_s", "got_sccrp": bool}.
Exit 0 when the server closed the connection as it should.
"""
import json
import os
import socket
import sys
import time

from scapy.layers.pptp import PPTPEchoRequest, PPTPStartControlConnectionRequest


def wait_closed(s, limit):
    """Read until EOF or reset; True if the server closed within `limit` s."""
    s.settimeout(0.2)
    end = time.monotonic() + limit
    while time.monotonic() < end:
        try:
            data = s.recv(4096)
            if not data:
                return True
        except socket.timeout:
            continue
        except (ConnectionResetError, OSError):
            return True
    return False


def main():
    server, mode = sys.argv[1], sys.argv[2]
    s = socket.create_connection((server, 1723), timeout=5)
    start = time.monotonic()
    got_sccrp = False
    if mode == "garbage":
        s.sendall(os.urandom(64))
        closed = wait_closed(s, 5)
    elif mode == "silent":
        closed = wait_closed(s, 15)
    elif mode == "half-valid":
        s.sendall(bytes(PPTPStartControlConnectionRequest(host_name=b"e2e", vendor_string=b"bad_conn")))
        s.settimeout(5)
        reply = s.recv(4096)
        got_sccrp = len(reply) >= 156 and reply[9] == 2
        bad = bytearray(bytes(PPTPEchoRequest(identifier=7)))
        bad[4:8] = b"\xde\xad\xbe\xef"  # not the magic cookie
        s.sendall(bytes(bad))
        closed = wait_closed(s, 5)
    else:
        sys.exit("unknown mode " + mode)
    after = time.monotonic() - start
    print(json.dumps({"mode": mode, "closed": closed, "after_s": round(after, 2),
                      "got_sccrp": got_sccrp}))
    sys.exit(0 if closed and (mode != "half-valid" or got_sccrp) else 1)


if __name__ == "__main__":
    main()
