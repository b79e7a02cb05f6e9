#!/usr/bin/python3
"""Tests of the test-side PPP client (tests/tools/ppp_client, pptp_peer.py)
without any server: cryptography against RFC vectors and independent
computations, and the LCP/auth/IPCP/CCP logic driven by scripted server frames.

Run: /usr/bin/python3 tests/tools/test_pptp_peer.py (meson suite 'tools').
"""
import hashlib
import json
import os
import random
import shutil
import socket
import struct
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import ppp_hdlc  # noqa: E402
from ppp_client import crypto  # noqa: E402
from ppp_client import frame as F  # noqa: E402
from ppp_client.client import ClientConfig, PppClient  # noqa: E402
from ppp_client.fsm import OPENED, REQSENT, ACKSENT, STOPPING, CLOSING  # noqa: E402

# RFC 2759 section 9.2
RFC_USER = "User"
RFC_PASSWORD = "clientPass"
RFC_AUTH_CHAL = bytes.fromhex("5B5D7C7D7B3F2F3E3C2C602132262628")
RFC_PEER_CHAL = bytes.fromhex("21402324255E262A28295F2B3A337C7E")
RFC_CHAL_HASH = bytes.fromhex("D02E4386BCE91226")
RFC_NT_HASH = bytes.fromhex("44EBBA8D5312B8D611474411F56989AE")
RFC_HASH_HASH = bytes.fromhex("41C00C584BD2D91C4017A2A12FA59F3F")
RFC_NT_RESPONSE = bytes.fromhex("82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF")
RFC_AUTH_RESPONSE = "S=407A5589115FD0D6209F510FE9C04566932CDA56"

MSCHAPV2 = b"\xc2\x23\x81"
CHAP_MD5 = b"\xc2\x23\x05"
PAP = b"\xc0\x23"
SERVER_MAGIC = 0x11223344


def opts(*pairs):
    return F.encode_options([(t, bytes(v)) for t, v in pairs])


class Rng:
    """Deterministic random bytes; queue exact values for the next calls."""

    def __init__(self, seed=1):
        self.r = random.Random(seed)
        self.queue = []

    def __call__(self, n):
        if self.queue and len(self.queue[0]) == n:
            return self.queue.pop(0)
        return bytes(self.r.getrandbits(8) for _ in range(n))


class Server:
    """The scripted server side: feeds frames to a PppClient, collects its output."""

    def __init__(self, **cfg):
        self.rng = Rng()
        self.raw_out = []
        self.log = []
        self.client = PppClient(ClientConfig(**cfg), self.raw_out.append, log=self.log.append,
                                rng=self.rng)
        self.ips = []
        self.client.on_ip = lambda now, data: self.ips.append(data)
        self.now = 1000.0
        self.next_id = 0x40

    # --- input to the client ---------------------------------------------------
    def feed_frame(self, frame):
        self.client.input(self.now, frame)

    def feed(self, proto, code, ident, data=b"", acf=True, pfc=False):
        self.feed_frame(F.build_frame(proto, F.CpPacket(code, ident, data).encode(),
                                      acfc=not acf, pfc=pfc))

    def lcp(self, code, ident, data=b""):
        self.feed(F.PROTO_LCP, code, ident, data)

    def advance(self, seconds):
        self.now += seconds
        self.client.tick(self.now)

    # --- what the client sent ------------------------------------------------------
    def take(self):
        """[(Header, CpPacket or raw info)] sent since the last take()."""
        out = []
        for fr in self.raw_out:
            hdr, info = F.parse_frame(fr)
            if hdr.proto in (F.PROTO_IP,):
                out.append((hdr, info))
            else:
                out.append((hdr, F.parse_cp(info)))
        self.raw_out.clear()
        return out

    def take_one(self, test, proto, code=None):
        out = self.take()
        test.assertEqual(len(out), 1, "expected one packet, got %r" % (out,))
        hdr, pkt = out[0]
        test.assertEqual(hdr.proto, proto)
        if code is not None:
            test.assertEqual(pkt.code, code, pkt)
        return pkt

    # --- canned sequences ---------------------------------------------------------
    def open_lcp(self, test, auth=MSCHAPV2, extra=()):
        """Start the client and bring LCP to Opened with the server demanding auth."""
        self.client.start(self.now)
        req = self.take_one(test, F.PROTO_LCP, F.CONF_REQ)
        self.our_req = req
        pairs = [(1, struct.pack("!H", 1400))]
        if auth:
            pairs.append((3, auth))
        pairs.append((5, struct.pack("!I", SERVER_MAGIC)))
        pairs += list(extra)
        self.lcp(F.CONF_REQ, 1, opts(*pairs))
        ack = self.take_one(test, F.PROTO_LCP, F.CONF_ACK)
        test.assertEqual(ack.data, opts(*pairs))
        self.lcp(F.CONF_ACK, req.ident, req.data)
        test.assertEqual(self.client.lcp.state, OPENED)
        return req

    def mschap_challenge(self, ident=7, challenge=RFC_AUTH_CHAL, name=b"pptpd"):
        self.feed(F.PROTO_CHAP, 1, ident, bytes([len(challenge)]) + challenge + name)

    def up_to_ipcp(self, test, **kw):
        """LCP open, MS-CHAPv2 success; returns the client's first IPCP request."""
        self.open_lcp(test, **kw)
        self.rng.queue.append(RFC_PEER_CHAL)
        self.mschap_challenge()
        resp = self.take_one(test, F.PROTO_CHAP, 2)
        self.feed(F.PROTO_CHAP, 3, resp.ident, self.client.auth.expect.encode() +
                  b" M=Access granted")
        return self.take_one(test, F.PROTO_IPCP, F.CONF_REQ)

    def bring_up(self, test, address=b"\x64\x40\x00\x05", **kw):
        req = self.up_to_ipcp(test, **kw)
        self.feed(F.PROTO_IPCP, F.CONF_NAK, req.ident, opts((3, address)))
        req2 = self.take_one(test, F.PROTO_IPCP, F.CONF_REQ)
        self.feed(F.PROTO_IPCP, F.CONF_ACK, req2.ident, req2.data)
        self.feed(F.PROTO_IPCP, F.CONF_REQ, 9, opts((3, b"\x64\x40\x00\x01")))
        self.take_one(test, F.PROTO_IPCP, F.CONF_ACK)
        test.assertTrue(self.client.ip_up)


