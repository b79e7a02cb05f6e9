#!/usr/bin/python3
"""A scripted PPTP server built from scapy's PPTP layers (an encoder independent
of the project's codecs). It exists to make the real pptp client (pptp-linux)
send every control message it can send, so that they can be captured as golden
vectors. It is not a concentrator: it answers just enough to move the client on.

Scenarios:
  client-stop   SCCRQ/SCCRP, OCRQ/OCRP, GRE LCP both ways, echo both ways,
                WAN-Error-Notify; then waits for the client's Call-Clear-Request
                (the test sends it SIGTERM) and answers Call-Disconnect-Notify and
                Stop-Control-Connection-Reply.
  server-stop   the same set-up, then the server sends Stop-Control-Connection-
                Request and reads the client's reply.

Runs under /usr/bin/python3 (Debian's scapy).
"""
import argparse
import socket
import struct
import sys
import time

from scapy.layers.inet import IP
from scapy.layers.l2 import GRE_PPTP
from scapy.layers.ppp import PPP, PPP_LCP_Configure, PPP_LCP_MRU_Option, PPP_LCP_Magic_Number_Option
from scapy.layers.pptp import (
    PPTPCallDisconnectNotify,
    PPTPEchoReply,
    PPTPEchoRequest,
    PPTPOutgoingCallReply,
    PPTPStartControlConnectionReply,
    PPTPStopControlConnectionReply,
    PPTPStopControlConnectionRequest,
    PPTPWANErrorNotify,
)

OUR_CALL_ID = 0x4321
MAGIC = 0x1A2B3C4D


def log(*a):
    print("fake-server:", *a, file=sys.stderr, flush=True)


