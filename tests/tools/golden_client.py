#!/usr/bin/python3
"""Run the real pptp client (pptp-linux, --nolaunchpppd) with a minimal PPP
peer on its stdin/stdout, for the golden-vector capture.

The peer sends one LCP Configure-Request (MRU 1400), acknowledges the server's
Configure-Request, and stays quiet otherwise. It stops the client with SIGTERM
after --run seconds, which makes pptp clear the call and stop the control
connection.
"""
import argparse
import os
import select
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ppp_hdlc  # noqa: E402


def log(*a):
    print("golden-client:", *a, file=sys.stderr, flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--run", type=float, default=6.0, help="seconds before SIGTERM (0: never)")
    ap.add_argument("--idle-wait", type=int, default=2)
    args = ap.parse_args()

    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    proc = subprocess.Popen(
        ["pptp", args.server, "--nolaunchpppd", "--loglevel", "2",
         "--idle-wait", str(args.idle_wait), "--max-echo-wait", "5"],
        stdin=theirs, stdout=theirs, stderr=sys.stderr,
        start_new_session=True)  # pptp signals its whole process group on exit
    theirs.close()

    # LCP Configure-Request id 1, MRU 1400: what pppd would send first.
    ours.sendall(ppp_hdlc.encode(bytes.fromhex("ff03c021010100080104 0578".replace(" ", ""))))
    dec = ppp_hdlc.Decoder()
    deadline = time.monotonic() + args.run if args.run > 0 else None
    while proc.poll() is None:
        if deadline and time.monotonic() > deadline:
            log("sending SIGTERM to pptp")
            proc.send_signal(signal.SIGTERM)
            deadline = None
        r, _, _ = select.select([ours], [], [], 0.2)
        if not r:
            continue
        data = ours.recv(4096)
        if not data:
            break
        for frame in dec.feed(data):
            log("PPP from server:", frame.hex())
            body = frame[2:] if frame[:2] == b"\xff\x03" else frame
            if body[:2] == b"\xc0\x21" and body[2] == 1:  # LCP Configure-Request
                ack = b"\xff\x03\xc0\x21\x02" + body[3:]
                ours.sendall(ppp_hdlc.encode(ack))
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log("pptp exited with", proc.returncode)


if __name__ == "__main__":
    main()