# ============================================================================================
class CryptoTest(unittest.TestCase):
    def test_rfc2759_vectors(self):
        self.assertEqual(crypto.challenge_hash(RFC_PEER_CHAL, RFC_AUTH_CHAL, RFC_USER),
                         RFC_CHAL_HASH)
        self.assertEqual(crypto.nt_password_hash(RFC_PASSWORD), RFC_NT_HASH)
        self.assertEqual(crypto.hash_nt_password_hash(RFC_NT_HASH), RFC_HASH_HASH)
        nt = crypto.generate_nt_response(RFC_AUTH_CHAL, RFC_PEER_CHAL, RFC_USER, RFC_PASSWORD)
        self.assertEqual(nt, RFC_NT_RESPONSE)
        self.assertEqual(crypto.generate_authenticator_response(
            RFC_PASSWORD, nt, RFC_PEER_CHAL, RFC_AUTH_CHAL, RFC_USER), RFC_AUTH_RESPONSE)
        value, nt2 = crypto.mschapv2_response_value(RFC_AUTH_CHAL, RFC_PEER_CHAL, RFC_USER,
                                                    RFC_PASSWORD)
        self.assertEqual(value, RFC_PEER_CHAL + bytes(8) + RFC_NT_RESPONSE + b"\x00")
        self.assertEqual(len(value), 49)

    def test_domain_is_not_hashed(self):
        self.assertEqual(crypto.challenge_hash(RFC_PEER_CHAL, RFC_AUTH_CHAL, "CORP\\User"),
                         RFC_CHAL_HASH)

    def test_des_key_parity(self):
        k = crypto.des_key_expand(bytes.fromhex("FFFFFFFFFFFFFF"))
        self.assertEqual(k, bytes([0xFE] * 8))  # seven ones: odd already
        k = crypto.des_key_expand(bytes(7))
        self.assertEqual(k, bytes([0x01] * 8))
        for b in crypto.des_key_expand(bytes.fromhex("0123456789ABCD")):
            self.assertEqual(bin(b).count("1") % 2, 1)

    def test_chap_md5_independent(self):
        ident, secret, chal = 0x2A, "lab-secret", bytes(range(16))
        h = hashlib.new("md5")
        h.update(b"\x2a")
        h.update(b"lab-secret")
        h.update(chal)
        self.assertEqual(crypto.chap_md5_response(ident, secret, chal), h.digest())
        # a fixed value: printf '\x01secret\x00\x00\x00\x00' | md5sum
        self.assertEqual(crypto.chap_md5_response(1, "secret", b"\x00" * 4).hex(),
                         "935bf00c3a5e8c45889c8a2dc04af2a4")

    def test_parse_messages(self):
        m = crypto.parse_mschapv2_message(
            "E=691 R=1 C=00112233445566778899AABBCCDDEEFF V=3 M=Authentication failed")
        self.assertEqual(m, {"E": "691", "R": "1", "C": "00112233445566778899AABBCCDDEEFF",
                             "V": "3", "M": "Authentication failed"})
        m = crypto.parse_mschapv2_message(RFC_AUTH_RESPONSE + " M=Access granted")
        self.assertEqual(m["S"], RFC_AUTH_RESPONSE[2:])
        self.assertEqual(m["M"], "Access granted")


class FrameTest(unittest.TestCase):
    def test_header_forms(self):
        for fr, proto, acf, comp in [
                (b"\xff\x03\xc0\x21\x09", F.PROTO_LCP, True, False),
                (b"\xc0\x21\x09", F.PROTO_LCP, False, False),
                (b"\xff\x03\x00\x21\x45", F.PROTO_IP, True, False),
                (b"\xff\x03\x21\x45", F.PROTO_IP, True, True),
                (b"\x21\x45", F.PROTO_IP, False, True),
                (b"\x80\x21\x01", F.PROTO_IPCP, False, False)]:
            hdr, info = F.parse_frame(fr)
            self.assertEqual((hdr.proto, hdr.has_acf, hdr.proto_compressed), (proto, acf, comp))
            self.assertEqual(info, fr[-1:])
        for bad in (b"", b"\xff", b"\xff\x05\xc0\x21", b"\xff\x03", b"\x80", b"\xc0\x20\x00"):
            with self.assertRaises(F.FrameError):
                F.parse_frame(bad)

    def test_cp_and_options(self):
        p = F.parse_cp(b"\x01\x05\x00\x08\x01\x04\x05\x78" + b"\x00\x00")  # padding
        self.assertEqual((p.code, p.ident), (1, 5))
        self.assertEqual(F.parse_options(p.data), [(1, b"\x05\x78")])
        for bad in (b"\x01\x05\x00", b"\x01\x05\x00\x09\x01\x04\x05\x78", b"\x01\x05\x00\x03"):
            with self.assertRaises(F.FrameError):
                F.parse_cp(bad)
        for bad in (b"\x01", b"\x01\x01", b"\x01\x05\x05"):
            with self.assertRaises(F.FrameError):
                F.parse_options(bad)

    def test_hdlc_round_trip(self):
        fr = bytes(range(256)) + b"\x7e\x7d"
        dec = ppp_hdlc.Decoder()
        self.assertEqual(dec.feed(ppp_hdlc.encode(fr) + ppp_hdlc.encode(b"\xff\x03\xc0\x21")),
                         [fr, b"\xff\x03\xc0\x21"])