class Ctrl:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def recv_msg(self, timeout):
        """Return (ctrl_type, raw) of the next whole control message, or None."""
        deadline = time.monotonic() + timeout
        while True:
            if len(self.buf) >= 12:
                length, mtype, magic, ctype = struct.unpack("!HHIH", self.buf[:10])
                if mtype != 1 or magic != MAGIC or length < 12:
                    raise RuntimeError("garbage from client: %r" % self.buf[:16])
                if len(self.buf) >= length:
                    raw, self.buf = self.buf[:length], self.buf[length:]
                    return ctype, raw
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(4096)
            except socket.timeout:
                return None
            if not data:
                return None
            self.buf += data

    def expect(self, want, timeout, answer=None):
        """Read messages until one of type `want`; answer echoes meanwhile."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            got = self.recv_msg(max(left, 0.01))
            if got is None:
                raise RuntimeError("timed out waiting for control type %d" % want)
            ctype, raw = got
            log("got control type", ctype, "len", len(raw))
            if ctype == want:
                return raw
            if ctype == 5:  # Echo-Request: answer, keep waiting
                ident = struct.unpack("!I", raw[12:16])[0]
                self.send(PPTPEchoReply(identifier=ident, result_code=1))
            elif answer:
                answer(ctype, raw)

    def send(self, pkt):
        self.sock.sendall(bytes(pkt))


class Gre:
    def __init__(self, local, peer, peer_call_id):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, 47)
        self.sock.bind((local, 0))
        self.peer = peer
        self.peer_call_id = peer_call_id
        self.seq = 0
        self.last_rx_seq = None

    def send_ppp(self, ppp_pkt):
        self.seq += 1
        hdr = GRE_PPTP(seqnum_present=1, call_id=self.peer_call_id, sequence_number=self.seq)
        if self.last_rx_seq is not None:
            hdr.acknum_present = 1
            hdr.ack_number = self.last_rx_seq
        self.sock.sendto(bytes(hdr / ppp_pkt), (self.peer, 0))

    def recv(self, timeout):
        """Return the PPP payload of the next GRE packet for our call ID, or None."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                data, _ = self.sock.recvfrom(65535)
            except socket.timeout:
                return None
            gre = IP(data)[GRE_PPTP]
            if gre.call_id != OUR_CALL_ID:
                continue
            if gre.seqnum_present:
                self.last_rx_seq = gre.sequence_number
            payload = bytes(gre.payload)
            if payload:
                return payload


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", required=True)
    ap.add_argument("--scenario", choices=["client-stop", "server-stop"], required=True)
    ap.add_argument("--ready-file", help="created once listening")
    args = ap.parse_args()

    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind((args.listen, 1723))
    lsock.listen(1)
    if args.ready_file:
        open(args.ready_file, "w").close()
    lsock.settimeout(20)
    conn, (peer, _) = lsock.accept()
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    ctrl = Ctrl(conn)
    log("connection from", peer)

    ctrl.expect(1, 10)  # SCCRQ
    ctrl.send(PPTPStartControlConnectionReply(
        result_code=1, error_code=0, framing_capabilities=3, bearer_capabilities=3,
        maximum_channels=1, firmware_revision=1, host_name=b"golden-pac",
        vendor_string=b"scapy fake server"))

    ocrq = ctrl.expect(7, 10)  # OCRQ
    peer_call_id = struct.unpack("!H", ocrq[12:14])[0]
    gre = Gre(args.listen, peer, peer_call_id)
    ctrl.send(PPTPOutgoingCallReply(
        call_id=OUR_CALL_ID, peer_call_id=peer_call_id, result_code=1, error_code=0,
        cause_code=0, connect_speed=100000000, pkt_window_size=64, pkt_proc_delay=0,
        channel_id=0))

    # PPP inside GRE: the client's LCP Configure-Request arrives first; send ours.
    first = gre.recv(10)
    log("first GRE payload", first.hex() if first else None)
    gre.send_ppp(PPP(proto=0xC021) / PPP_LCP_Configure(
        code=1, id=1, options=[PPP_LCP_MRU_Option(max_recv_unit=1400),
                               PPP_LCP_Magic_Number_Option(magic_number=0x01020304)]))
    reply = gre.recv(5)
    log("second GRE payload", reply.hex() if reply else None)
    # Something the client's PPP peer will not answer (LCP Discard-Request), so
    # that the client has to acknowledge it with an ack-only GRE packet.
    gre.send_ppp(PPP(proto=0xC021) / bytes.fromhex("0b02000c0102030464617461"))
    gre.recv(2.0)

    ctrl.send(PPTPEchoRequest(identifier=0x5EED))
    ctrl.expect(6, 5)  # Echo-Reply
    ctrl.send(PPTPWANErrorNotify(peer_call_id=peer_call_id, crc_errors=1, framing_errors=2,
                                 hardware_overruns=3, buffer_overruns=4,
                                 time_out_errors=5, alignment_errors=6))

    if args.scenario == "client-stop":
        # The client's own Echo-Request arrives after its --idle-wait; the test
        # then sends it SIGTERM, and it clears the call and stops the connection.
        seen = set()

        def note(ctype, raw):
            seen.add(ctype)
            if ctype == 15:
                log("Set-Link-Info")

        ccrq = ctrl.expect(12, 30, answer=note)  # Call-Clear-Request
        call_id = struct.unpack("!H", ccrq[12:14])[0]
        ctrl.send(PPTPCallDisconnectNotify(call_id=OUR_CALL_ID if call_id else OUR_CALL_ID,
                                           result_code=4, error_code=0, cause_code=0,
                                           call_statistic=b"golden"))
        # pptp-linux closes TCP right after Call-Clear-Request; a Stop-Control-
        # Connection-Request may or may not come first.
        try:
            ctrl.expect(3, 3, answer=note)
            ctrl.send(PPTPStopControlConnectionReply(result_code=1, error_code=0))
        except (RuntimeError, OSError) as e:
            log("no Stop-Control-Connection-Request:", e)
    else:
        ctrl.send(PPTPStopControlConnectionRequest(reason=1))
        ctrl.expect(4, 10)  # Stop-Control-Connection-Reply
    time.sleep(0.5)
    conn.close()
    log("done")


if __name__ == "__main__":
    main()