# ============================================================================================
class LcpTest(unittest.TestCase):
    def test_first_request(self):
        s = Server()
        s.client.start(s.now)
        req = s.take_one(self, F.PROTO_LCP, F.CONF_REQ)
        o = F.parse_options(req.data)
        self.assertEqual([t for t, _ in o], [1, 5])
        self.assertEqual(o[0][1], b"\x05\x78")
        self.assertNotEqual(o[1][1], bytes(4))
        s2 = Server(compress=True)
        s2.client.start(s2.now)
        o = F.parse_options(s2.take_one(self, F.PROTO_LCP, F.CONF_REQ).data)
        self.assertEqual([t for t, _ in o], [1, 5, 7, 8])

    def test_negotiation_rejects_unknown_and_acks_the_rest(self):
        s = Server()
        s.client.start(s.now)
        req = s.take_one(self, F.PROTO_LCP, F.CONF_REQ)
        server_opts = [(1, b"\x05\x78"), (2, bytes(4)), (3, MSCHAPV2), (5, b"\x11\x22\x33\x44"),
                       (7, b""), (8, b""), (13, b"\x06"), (17, b"\x05\xdc"),
                       (19, b"\x01abcd"), (99, b"zz")]
        s.lcp(F.CONF_REQ, 1, opts(*server_opts))
        rej = s.take_one(self, F.PROTO_LCP, F.CONF_REJ)
        self.assertEqual(rej.ident, 1)
        self.assertEqual(F.parse_options(rej.data),
                         [(13, b"\x06"), (17, b"\x05\xdc"), (19, b"\x01abcd"), (99, b"zz")])
        s.lcp(F.CONF_REQ, 2, opts(*server_opts[:6]))
        ack = s.take_one(self, F.PROTO_LCP, F.CONF_ACK)
        self.assertEqual((ack.ident, ack.data), (2, opts(*server_opts[:6])))
        self.assertEqual(s.client.lcp.state, ACKSENT)
        s.lcp(F.CONF_ACK, req.ident, req.data)
        self.assertEqual(s.client.lcp.state, OPENED)
        self.assertEqual(s.client.auth_method, "mschapv2")
        self.assertEqual(s.client.phase, "authenticate")
        self.assertEqual(s.client.phase_reached, "auth")
        self.assertTrue(s.client.lcp.h.peer["pfc"] and s.client.lcp.h.peer["acfc"])
        self.assertEqual(s.client.errors, [])

    def test_auth_protocol_choices(self):
        for value, method in ((PAP, "pap"), (CHAP_MD5, "chap-md5"), (MSCHAPV2, "mschapv2")):
            s = Server()
            s.open_lcp(self, auth=value)
            self.assertEqual(s.client.auth_method, method)
        # one we do not allow, and one that does not exist: Nak with our preference
        s = Server(allowed_auth=("chap-md5",))
        s.client.start(s.now)
        s.take()
        s.lcp(F.CONF_REQ, 1, opts((3, MSCHAPV2)))
        nak = s.take_one(self, F.PROTO_LCP, F.CONF_NAK)
        self.assertEqual(F.parse_options(nak.data), [(3, CHAP_MD5)])
        s.lcp(F.CONF_REQ, 2, opts((3, b"\xc2\x23\x80")))  # MS-CHAP v1
        nak = s.take_one(self, F.PROTO_LCP, F.CONF_NAK)
        self.assertEqual(F.parse_options(nak.data), [(3, CHAP_MD5)])
        # accepting none at all: Reject
        s = Server(allowed_auth=())
        s.client.start(s.now)
        s.take()
        s.lcp(F.CONF_REQ, 1, opts((3, PAP)))
        rej = s.take_one(self, F.PROTO_LCP, F.CONF_REJ)
        self.assertEqual(F.parse_options(rej.data), [(3, PAP)])

    def test_no_auth_goes_to_network(self):
        s = Server()
        s.open_lcp(self, auth=None)
        self.assertEqual(s.client.auth_method, "none")
        self.assertEqual(s.client.phase, "network")
        self.assertEqual(s.take_one(self, F.PROTO_IPCP, F.CONF_REQ).code, F.CONF_REQ)

    def test_nak_of_our_options(self):
        s = Server(compress=True)
        s.client.start(s.now)
        req = s.take_one(self, F.PROTO_LCP, F.CONF_REQ)
        magic = s.client.lcp.h.magic
        s.lcp(F.CONF_NAK, req.ident, opts((1, b"\x05\xdc"), (5, struct.pack("!I", magic)),
                                          (3, PAP)))
        req2 = s.take_one(self, F.PROTO_LCP, F.CONF_REQ)
        self.assertNotEqual(req2.ident, req.ident)
        o = dict(F.parse_options(req2.data))
        self.assertEqual(o[1], b"\x05\xdc")
        self.assertNotEqual(struct.unpack("!I", o[5])[0], magic)
        self.assertIn(7, o)
        # a Reject of options we sent: we stop asking for them
        s.lcp(F.CONF_REJ, req2.ident, opts((7, b""), (8, b"")))
        req3 = s.take_one(self, F.PROTO_LCP, F.CONF_REQ)
        self.assertEqual([t for t, _ in F.parse_options(req3.data)], [1, 5])
        self.assertEqual(s.client.errors, [])

    def test_server_mru_and_magic_naked(self):
        s = Server()
        s.client.start(s.now)
        s.take()
        s.lcp(F.CONF_REQ, 1, opts((1, b"\x00\x40"), (5, bytes(4))))
        nak = s.take_one(self, F.PROTO_LCP, F.CONF_NAK)
        o = F.parse_options(nak.data)
        self.assertEqual(o[0], (1, b"\x00\x80"))
        self.assertEqual(o[1][0], 5)
        self.assertNotEqual(o[1][1], bytes(4))

    def test_max_failure_turns_naks_into_rejects(self):
        s = Server()
        s.client.start(s.now)
        s.take()
        for i in range(5):
            s.lcp(F.CONF_REQ, i, opts((1, b"\x00\x10")))
            self.assertEqual(s.take_one(self, F.PROTO_LCP, F.CONF_NAK).data, opts((1, b"\x00\x80")))
        s.lcp(F.CONF_REQ, 9, opts((1, b"\x00\x10")))
        self.assertEqual(s.take_one(self, F.PROTO_LCP, F.CONF_REJ).data, opts((1, b"\x00\x10")))

    def test_bad_replies_are_ignored(self):
        s = Server()
        s.client.start(s.now)
        req = s.take_one(self, F.PROTO_LCP, F.CONF_REQ)
        s.lcp(F.CONF_ACK, req.ident + 1, req.data)              # wrong Identifier
        s.lcp(F.CONF_ACK, req.ident, req.data[:4])             # not our options
        s.lcp(F.CONF_REJ, req.ident, opts((7, b"")))           # an option we did not send
        self.assertEqual(s.client.lcp.state, REQSENT)
        self.assertEqual(s.client.lcp.bad_replies, 3)
        self.assertEqual(s.take(), [])
        s.lcp(F.CONF_ACK, req.ident, req.data)
        s.lcp(F.CONF_ACK, req.ident, req.data)                 # a duplicate changes nothing
        self.assertEqual(s.client.lcp.bad_replies, 4)

    def test_retransmission_then_give_up(self):
        s = Server()
        s.client.start(s.now)
        first = s.take_one(self, F.PROTO_LCP, F.CONF_REQ)
        for i in range(9):
            s.advance(2.9)
            self.assertEqual(s.take(), [])
            s.advance(0.1)
            again = s.take_one(self, F.PROTO_LCP, F.CONF_REQ)
            self.assertEqual((again.ident, again.data), (first.ident, first.data))
        s.advance(3.0)
        self.assertTrue(s.client.finished)
        self.assertTrue(any("no answer to 10 Configure-Requests" in e for e in s.client.errors))

    def test_echo_answered_with_our_magic(self):
        s = Server()
        req = s.open_lcp(self)
        our_magic = dict(F.parse_options(req.data))[5]
        s.lcp(F.ECHO_REQ, 0x33, struct.pack("!I", SERVER_MAGIC) + b"hello")
        rep = s.take_one(self, F.PROTO_LCP, F.ECHO_REP)
        self.assertEqual(rep.ident, 0x33)
        self.assertEqual(rep.data, our_magic + b"hello")
        self.assertEqual(s.client.lcp_echo_answered, 1)
        # in a state other than Opened, an echo is discarded
        s2 = Server()
        s2.client.start(s2.now)
        s2.take()
        s2.lcp(F.ECHO_REQ, 1, bytes(4))
        self.assertEqual(s2.take(), [])
        # --ignore-echo
        s3 = Server(answer_echo=False)
        s3.open_lcp(self)
        s3.take()
        s3.lcp(F.ECHO_REQ, 1, struct.pack("!I", SERVER_MAGIC))
        self.assertEqual(s3.take(), [])

    def test_server_terminate(self):
        s = Server()
        s.bring_up(self)
        s.lcp(F.TERM_REQ, 0x21, b"Admin")
        ack = s.take_one(self, F.PROTO_LCP, F.TERM_ACK)
        self.assertEqual(ack.ident, 0x21)
        self.assertEqual(s.client.lcp.state, STOPPING)
        self.assertFalse(s.client.ip_up)
        self.assertEqual(s.client.terminated_by, "server")
        s.advance(3.0)
        self.assertTrue(s.client.finished)
        self.assertEqual(s.client.errors, [])

    def test_our_terminate(self):
        s = Server()
        s.bring_up(self)
        s.client.close(s.now)
        t = s.take_one(self, F.PROTO_LCP, F.TERM_REQ)
        self.assertEqual(s.client.lcp.state, CLOSING)
        s.lcp(F.TERM_ACK, t.ident)
        self.assertTrue(s.client.finished)
        self.assertTrue(s.client.lcp.term_acked)
        self.assertEqual(s.client.terminated_by, "us")
        self.assertEqual(s.client.errors, [])

    def test_our_terminate_unanswered(self):
        s = Server()
        s.bring_up(self)
        s.client.close(s.now)
        s.take()
        s.advance(3.0)
        s.take_one(self, F.PROTO_LCP, F.TERM_REQ)
        s.advance(3.0)
        self.assertTrue(s.client.finished)
        self.assertTrue(any("no Terminate-Ack" in e for e in s.client.errors))

    def test_code_reject_and_protocol_reject(self):
        s = Server()
        s.open_lcp(self)
        s.take()
        s.lcp(0x42, 5, b"what")
        cj = s.take_one(self, F.PROTO_LCP, F.CODE_REJ)
        self.assertEqual(cj.data, b"\x42\x05\x00\x08what")
        # IPV6CP: we run no such protocol
        s.feed(F.PROTO_IPV6CP, F.CONF_REQ, 1, opts((1, bytes(8))))
        pj = s.take_one(self, F.PROTO_LCP, F.PROTO_REJ)
        self.assertEqual(pj.data[:2], b"\x80\x57")
        # the server Code-Rejects our Echo: tolerated, still Opened
        s.lcp(F.CODE_REJ, 9, b"\x09\x01\x00\x08\x00\x00\x00\x00")
        self.assertEqual(s.client.lcp.state, OPENED)
        # Protocol-Reject of something unimportant: tolerated
        s.lcp(F.PROTO_REJ, 10, b"\x80\x57\x01\x01\x00\x04")
        self.assertEqual(s.client.lcp.state, OPENED)
        self.assertEqual(s.client.errors, [])

    def test_discard_identification(self):
        s = Server()
        s.open_lcp(self)
        s.take()
        s.lcp(F.DISCARD_REQ, 1, struct.pack("!I", SERVER_MAGIC) + b"x")
        s.lcp(F.IDENTIFICATION, 2, struct.pack("!I", SERVER_MAGIC) + b"MSRASV5.20")
        self.assertEqual(s.take(), [])

    def test_non_lcp_before_lcp_is_discarded(self):
        s = Server()
        s.client.start(s.now)
        s.take()
        s.feed(F.PROTO_IPCP, F.CONF_REQ, 1, opts((3, b"\x0a\x00\x00\x01")))
        s.feed(F.PROTO_CHAP, 1, 1, b"\x10" + bytes(16))
        self.assertEqual(s.take(), [])

    def test_renegotiation_restarts_auth_and_ipcp(self):
        s = Server()
        s.bring_up(self)
        s.lcp(F.CONF_REQ, 0x50, opts((3, MSCHAPV2), (5, struct.pack("!I", SERVER_MAGIC))))
        out = s.take()
        self.assertEqual([p.code for _, p in out], [F.CONF_REQ, F.CONF_ACK])
        self.assertFalse(s.client.ip_up)
        s.lcp(F.CONF_ACK, out[0][1].ident, out[0][1].data)
        self.assertEqual(s.client.phase, "authenticate")
        s.mschap_challenge(ident=8)
        self.assertEqual(s.take_one(self, F.PROTO_CHAP, 2).ident, 8)


class HeaderFormTest(unittest.TestCase):
    def test_compressed_headers_after_acfc_pfc(self):
        s = Server(compress=True)
        s.bring_up(self)
        self.assertTrue(s.client.lcp.h.acked.get("pfc") and s.client.lcp.h.acked.get("acfc"))
        # the server compresses: no FF 03, 1-byte IPv4 protocol
        s.feed_frame(b"\x21" + b"\x45hello")
        s.feed_frame(b"\xff\x03\x21" + b"\x45again")
        s.feed_frame(b"\x00\x21" + b"\x45two")
        s.feed(F.PROTO_IPCP, F.TERM_REQ, 3, b"", acf=False)
        self.assertEqual(s.ips, [b"\x45hello", b"\x45again", b"\x45two"])
        self.assertEqual(s.take_one(self, F.PROTO_IPCP, F.TERM_ACK).ident, 3)
        self.assertEqual(s.client.errors, [])

    def test_we_compress_when_the_server_asked(self):
        s = Server(compress=True)
        s.bring_up(self, extra=((7, b""), (8, b"")))
        s.raw_out.clear()
        s.client.send_ip(b"\x45data")
        self.assertEqual(s.raw_out, [b"\x21\x45data"])
        s.client.close(s.now)
        self.assertEqual(s.raw_out[-1][:4], b"\xff\x03\xc0\x21")  # never for LCP

    def test_we_do_not_compress_without_option(self):
        s = Server()
        s.bring_up(self, extra=((7, b""), (8, b"")))
        s.raw_out.clear()
        s.client.send_ip(b"\x45data")
        self.assertEqual(s.raw_out, [b"\xff\x03\x00\x21\x45data"])

    def test_unnegotiated_compression_is_accepted_but_reported(self):
        s = Server()
        s.bring_up(self)
        s.feed_frame(b"\x21\x45x")
        s.feed(F.PROTO_LCP, F.ECHO_REQ, 1, struct.pack("!I", SERVER_MAGIC), acf=False)
        self.assertEqual(s.ips, [b"\x45x"])
        self.assertEqual(s.take_one(self, F.PROTO_LCP, F.ECHO_REP).ident, 1)
        self.assertEqual(len(s.client.errors), 3, s.client.errors)


# ============================================================================================
class AuthTest(unittest.TestCase):
    def test_mschapv2_rfc_vectors_through_the_client(self):
        s = Server(user=RFC_USER, password=RFC_PASSWORD)
        s.open_lcp(self)
        s.rng.queue.append(RFC_PEER_CHAL)
        s.mschap_challenge(ident=0x1C)
        resp = s.take_one(self, F.PROTO_CHAP, 2)
        self.assertEqual(resp.ident, 0x1C)
        self.assertEqual(resp.data, b"\x31" + RFC_PEER_CHAL + bytes(8) + RFC_NT_RESPONSE +
                         b"\x00" + b"User")
        # the server repeats its Challenge (our Response was lost): same Response again
        s.mschap_challenge(ident=0x1C)
        self.assertEqual(s.take_one(self, F.PROTO_CHAP, 2).data, resp.data)
        s.feed(F.PROTO_CHAP, 3, 0x1C, RFC_AUTH_RESPONSE.encode() + b" M=Access granted")
        self.assertEqual(s.client.auth_result, "success")
        self.assertEqual(s.client.auth_message, RFC_AUTH_RESPONSE + " M=Access granted")
        self.assertEqual(s.take_one(self, F.PROTO_IPCP, F.CONF_REQ).code, F.CONF_REQ)
        self.assertEqual(s.client.errors, [])

    def test_mschapv2_wrong_authenticator_response(self):
        s = Server(user=RFC_USER, password=RFC_PASSWORD)
        s.open_lcp(self)
        s.rng.queue.append(RFC_PEER_CHAL)
        s.mschap_challenge(ident=3)
        s.take()
        s.feed(F.PROTO_CHAP, 3, 3, b"S=" + b"0" * 40 + b" M=ok")
        self.assertEqual(s.client.auth_result, "bad-authenticator")
        s.take_one(self, F.PROTO_LCP, F.TERM_REQ)
        self.assertFalse(s.client.ip_up)
        self.assertTrue(s.client.errors)

    def test_mschapv2_lowercase_authenticator_response(self):
        s = Server(user=RFC_USER, password=RFC_PASSWORD)
        s.open_lcp(self)
        s.rng.queue.append(RFC_PEER_CHAL)
        s.mschap_challenge(ident=3)
        s.take()
        s.feed(F.PROTO_CHAP, 3, 3, b"S=" + RFC_AUTH_RESPONSE[2:].lower().encode())
        self.assertEqual(s.client.auth_result, "success")
        self.assertTrue(any("uppercase" in e for e in s.client.errors))

    def test_mschapv2_success_with_wrong_identifier_is_ignored(self):
        s = Server(user=RFC_USER, password=RFC_PASSWORD)
        s.open_lcp(self)
        s.rng.queue.append(RFC_PEER_CHAL)
        s.mschap_challenge(ident=3)
        s.take()
        s.feed(F.PROTO_CHAP, 3, 4, RFC_AUTH_RESPONSE.encode())
        self.assertEqual(s.client.auth_result, "pending")
        self.assertEqual(s.take(), [])

    def test_mschapv2_failure_r0_reported_and_server_terminates(self):
        s = Server()
        s.open_lcp(self)
        s.mschap_challenge(ident=5)
        s.take()
        s.feed(F.PROTO_CHAP, 4, 5, b"E=691 R=0 C=00112233445566778899AABBCCDDEEFF V=3 "
                                   b"M=Authentication failed")
        self.assertEqual(s.client.auth_result, "failure")
        self.assertEqual(s.client.auth_failure, {"E": 691, "R": 0, "V": 3,
                                                 "C": "00112233445566778899AABBCCDDEEFF",
                                                 "M": "Authentication failed"})
        self.assertEqual(s.take(), [])          # we give the server time to hang up
        s.lcp(F.TERM_REQ, 0x60, b"Authentication failed")
        s.take_one(self, F.PROTO_LCP, F.TERM_ACK)
        self.assertEqual(s.client.terminated_by, "server")
        s.advance(3.0)
        self.assertTrue(s.client.finished)

    def test_mschapv2_failure_server_silent_we_hang_up(self):
        s = Server()
        s.open_lcp(self)
        s.mschap_challenge(ident=5)
        s.take()
        s.feed(F.PROTO_CHAP, 4, 5, b"E=691 R=0 V=3 M=no")
        s.advance(3.0)
        s.take_one(self, F.PROTO_LCP, F.TERM_REQ)
        self.assertEqual(s.client.terminated_by, "us")

    def test_mschapv2_failure_r1_without_retry_hangs_up_at_once(self):
        s = Server()
        s.open_lcp(self)
        s.mschap_challenge(ident=5)
        s.take()
        s.feed(F.PROTO_CHAP, 4, 5, b"E=691 R=1 C=00112233445566778899AABBCCDDEEFF V=3 M=x")
        self.assertEqual(s.client.auth_result, "failure")
        s.take_one(self, F.PROTO_LCP, F.TERM_REQ)

    def test_mschapv2_retry(self):
        s = Server(user=RFC_USER, password="wrong", retry=1, retry_password=RFC_PASSWORD)
        s.open_lcp(self)
        s.mschap_challenge(ident=5)
        s.take()
        s.rng.queue.append(RFC_PEER_CHAL)
        s.feed(F.PROTO_CHAP, 4, 5, b"E=691 R=1 C=" + RFC_AUTH_CHAL.hex().upper().encode() +
               b" V=3 M=Authentication failed")
        resp = s.take_one(self, F.PROTO_CHAP, 2)
        self.assertEqual(resp.ident, 6)  # RFC 2759: the Failure's Identifier plus one
        self.assertEqual(resp.data[25:49], RFC_NT_RESPONSE)
        self.assertEqual(s.client.auth_result, "pending")
        s.feed(F.PROTO_CHAP, 3, 6, RFC_AUTH_RESPONSE.encode())
        self.assertEqual(s.client.auth_result, "success")

    def test_chap_md5(self):
        s = Server(password="lab-secret")
        s.open_lcp(self, auth=CHAP_MD5)
        chal = bytes(range(20, 37))
        s.feed(F.PROTO_CHAP, 1, 0x77, bytes([len(chal)]) + chal + b"pptpd")
        resp = s.take_one(self, F.PROTO_CHAP, 2)
        expect = hashlib.md5(b"\x77lab-secret" + chal).digest()
        self.assertEqual(resp.data, b"\x10" + expect + b"lab")
        s.feed(F.PROTO_CHAP, 3, 0x77, b"Access granted")
        self.assertEqual(s.client.auth_result, "success")
        self.assertEqual(s.client.phase, "network")

    def test_chap_md5_failure_then_new_challenge_ignored_without_retry(self):
        s = Server()
        s.open_lcp(self, auth=CHAP_MD5)
        s.feed(F.PROTO_CHAP, 1, 1, b"\x04abcd")
        s.take()
        s.feed(F.PROTO_CHAP, 4, 1, b"Access denied")
        self.assertEqual(s.client.auth_failure, {"M": "Access denied"})
        s.feed(F.PROTO_CHAP, 1, 2, b"\x04efgh")
        self.assertEqual(s.take(), [])

    def test_chap_md5_retry(self):
        s = Server(retry=1)
        s.open_lcp(self, auth=CHAP_MD5)
        s.feed(F.PROTO_CHAP, 1, 1, b"\x04abcd")
        s.take()
        s.feed(F.PROTO_CHAP, 4, 1, b"Access denied")
        s.feed(F.PROTO_CHAP, 1, 2, b"\x04efgh")
        self.assertEqual(s.take_one(self, F.PROTO_CHAP, 2).ident, 2)
        s.feed(F.PROTO_CHAP, 3, 2, b"ok")
        self.assertEqual(s.client.auth_result, "success")

    def test_pap(self):
        s = Server(user="lab", password="lab-secret")
        s.open_lcp(self, auth=PAP)
        req = s.take_one(self, F.PROTO_PAP, 1)
        self.assertEqual(req.data, b"\x03lab\x0alab-secret")
        s.advance(3.0)  # no answer: sent again with a new Identifier
        req2 = s.take_one(self, F.PROTO_PAP, 1)
        self.assertNotEqual(req2.ident, req.ident)
        s.feed(F.PROTO_PAP, 2, req.ident, b"\x08Login ok")
        self.assertEqual(s.client.auth_result, "success")
        self.assertEqual(s.client.auth_message, "Login ok")

    def test_pap_nak(self):
        s = Server()
        s.open_lcp(self, auth=PAP)
        req = s.take_one(self, F.PROTO_PAP, 1)
        s.feed(F.PROTO_PAP, 3, req.ident, b"\x10Login incorrect")
        self.assertEqual(s.client.auth_result, "failure")
        self.assertEqual(s.client.auth_failure, {"M": "Login incorrect"})


# ============================================================================================
class IpcpTest(unittest.TestCase):
    def test_nak_adopts_address_and_dns(self):
        s = Server(ask_dns=True)
        req = s.up_to_ipcp(self)
        self.assertEqual(F.parse_options(req.data), [(3, bytes(4)), (129, bytes(4)),
                                                     (131, bytes(4))])
        # the server's own request first (it may cross ours)
        s.feed(F.PROTO_IPCP, F.CONF_REQ, 1, opts((3, b"\x64\x40\x00\x01")))
        s.take_one(self, F.PROTO_IPCP, F.CONF_ACK)
        s.feed(F.PROTO_IPCP, F.CONF_NAK, req.ident, opts((3, b"\x64\x40\x00\x05"),
                                                         (129, b"\x08\x08\x08\x08"),
                                                         (131, b"\x01\x01\x01\x01")))
        req2 = s.take_one(self, F.PROTO_IPCP, F.CONF_REQ)
        self.assertEqual(F.parse_options(req2.data), [(3, b"\x64\x40\x00\x05"),
                                                      (129, b"\x08\x08\x08\x08"),
                                                      (131, b"\x01\x01\x01\x01")])
        s.feed(F.PROTO_IPCP, F.CONF_ACK, req2.ident, req2.data)
        c = s.client
        self.assertTrue(c.ip_up)
        self.assertEqual((c.address, c.dns, c.server_address),
                         ("100.64.0.5", ["8.8.8.8", "1.1.1.1"], "100.64.0.1"))
        self.assertEqual(c.phase_reached, "up")
        self.assertEqual(c.errors, [])

    def test_reject_of_dns_drops_it(self):
        s = Server(ask_dns=True)
        req = s.up_to_ipcp(self)
        s.feed(F.PROTO_IPCP, F.CONF_REJ, req.ident, opts((129, bytes(4)), (131, bytes(4))))
        req2 = s.take_one(self, F.PROTO_IPCP, F.CONF_REQ)
        self.assertEqual(F.parse_options(req2.data), [(3, bytes(4))])

    def test_server_request_vj_and_zero_rejected(self):
        s = Server()
        s.up_to_ipcp(self)
        s.feed(F.PROTO_IPCP, F.CONF_REQ, 1, opts((2, b"\x00\x2d\x0f\x01"),
                                                 (3, b"\x64\x40\x00\x01")))
        rej = s.take_one(self, F.PROTO_IPCP, F.CONF_REJ)
        self.assertEqual(F.parse_options(rej.data), [(2, b"\x00\x2d\x0f\x01")])
        s.feed(F.PROTO_IPCP, F.CONF_REQ, 2, opts((3, bytes(4))))
        self.assertEqual(s.take_one(self, F.PROTO_IPCP, F.CONF_REJ).ident, 2)

    def test_ack_of_zero_address_is_an_error(self):
        s = Server()
        req = s.up_to_ipcp(self)
        s.feed(F.PROTO_IPCP, F.CONF_ACK, req.ident, req.data)
        s.feed(F.PROTO_IPCP, F.CONF_REQ, 1, opts((3, b"\x64\x40\x00\x01")))
        self.assertTrue(s.client.ip_up)
        self.assertTrue(any("without an address" in e for e in s.client.errors))

    def test_requested_address(self):
        s = Server(request_ip="100.64.1.10")
        req = s.up_to_ipcp(self)
        self.assertEqual(F.parse_options(req.data), [(3, b"\x64\x40\x01\x0a")])

    def test_ipcp_terminate_by_server_ends_the_link(self):
        s = Server()
        s.bring_up(self)
        s.feed(F.PROTO_IPCP, F.TERM_REQ, 4, b"")
        s.take_one(self, F.PROTO_IPCP, F.TERM_ACK)
        self.assertFalse(s.client.ip_up)
        s.advance(3.0)   # IPCP finished: no network protocol left, LCP closes
        t = s.take_one(self, F.PROTO_LCP, F.TERM_REQ)
        self.assertEqual(s.client.terminated_by, "server")
        s.lcp(F.TERM_ACK, t.ident)
        self.assertTrue(s.client.finished)


class CcpTest(unittest.TestCase):
    def test_stateless_answers(self):
        s = Server()
        s.bring_up(self)
        s.feed(F.PROTO_CCP, F.CONF_REQ, 1, opts((18, b"\x01\x00\x00\x40")))
        rej = s.take_one(self, F.PROTO_CCP, F.CONF_REJ)
        self.assertEqual(F.parse_options(rej.data), [(18, b"\x01\x00\x00\x40")])
        s.feed(F.PROTO_CCP, F.CONF_REQ, 2, b"")
        self.assertEqual(s.take_one(self, F.PROTO_CCP, F.CONF_ACK).ident, 2)
        s.feed(F.PROTO_CCP, F.TERM_REQ, 3, b"")
        s.take_one(self, F.PROTO_CCP, F.TERM_ACK)

    def test_no_ccp_sent_by_default(self):
        s = Server()
        s.bring_up(self)
        self.assertFalse(any(h.proto == F.PROTO_CCP for h, _ in s.take()))

    def test_ccp_automaton(self):
        s = Server(ccp=True)
        s.open_lcp(self)
        s.rng.queue.append(RFC_PEER_CHAL)
        s.mschap_challenge()
        resp = s.take_one(self, F.PROTO_CHAP, 2)
        s.feed(F.PROTO_CHAP, 3, resp.ident, s.client.auth.expect.encode())
        # the Network phase opens IPCP, then CCP with an empty request
        out = s.take()
        self.assertEqual([(h.proto, p.code) for h, p in out],
                         [(F.PROTO_IPCP, F.CONF_REQ), (F.PROTO_CCP, F.CONF_REQ)])
        req = out[1][1]
        self.assertEqual(req.data, b"")
        s.feed(F.PROTO_CCP, F.CONF_REQ, 1, opts((18, b"\x01\x00\x00\x40")))
        s.take_one(self, F.PROTO_CCP, F.CONF_REJ)
        s.feed(F.PROTO_CCP, F.CONF_REQ, 2, b"")
        s.take_one(self, F.PROTO_CCP, F.CONF_ACK)
        s.feed(F.PROTO_CCP, F.CONF_ACK, req.ident, b"")
        self.assertTrue(s.client.ccp_opened)


# ============================================================================================
# MPPE (RFC 3078/3079) as a Windows client negotiates and uses it, against the
# independent cipher in tests/tools/mppe.py playing the server's side.
import mppe  # noqa: E402

# RFC 3079 3.5.3 on RFC 2759 9.2's exchange: the server's start keys. The client
# sends with the server's receive key and receives with its send key.
SERVER_SEND_KEY = bytes.fromhex("8B7CDC149B993A1BA118CB153F56DCCB")
SERVER_RECV_KEY = bytes.fromhex("D5F0E9521E3EA9589645E86051C82226")
MASTER_KEY = bytes.fromhex("FDECE3717A8C838CB388E527AE3CDD31")
H, S_, M_, L_, C_ = 0x01000000, 0x40, 0x80, 0x20, 0x01


def v18(value):
    return opts((18, struct.pack("!I", value)))


def ipv4(n, size=40):
    """A stand-in IPv4 datagram: the client only carries it."""
    return bytes([0x45, 0]) + struct.pack("!H", size) + bytes((n + i) & 0xFF
                                                            for i in range(size - 4))


class MppeServer(Server):
    """The scripted server, MPPE-aware: RFC 2759's user, the RFC's keys."""

    def __init__(self, **cfg):
        cfg.setdefault("user", RFC_USER)
        cfg.setdefault("password", RFC_PASSWORD)
        cfg.setdefault("mppe", "stateless")
        super().__init__(**cfg)

    def to_network(self, test):
        """LCP, MS-CHAPv2 on the RFC vectors; returns the client's (IPCP, CCP) requests."""
        self.open_lcp(test)
        self.rng.queue.append(RFC_PEER_CHAL)
        self.mschap_challenge()
        resp = self.take_one(test, F.PROTO_CHAP, 2)
        test.assertEqual(resp.data[25:49], RFC_NT_RESPONSE)
        self.feed(F.PROTO_CHAP, 3, resp.ident, RFC_AUTH_RESPONSE.encode() + b" M=Access granted")
        out = self.take()
        test.assertEqual([(h.proto, p.code) for h, p in out],
                         [(F.PROTO_IPCP, F.CONF_REQ), (F.PROTO_CCP, F.CONF_REQ)])
        return out[0][1], out[1][1]

    def open_ipcp(self, test, req):
        self.feed(F.PROTO_IPCP, F.CONF_NAK, req.ident, opts((3, b"\x64\x40\x00\x05")))
        req2 = self.take_one(test, F.PROTO_IPCP, F.CONF_REQ)
        self.feed(F.PROTO_IPCP, F.CONF_ACK, req2.ident, req2.data)
        self.feed(F.PROTO_IPCP, F.CONF_REQ, 9, opts((3, b"\x64\x40\x00\x01")))
        self.take_one(test, F.PROTO_IPCP, F.CONF_ACK)
        test.assertTrue(self.client.ipcp.opened)

    def agree(self, test, ccp_req, value):
        """Our (the server's) request equals the client's: both ways agree on `value`."""
        test.assertEqual(ccp_req.data, v18(value))
        self.feed(F.PROTO_CCP, F.CONF_REQ, 0x31, v18(value))
        ack = self.take_one(test, F.PROTO_CCP, F.CONF_ACK)
        test.assertEqual((ack.ident, ack.data), (0x31, v18(value)))
        self.feed(F.PROTO_CCP, F.CONF_ACK, ccp_req.ident, ccp_req.data)
        test.assertTrue(self.client.ccp_opened)

    def raw_take(self):
        """[(protocol, information)] sent since the last take."""
        out = [F.parse_frame(fr) for fr in self.raw_out]
        self.raw_out.clear()
        return [(h.proto, bytes(i)) for h, i in out]


class MppeClientTest(unittest.TestCase):
    def test_windows_request_and_keys(self):
        s = MppeServer()
        ipcp, ccp = s.to_network(self)
        self.assertEqual(ccp.data, v18(H | S_))            # Windows 10: 0x01000040
        s.open_ipcp(self, ipcp)
        self.assertFalse(s.client.ip_up)                    # waits for CCP, as Windows does
        ups = []
        s.client.on_up = lambda now: ups.append(now)
        s.agree(self, ccp, H | S_)
        self.assertTrue(s.client.ip_up)
        self.assertEqual(len(ups), 1)
        self.assertEqual(s.client.mppe, {"bits": 128, "stateless": True})
        self.assertEqual(mppe.master_key(crypto.hash_nt_password_hash(RFC_NT_HASH),
                                         RFC_NT_RESPONSE), MASTER_KEY)
        # RFC 3079 3.4 with IsServer false: the client's send key is the server's receive key
        self.assertEqual(s.client.mppe_tx.start_key, SERVER_RECV_KEY)
        self.assertEqual(s.client.mppe_rx.start_key, SERVER_SEND_KEY)
        self.assertEqual(s.client.errors, [])

    def up(self, **cfg):
        s = MppeServer(**cfg)
        ipcp, ccp = s.to_network(self)
        value = ccp_value = struct.unpack("!I", F.parse_options(ccp.data)[0][1])[0]
        s.agree(self, ccp, value)
        s.open_ipcp(self, ipcp)
        self.assertTrue(s.client.ip_up)
        self.assertEqual(ccp_value, value)
        s.take()
        return s

    def test_traffic_both_ways(self):
        s = self.up()
        srv_rx = mppe.MppeState(SERVER_RECV_KEY, 128, True)
        srv_tx = mppe.MppeState(SERVER_SEND_KEY, 128, True)
        for n in range(3):
            self.assertTrue(s.client.send_ip(ipv4(n)))
        sent = s.raw_take()
        self.assertEqual([p for p, _ in sent], [F.PROTO_COMP] * 3)
        for n, (_, info) in enumerate(sent):
            self.assertEqual(info[0] & 0x90, 0x90)          # A (flushed: stateless) and D
            self.assertEqual(srv_rx.decrypt(info), b"\x00\x21" + ipv4(n))
        for n in range(3):
            s.feed_frame(F.build_frame(F.PROTO_COMP, srv_tx.encrypt(b"\x00\x21" + ipv4(10 + n))))
        # a compressed (1-byte) inner protocol field is fine too
        s.feed_frame(F.build_frame(F.PROTO_COMP, srv_tx.encrypt(b"\x21" + ipv4(20))))
        self.assertEqual(s.ips, [ipv4(10), ipv4(11), ipv4(12), ipv4(20)])
        sm = s.client.summary()
        self.assertEqual((sm["mppe_encrypted"], sm["mppe_decrypted"],
                          sm["mppe_decrypt_failures"]), (3, 4, 0))
        self.assertEqual(sm["mppe"], {"bits": 128, "stateless": True})
        # a late packet (count already used) is dropped and counted
        late = srv_tx.encrypt(b"\x00\x21" + ipv4(30))
        s.feed_frame(F.build_frame(F.PROTO_COMP, late))
        s.feed_frame(F.build_frame(F.PROTO_COMP, late))
        self.assertEqual(s.client.mppe_decrypt_failures, 1)
        self.assertEqual(s.raw_take(), [])                 # no Reset-Request when stateless
        self.assertEqual(s.client.errors, [])

    def test_clear_ipv4_while_mppe_is_an_error(self):
        s = self.up()
        s.feed_frame(F.build_frame(F.PROTO_IP, ipv4(1)))
        self.assertEqual(s.ips, [])
        self.assertEqual(s.client.ip_clear_while_mppe, 1)
        self.assertTrue(any("clear IPv4" in e for e in s.client.errors))

    def test_server_asks_something_else(self):
        for theirs in (H | S_ | L_ | M_, H | S_ | C_, S_, C_, H | L_):
            s = MppeServer()
            ipcp, ccp = s.to_network(self)
            s.feed(F.PROTO_CCP, F.CONF_REQ, 1, v18(theirs))
            nak = s.take_one(self, F.PROTO_CCP, F.CONF_NAK)
            self.assertEqual(nak.data, v18(H | S_))
            s.agree(self, ccp, H | S_)
            self.assertEqual(s.client.mppe, {"bits": 128, "stateless": True})

    def test_stateful_and_weaker_keys(self):
        s = MppeServer(mppe="stateful", mppe_bits=56)
        ipcp, ccp = s.to_network(self)
        self.assertEqual(ccp.data, v18(M_))
        # the server Naks toward stateless 128: we can do only ours, and ask it again
        s.feed(F.PROTO_CCP, F.CONF_NAK, ccp.ident, v18(H | S_))
        again = s.take_one(self, F.PROTO_CCP, F.CONF_REQ)
        self.assertEqual(again.data, v18(M_))
        s.feed(F.PROTO_CCP, F.CONF_REQ, 2, v18(H | S_))
        self.assertEqual(s.take_one(self, F.PROTO_CCP, F.CONF_NAK).data, v18(M_))
        s.agree(self, again, M_)
        self.assertEqual(s.client.mppe, {"bits": 56, "stateless": False})
        self.assertEqual(s.client.mppe_tx.start_key, SERVER_RECV_KEY[:8])
        self.assertEqual(s.client.mppe_rx.start_key, SERVER_SEND_KEY[:8])
        s = MppeServer(mppe_bits=40)
        ipcp, ccp = s.to_network(self)
        self.assertEqual(ccp.data, v18(H | L_))

    def test_server_rejects_mppe(self):
        s = MppeServer()
        ipcp, ccp = s.to_network(self)
        s.open_ipcp(self, ipcp)
        s.feed(F.PROTO_CCP, F.CONF_REJ, ccp.ident, ccp.data)
        req = s.take_one(self, F.PROTO_CCP, F.CONF_REQ)
        self.assertEqual(req.data, b"")
        s.feed(F.PROTO_CCP, F.CONF_REQ, 1, b"")
        s.take_one(self, F.PROTO_CCP, F.CONF_ACK)
        s.feed(F.PROTO_CCP, F.CONF_ACK, req.ident, b"")
        self.assertTrue(s.client.ip_up)
        self.assertIsNone(s.client.mppe)
        self.assertIsNone(s.client.summary()["mppe"])
        s.client.send_ip(ipv4(1))
        self.assertEqual(s.raw_take(), [(F.PROTO_IP, ipv4(1))])
        self.assertEqual(s.client.errors, [])

    def test_server_protocol_rejects_ccp(self):
        s = MppeServer()
        ipcp, ccp = s.to_network(self)
        s.open_ipcp(self, ipcp)
        s.lcp(F.PROTO_REJ, 0x70, struct.pack("!H", F.PROTO_CCP) + ccp.encode())
        self.assertTrue(s.client.ip_up)                     # CCP gave up: in the clear
        self.assertIsNone(s.client.mppe)

    def test_one_way_is_an_error(self):
        s = MppeServer()
        ipcp, ccp = s.to_network(self)
        s.feed(F.PROTO_CCP, F.CONF_REQ, 1, b"")             # the server asks nothing
        s.take_one(self, F.PROTO_CCP, F.CONF_ACK)
        s.feed(F.PROTO_CCP, F.CONF_ACK, ccp.ident, ccp.data)
        self.assertIsNone(s.client.mppe)
        self.assertTrue(any("one way" in e for e in s.client.errors))

    def test_server_reset_request_flushes(self):
        s = self.up(mppe="stateful")
        srv_rx = mppe.MppeState(SERVER_RECV_KEY, 128, False)
        s.client.send_ip(ipv4(1))
        (_, first), = s.raw_take()
        self.assertEqual(first[0] & 0x80, 0)                # stateful: not flushed
        self.assertEqual(srv_rx.decrypt(first), b"\x00\x21" + ipv4(1))
        s.feed(F.PROTO_CCP, F.RESET_REQ, 0x5A, b"")
        ack = s.take_one(self, F.PROTO_CCP, F.RESET_ACK)
        self.assertEqual(ack.ident, 0x5A)
        s.client.send_ip(ipv4(2))
        (_, second), = s.raw_take()
        self.assertEqual(second[0] & 0x80, 0x80)            # flushed after the reset
        self.assertEqual(srv_rx.decrypt(second), b"\x00\x21" + ipv4(2))
        self.assertEqual(s.client.summary()["mppe_reset_requests_received"], 1)

    def test_lost_sync_sends_reset_request(self):
        s = self.up(mppe="stateful")
        srv_tx = mppe.MppeState(SERVER_SEND_KEY, 128, False)
        p1 = srv_tx.encrypt(b"\x00\x21" + ipv4(1))
        p2 = srv_tx.encrypt(b"\x00\x21" + ipv4(2))
        p3 = srv_tx.encrypt(b"\x00\x21" + ipv4(3))
        self.assertIsNotNone(p1)
        s.feed_frame(F.build_frame(F.PROTO_COMP, p2))        # p1 lost
        req = s.take_one(self, F.PROTO_CCP, F.RESET_REQ)
        s.feed_frame(F.build_frame(F.PROTO_COMP, p3))        # still out of sync
        self.assertEqual(s.take(), [])                      # one Reset-Request outstanding
        self.assertEqual(s.client.mppe_decrypt_failures, 2)
        s.feed(F.PROTO_CCP, F.RESET_ACK, req.ident, b"")
        srv_tx.flush()
        s.feed_frame(F.build_frame(F.PROTO_COMP, srv_tx.encrypt(b"\x00\x21" + ipv4(4))))
        self.assertEqual(s.ips, [ipv4(4)])
        # without a Reset-Ack, another goes out only after the restart interval
        srv_tx.encrypt(b"\x00\x21" + ipv4(6))               # lost
        s.feed_frame(F.build_frame(F.PROTO_COMP, srv_tx.encrypt(b"\x00\x21" + ipv4(7))))
        r2 = s.take_one(self, F.PROTO_CCP, F.RESET_REQ)
        self.assertNotEqual(r2.ident, req.ident)
        s.feed_frame(F.build_frame(F.PROTO_COMP, srv_tx.encrypt(b"\x00\x21" + ipv4(8))))
        self.assertEqual(s.take(), [])
        s.advance(3.0)
        s.feed_frame(F.build_frame(F.PROTO_COMP, srv_tx.encrypt(b"\x00\x21" + ipv4(9))))
        self.assertEqual(s.take_one(self, F.PROTO_CCP, F.RESET_REQ).code, F.RESET_REQ)
        self.assertEqual(s.client.summary()["mppe_reset_requests_sent"], 3)
        self.assertEqual(s.ips, [ipv4(4)])
        self.assertEqual(s.client.errors, [])

    def test_without_mschapv2_no_mppe(self):
        s = MppeServer(user="lab", password="lab-secret")
        s.open_lcp(self, auth=PAP)
        req = s.take_one(self, F.PROTO_PAP, 1)
        s.feed(F.PROTO_PAP, 2, req.ident, b"\x00")
        out = s.take()
        ccp = out[1][1]
        s.feed(F.PROTO_CCP, F.CONF_REQ, 1, v18(H | S_))
        s.take_one(self, F.PROTO_CCP, F.CONF_ACK)
        s.feed(F.PROTO_CCP, F.CONF_ACK, ccp.ident, ccp.data)
        self.assertIsNone(s.client.mppe)
        self.assertTrue(any("without MS-CHAPv2 keys" in e for e in s.client.errors))

    def test_runner_options(self):
        import pptp_peer
        a = pptp_peer.parse_args(["192.0.2.1", "--mppe", "stateless", "--expect-mppe"])
        self.assertEqual((a.mppe, a.mppe_bits, a.expect_mppe), ("stateless", 128, True))
        rep = {"phase_reached": "up", "auth": "mschapv2", "auth_result": "success",
               "address": "100.64.0.5", "pings_received": 0, "terminated_by": "us",
               "errors": [], "mppe": None}
        self.assertIn("MPPE was not negotiated (--expect-mppe)", pptp_peer.Run(a).judge(rep))
        rep["mppe"] = {"bits": 128, "stateless": True}
        self.assertEqual(pptp_peer.Run(a).judge(rep), [])
        for bad in (["--expect-mppe"], ["--mppe", "on"], ["--mppe-bits", "64"]):
            r = subprocess.run([sys.executable, os.path.join(HERE, "pptp_peer.py"), "1.2.3.4"] +
                               bad, capture_output=True, text=True, timeout=30)
            self.assertEqual(r.returncode, 2, bad)


# ============================================================================================
class TrafficTest(unittest.TestCase):
    def test_pinger(self):
        from ppp_client.traffic import Pinger
        from scapy.layers.inet import ICMP, IP
        p = Pinger("100.64.0.5", "203.0.113.2", 3, interval=0.2, timeout=1.0, payload_size=20,
                   ident=0x1234)
        p.begin(10.0)
        pkts = [p.due(10.0)]
        self.assertIsNone(p.due(10.1))
        pkts.append(p.due(10.2))
        pkts.append(p.due(10.4))
        self.assertIsNone(p.due(10.6))
        self.assertFalse(p.done(10.5))
        for i, raw in enumerate(pkts):
            ip = IP(raw)
            self.assertEqual((ip.src, ip.dst, ip[ICMP].type, ip[ICMP].seq), (
                "100.64.0.5", "203.0.113.2", 8, i + 1))
            self.assertEqual(len(bytes(ip[ICMP].payload)), 20)
            reply = IP(src=ip.dst, dst=ip.src) / ICMP(type=0, id=ip[ICMP].id, seq=ip[ICMP].seq) \
                / bytes(ip[ICMP].payload)
            self.assertIsNone(p.handle(10.5, bytes(reply)))
        self.assertIsNone(p.handle(10.5, bytes(reply)))  # a duplicate
        self.assertTrue(p.done(10.5))
        sm = p.summary()
        self.assertEqual((sm["pings_sent"], sm["pings_received"], sm["ping_duplicates"]),
                         (3, 3, 1))
        # an echo request to us is answered
        req = IP(src="203.0.113.2", dst="100.64.0.5") / ICMP(type=8, id=9, seq=4) / b"abc"
        rep = IP(p.handle(11.0, bytes(req)))
        self.assertEqual((rep.src, rep.dst, rep[ICMP].type, rep[ICMP].id, rep[ICMP].seq),
                         ("100.64.0.5", "203.0.113.2", 0, 9, 4))

    def test_late_reply_not_counted(self):
        from ppp_client.traffic import Pinger
        from scapy.layers.inet import ICMP, IP
        p = Pinger("100.64.0.5", "203.0.113.2", 1, timeout=1.0, ident=7)
        p.begin(0.0)
        ip = IP(p.due(0.0))
        reply = IP(src=ip.dst, dst=ip.src) / ICMP(type=0, id=7, seq=1) / bytes(ip[ICMP].payload)
        self.assertTrue(p.done(1.5))
        p.handle(1.5, bytes(reply))
        self.assertEqual(p.summary()["pings_received"], 0)


class RunnerTest(unittest.TestCase):
    """pptp_peer.py itself, with nothing to connect to: a clean failure report."""

    @unittest.skipUnless(shutil.which("pptp") or os.path.exists("/usr/sbin/pptp"),
                         "pptp-linux not installed")
    def test_unreachable_server(self):
        probe = socket.socket()
        probe.settimeout(2)
        try:
            probe.connect(("127.0.0.1", 1723))
            self.skipTest("something listens on 127.0.0.1:1723")
        except OSError:
            pass
        finally:
            probe.close()
        t0 = time.monotonic()
        r = subprocess.run([sys.executable, os.path.join(HERE, "pptp_peer.py"), "127.0.0.1",
                            "--timeout-total", "20", "--pptp-log", os.devnull],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 1, r.stderr)
        rep = json.loads(r.stdout)
        self.assertFalse(rep["ok"])
        self.assertEqual(rep["phase_reached"], "lcp")
        self.assertEqual(rep["terminated_by"], "pptp-exit")
        self.assertNotEqual(rep["pptp_exit_code"], 0)
        for key in ("auth", "auth_result", "failure", "address", "dns", "pings_sent",
                    "pings_received", "lcp_echo_answered", "errors"):
            self.assertIn(key, rep)
        self.assertLess(time.monotonic() - t0, 20)

    def test_bad_arguments(self):
        r = subprocess.run([sys.executable, os.path.join(HERE, "pptp_peer.py"), "1.2.3.4",
                            "--auth", "kerberos"], capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 2)


if __name__ == "__main__":
    unittest.main(verbosity=1)
