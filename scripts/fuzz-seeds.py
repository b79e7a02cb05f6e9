#!/usr/bin/python3
"""Write the fuzzers' seed corpora (tests/fuzz/corpus/<harness>/seed-*) from
the golden captures (tests/data/*.pcap), from scapy's PPP layers and, for the
state-machine harnesses (pptp_conn, ppp_session), from scripted exchanges in
their operation encodings (documented at the top of each harness).

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


# ---- pptp_conn (tests/fuzz/fuzz_pptp_conn.c): 4 set-up bytes, then operations ----
PC_RAW, PC_MSG, PC_TICK, PC_TICK_DEADLINE, PC_DISCONNECT, PC_STOP, PC_PEER_CLOSED, PC_REOPEN = range(8)
# set-up byte 0 / byte 1 bits
PC_NO_ECHO, PC_NO_CALL_WAIT, PC_FEW_IDS, PC_LOG_DEBUG, PC_LATE_CLOCK, PC_ECHO_SPEED = (
    0x04, 0x08, 0x10, 0x20, 0x40, 0x80)
(RE_STOP_IN_REQUEST, RE_CLOSE_IN_REQUEST, RE_TICK_IN_REQUEST, RE_STOP_LAST_CLEARED,
 RE_DISC_IN_CLEARED, RE_INPUT_IN_CLEARED, RE_DISC_IN_SLI, RE_CALLS_IN_CLOSE) = (
    0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80)
(SCCRQ, SCCRP, STOPCCRQ, STOPCCRP, ECHORQ, ECHORP, OCRQ, OCRP, ICRQ, ICRP, ICCN, CCRQ, CDN,
 WEN, SLI) = range(1, 16)
LIVE = 0x8000  # in a message's argument: one of the connection's live calls


def pc_setup(cfg=0, reent=0, verdicts=0, misbehave=0):
    return bytes([cfg, reent, verdicts, misbehave])


def pc_raw(data, conn=0):
    out = b""
    for i in range(0, len(data), 255):
        chunk = data[i:i + 255]
        out += bytes([PC_RAW << 1 | conn, len(chunk)]) + chunk
    return out


def pc_msg(mtype, arg=0, conn=0, split=0):
    return bytes([PC_MSG << 1 | conn, mtype - 1, arg >> 8, arg & 0xFF, split])


def pc_tick(units, conn=0):  # units of 500 ms
    return bytes([PC_TICK << 1 | conn, units])


def pc_deadline(conn=0):
    return bytes([PC_TICK_DEADLINE << 1 | conn])


def pc_disconnect(sel, result=3, cause=0, conn=0):  # sel | 0x80: a live call
    return bytes([PC_DISCONNECT << 1 | conn, sel, result, cause])


def pc_stop(reason=1, conn=0):
    return bytes([PC_STOP << 1 | conn, reason])


def pc_closed(conn=0):
    return bytes([PC_PEER_CLOSED << 1 | conn])


def pc_reopen(conn=0):
    return bytes([PC_REOPEN << 1 | conn])


def pptp_conn_seeds(client_streams):
    w = lambda blob: write("pptp_conn", blob)
    # The real client's byte stream, as read (one read per segment), then TCP closes.
    for segments in client_streams:
        w(pc_setup() + b"".join(pc_raw(seg) for seg in segments) + pc_closed())
        # Same bytes in 7-byte reads: reassembly across reads.
        stream = b"".join(segments)
        w(pc_setup(PC_LOG_DEBUG) + b"".join(
            bytes([PC_RAW << 1, len(stream[i:i + 7])]) + stream[i:i + 7]
            for i in range(0, len(stream), 7)))
    est = pc_msg(SCCRQ)
    # A day in the life: two calls, link info, echoes both ways, clear, stop.
    w(pc_setup(0x03) + est + pc_msg(OCRQ, 0x4001) + pc_msg(OCRQ, 0x4002, split=100) +
      pc_msg(SLI, LIVE) + pc_msg(ECHORQ, 5) + pc_tick(121) + pc_msg(ECHORP, LIVE) +
      pc_msg(WEN, LIVE | 1) + pc_msg(CCRQ, LIVE) + pc_disconnect(0x80, 3, 7) + pc_stop(1) +
      pc_msg(STOPCCRP))
    # Two connections on one allocator: same peer call IDs, cross-connection IDs.
    w(pc_setup(0x01) + est + pc_msg(SCCRQ, conn=1) + pc_msg(OCRQ, 1) + pc_msg(OCRQ, 1, conn=1) +
      pc_msg(OCRQ, 2) + pc_disconnect(3, 1, 0, conn=1) + pc_disconnect(1, 9, 0) +
      pc_msg(SLI, 3) + pc_msg(CCRQ, 2, conn=1) + pc_reopen() + pc_msg(STOPCCRQ, 1, conn=1))
    # Timers: no SCCRQ; no call (stop, no reply); silence (echo, no reply).
    w(pc_setup() + pc_deadline() + pc_tick(30, conn=1) + pc_deadline(conn=1))
    w(pc_setup() + est + pc_deadline() + pc_deadline() + pc_msg(STOPCCRP, 1))
    w(pc_setup(PC_NO_CALL_WAIT) + est + pc_msg(OCRQ, 9) + pc_deadline() + pc_deadline())
    w(pc_setup(PC_LATE_CLOCK) + est + pc_msg(OCRQ, 9) + pc_tick(255) + pc_tick(255) +
      pc_deadline() + pc_deadline())
    # The owner refuses (no resource, busy, denied), limits, duplicates, odd messages.
    w(pc_setup(0x01, verdicts=0b11100100) + pc_msg(OCRQ, 1) + pc_msg(ECHORQ, 1) + est +
      pc_msg(SCCRQ) + pc_msg(OCRQ, 1) + pc_msg(OCRQ, 1) + pc_msg(OCRQ, 2) + pc_msg(OCRQ, 3) +
      pc_msg(OCRQ, 4) + pc_msg(OCRQ, 5) + pc_msg(OCRQ, 6) + pc_msg(ICRQ, 7) + pc_msg(ICCN, 1) +
      pc_msg(CDN, 1) + pc_msg(OCRP, 1) + pc_msg(SCCRP) + pc_msg(CCRQ, 99) +
      pc_msg(SLI, 99) + pc_msg(ECHORP, 3))
    w(pc_setup() + pc_msg(SCCRQ, 2))  # version 0.255: refused
    w(pc_setup() + pc_msg(CCRQ, 1) + pc_msg(SLI, 1) + pc_stop(1) + est)
    # Every call ID but three in use.
    w(pc_setup(0x03 | PC_FEW_IDS) + est + pc_msg(SCCRQ, conn=1) + b"".join(
        pc_msg(OCRQ, i, conn=i & 1) for i in range(1, 6)) + pc_msg(CCRQ, LIVE))
    # Hooks calling back into the connection.
    calls = est + pc_msg(OCRQ, 1) + pc_msg(OCRQ, 2) + pc_msg(OCRQ, 3)
    for reent in (RE_STOP_IN_REQUEST, RE_CLOSE_IN_REQUEST, RE_TICK_IN_REQUEST,
                  RE_STOP_LAST_CLEARED, RE_DISC_IN_CLEARED, RE_INPUT_IN_CLEARED,
                  RE_DISC_IN_SLI, RE_CALLS_IN_CLOSE):
        w(pc_setup(0x03, reent) + calls + pc_msg(SLI, LIVE) + pc_msg(CCRQ, LIVE) +
          pc_disconnect(0x80) + pc_stop(2))
    # The send hook fails, stops, reports the peer gone, disconnects.
    for misbehave in (0x03, 0x42, 0x83, 0xC3, 0x04, 0x44):
        w(pc_setup(0x03, misbehave=misbehave) + calls + pc_msg(CCRQ, LIVE) + pc_stop(1))
    # Garbage: a bad cookie, a length too short, half a message.
    w(pc_setup() + est + pc_raw(bytes.fromhex("009c00011a2b3c4e0001000001000000")))
    w(pc_setup() + pc_raw(bytes.fromhex("000800011a2b3c4d")))
    w(pc_setup() + est + pc_raw(bytes.fromhex("00a8000100")) + pc_closed())


# ---- ppp_session (tests/fuzz/fuzz_ppp_session.c): 2 set-up bytes, then operations ----
(P_FRAME, P_FRAME_LONG, P_CP, P_REPLY, P_LCP_EXTRA, P_AUTH, P_TICK, P_TICK_DEADLINE, P_NOTE_RX,
 P_CLOSE, P_LOWER_DOWN, P_BACKEND, P_START, P_RAND_FAIL, P_REOPEN, P_PROTO) = range(16)
# set-up byte 0: the methods (0 MS-CHAPv2, 1 CHAP-MD5, 2 PAP, 3 none, 4 all, 5..7 pairs)
AUTH_MSCHAPV2, AUTH_MD5, AUTH_PAP, AUTH_NONE, AUTH_ALL = range(5)
CFG0_ASYNC, CFG0_CCP_HOOK, CFG0_CCP_REQUIRED, CFG0_FREE_IN_DOWN, CFG0_START_LATER = (
    0x08, 0x10, 0x20, 0x40, 0x80)
CFG1_POOL_FULL, CFG1_STATICS_TAKEN, CFG1_ECHO_OFF, CFG1_ECHO_FAST = 0x01, 0x02, 0x04, 0x08
CFG1_MINIMAL, CFG1_SMALL_COUNTS, CFG1_NO_SERVERS, CFG1_SMALL_MRU = 0x10, 0x20, 0x40, 0x80
SEL_LCP, SEL_IPCP, SEL_CCP, SEL_IPV6CP = range(4)
(R_ACK, R_NAK, R_REJ_ALL, R_REJ_ONE, R_TERM_ACK, R_ADOPT_NAK, R_TERM_REQ,
 R_BAD_ACK) = range(8)
(X_ECHO_REPLY, X_ECHO_REQ, X_DISCARD, X_PROTO_REJ, X_CODE_REJ, X_IDENT, X_TIME_LEFT,
 X_LOOPED) = range(8)
# OP_AUTH users: lab, static, listed, nobody, outside, DOMAIN\lab, ghost, lab with ""
U_LAB, U_STATIC, U_LISTED, U_NOBODY, U_OUTSIDE, U_DOMAIN_LAB, U_GHOST, U_EMPTY = range(8)
A_AUTO, A_PAP, A_MD5, A_MSCHAPV2 = range(4)
A_WRONG, A_WRONG_ID, A_OTHER_CHALLENGE = 0x04, 0x08, 0x10
CONF_REQ, CONF_ACK, CONF_NAK, CONF_REJ, TERM_REQ, TERM_ACK = range(1, 7)


def opt(otype, value=b""):
    return bytes([otype, len(value) + 2]) + value


def ip(text):
    return bytes(int(x) for x in text.split("."))


PPPD_LCP = opt(2, bytes(4)) + opt(5, bytes.fromhex("1a2b3c4d")) + opt(7) + opt(8)
WINDOWS_LCP = (opt(1, bytes.fromhex("0578")) + opt(5, bytes.fromhex("3e9f1d20")) + opt(7) +
               opt(8) + opt(13, b"\x06") + opt(17, bytes.fromhex("064e")) +
               opt(19, b"\x01" + bytes.fromhex("6d2f3f8a19c3")))
IPCP_ASK_ANY = opt(3, bytes(4)) + opt(129, bytes(4)) + opt(131, bytes(4))
IPCP_WINDOWS = (opt(3, bytes(4)) + opt(129, bytes(4)) + opt(130, bytes(4)) +
                opt(131, bytes(4)) + opt(132, bytes(4)))


def p_setup(cfg0=0, cfg1=0):
    return bytes([cfg0, cfg1])


def p_cp(sel, code, ident, data=b""):
    return bytes([P_CP, sel, code, ident, len(data)]) + data


def p_reply(sel, kind, *args):
    return bytes([P_REPLY, sel, kind]) + bytes(args)


def p_nak(sel, data):
    return bytes([P_REPLY, sel, R_NAK, len(data)]) + data


def p_extra(kind, arg=0):
    return bytes([P_LCP_EXTRA, kind, arg])


def p_auth(user=U_LAB, flags=A_AUTO):
    return bytes([P_AUTH, user, flags])


def p_tick(units):  # units of 250 ms
    return bytes([P_TICK, units])


def p_frame(frame):
    if len(frame) < 256:
        return bytes([P_FRAME, len(frame)]) + frame
    return bytes([P_FRAME_LONG, len(frame) >> 8, len(frame) & 0xFF]) + frame


def p_proto(sel, data):
    return bytes([P_PROTO, sel, len(data)]) + data


def p_op(op, *args):
    return bytes([op]) + bytes(args)


def lcp_up(peer_opts=PPPD_LCP):
    """The peer asks for its options and acks ours."""
    return p_cp(SEL_LCP, CONF_REQ, 1, peer_opts) + p_reply(SEL_LCP, R_ACK)


def ncps_up(ipcp=IPCP_ASK_ANY, ccp=b""):
    """CCP and IPCP both ways; the peer takes the address we Nak it."""
    return (p_reply(SEL_CCP, R_ACK) + p_reply(SEL_IPCP, R_ACK) + p_cp(SEL_CCP, CONF_REQ, 1, ccp) +
            p_cp(SEL_IPCP, CONF_REQ, 1, ipcp) + p_reply(SEL_IPCP, R_ADOPT_NAK))


def bye():
    """We close; the peer acks."""
    return p_op(P_CLOSE, 0) + p_reply(SEL_LCP, R_TERM_ACK)


def ppp_session_seeds(client_frames):
    w = lambda blob: write("ppp_session", blob)
    # The real client's frames, as they came (their acks do not match our requests).
    for frames in client_frames:
        w(p_setup() + b"".join(p_frame(f) for f in frames) + p_tick(40) + p_tick(40))
    # Whole sessions, one per method, pppd-like peer: echoes, traffic, close.
    for method in (AUTH_MSCHAPV2, AUTH_MD5, AUTH_PAP, AUTH_NONE):
        auth = p_auth() if method != AUTH_NONE else b""
        w(p_setup(method) + lcp_up() + auth + ncps_up() + p_extra(X_ECHO_REQ, 7) +
          p_op(P_NOTE_RX, 9) + p_tick(120) + p_tick(120) + p_extra(X_ECHO_REPLY) + bye())
    # A Windows client: options we reject, Identification, MPPE offered without a hook,
    # DNS and WINS asked for, then it hangs up.
    w(p_setup(AUTH_MSCHAPV2) + p_cp(SEL_LCP, CONF_REQ, 0, WINDOWS_LCP) +
      p_reply(SEL_LCP, R_ACK) +
      p_cp(SEL_LCP, CONF_REQ, 1, WINDOWS_LCP[:14]) + p_extra(X_IDENT, 1) +
      p_auth(U_DOMAIN_LAB) + p_reply(SEL_CCP, R_ACK) + p_reply(SEL_IPCP, R_ACK) +
      p_cp(SEL_CCP, CONF_REQ, 4, opt(18, bytes.fromhex("01000060"))) +
      p_cp(SEL_CCP, CONF_REQ, 5) + p_cp(SEL_IPCP, CONF_REQ, 6, IPCP_WINDOWS) +
      p_cp(SEL_IPCP, CONF_REQ, 7, IPCP_WINDOWS[:18]) + p_reply(SEL_IPCP, R_ADOPT_NAK) + p_proto(3, bytes.fromhex("0101000e010a0000000000000001")) +
      p_proto(0, bytes.fromhex("4500001c")) + p_reply(SEL_LCP, R_TERM_REQ))
    # The peer Naks our method: CHAP-MD5, then PAP; then rejects authentication.
    w(p_setup(AUTH_ALL) + p_cp(SEL_LCP, CONF_REQ, 1, PPPD_LCP) +
      p_nak(SEL_LCP, opt(3, bytes.fromhex("c22305"))) + p_reply(SEL_LCP, R_ACK) +
      p_auth(U_LAB, A_WRONG) + p_auth(U_LAB) + ncps_up() + bye())
    w(p_setup(AUTH_ALL) + p_cp(SEL_LCP, CONF_REQ, 1, PPPD_LCP) +
      p_nak(SEL_LCP, opt(3, bytes.fromhex("c023"))) + p_nak(SEL_LCP, opt(3, bytes.fromhex("c023"))) +
      p_reply(SEL_LCP, R_ACK) + p_auth(U_STATIC) + ncps_up() + bye())
    w(p_setup(AUTH_MSCHAPV2) + p_cp(SEL_LCP, CONF_REQ, 1, PPPD_LCP) +
      p_reply(SEL_LCP, R_REJ_ONE, 1))
    w(p_setup(AUTH_MSCHAPV2) + p_cp(SEL_LCP, CONF_REQ, 1, PPPD_LCP) +
      p_nak(SEL_LCP, opt(1, bytes.fromhex("05dc")) + opt(5, bytes.fromhex("01020304"))) +
      p_reply(SEL_LCP, R_REJ_ONE, 2) + p_reply(SEL_LCP, R_ACK) + p_reply(SEL_LCP, R_ACK))
    # Wrong passwords until we give up (MS-CHAPv2 retries with C=, CHAP-MD5 new challenges).
    for method in (AUTH_MSCHAPV2, AUTH_MD5, AUTH_PAP):
        w(p_setup(method) + lcp_up() + p_auth(U_LAB, A_WRONG) + p_auth(U_GHOST) +
          p_auth(U_EMPTY) + p_auth(U_LAB) + p_reply(SEL_LCP, R_TERM_ACK))
    # Duplicate and stray authentication packets, challenge retransmission.
    w(p_setup(AUTH_MSCHAPV2) + lcp_up() + p_tick(12) + p_auth(U_LAB, A_WRONG_ID) +
      p_auth(U_LAB) + p_auth(U_LAB) + p_auth(U_LAB, A_OTHER_CHALLENGE) + ncps_up())
    # Users and addresses: static, listed (asks for one of its own), no address, outside.
    w(p_setup() + lcp_up() + p_auth(U_STATIC) + ncps_up() + bye())
    w(p_setup() + lcp_up() + p_auth(U_LISTED) +
      ncps_up(opt(3, ip("100.64.1.9")) + opt(129, bytes(4))) + p_reply(SEL_IPCP, R_ADOPT_NAK) +
      bye())
    w(p_setup() + lcp_up() + p_auth(U_LISTED) + ncps_up(opt(3, ip("100.64.0.5"))) + bye())
    w(p_setup() + lcp_up() + p_auth(U_NOBODY) + p_reply(SEL_LCP, R_TERM_ACK))
    w(p_setup() + lcp_up() + p_auth(U_OUTSIDE) + ncps_up() + bye())
    w(p_setup(0, CFG1_POOL_FULL) + lcp_up() + p_auth() + p_reply(SEL_LCP, R_TERM_ACK))
    w(p_setup(0, CFG1_STATICS_TAKEN) + lcp_up() + p_auth(U_STATIC) + p_tick(20) + p_tick(20))
    # The backend answers later: accepted; timed out; cancelled by the lower layer; freed.
    w(p_setup(CFG0_ASYNC) + lcp_up() + p_auth() + p_auth() + p_op(P_BACKEND, 0) + ncps_up() +
      bye())
    w(p_setup(CFG0_ASYNC | AUTH_PAP) + lcp_up() + p_auth() + p_tick(200) + p_op(P_BACKEND, 0))
    w(p_setup(CFG0_ASYNC | AUTH_MD5) + lcp_up() + p_auth() + p_op(P_LOWER_DOWN, 1) +
      p_op(P_BACKEND, 0))
    w(p_setup(CFG0_ASYNC) + lcp_up() + p_auth() + p_op(P_BACKEND, 1) + p_auth() +
      p_op(P_BACKEND, 2) + p_op(P_BACKEND, 0x80) + p_auth() + p_op(P_REOPEN))
    # An MPPE-like CCP hook, required: the peer agrees, then resets.
    w(p_setup(CFG0_CCP_HOOK | CFG0_CCP_REQUIRED) + lcp_up() + p_auth() +
      ncps_up(ccp=opt(18, bytes.fromhex("01000040"))) +
      p_cp(SEL_CCP, 14, 3) + p_cp(SEL_CCP, 15, 3) + bye())
    w(p_setup(CFG0_CCP_HOOK | CFG0_CCP_REQUIRED) + lcp_up() + p_auth() +
      p_reply(SEL_CCP, R_REJ_ALL) + p_nak(SEL_CCP, opt(18, bytes.fromhex("01000020"))) +
      p_cp(SEL_CCP, CONF_REQ, 1, opt(18, bytes.fromhex("00000001"))) +
      p_reply(SEL_CCP, R_ADOPT_NAK) + p_tick(20) + p_tick(20) + p_tick(20))
    # Keepalive: echoes unanswered; the peer rejects Echo; looped-back magic.
    w(p_setup(AUTH_NONE, CFG1_ECHO_FAST) + lcp_up() + ncps_up() + b"".join(
        p_op(P_TICK_DEADLINE) for _ in range(4)))
    w(p_setup(AUTH_NONE, CFG1_ECHO_FAST) + lcp_up() + ncps_up() + p_op(P_TICK_DEADLINE) +
      p_extra(X_CODE_REJ, 9) + p_op(P_TICK_DEADLINE) + p_op(P_TICK_DEADLINE))
    w(p_setup(AUTH_NONE, CFG1_SMALL_COUNTS) + lcp_up() + p_extra(X_LOOPED, 1) +
      p_extra(X_LOOPED, 0))
    # The peer renegotiates LCP in the Network phase, then terminates IPCP.
    w(p_setup(AUTH_PAP) + lcp_up() + p_auth() + ncps_up() + lcp_up(WINDOWS_LCP[:14]) +
      p_auth() + ncps_up() + p_reply(SEL_IPCP, R_TERM_REQ) + p_extra(X_PROTO_REJ, 3) +
      p_extra(X_TIME_LEFT, 5) + p_extra(X_DISCARD))
    # Nobody answers: LCP gives up; set-up timeout; the peer only talks.
    w(p_setup() + b"".join(p_op(P_TICK_DEADLINE) for _ in range(11)))
    w(p_setup(AUTH_PAP, CFG1_SMALL_COUNTS) + p_cp(SEL_LCP, CONF_REQ, 1, PPPD_LCP) +
      p_tick(240) + p_tick(240))
    # Odd frames: compressed headers, padding, unknown codes, before and after start.
    w(p_setup(CFG0_START_LATER | AUTH_NONE) + p_cp(SEL_LCP, CONF_REQ, 1, PPPD_LCP) +
      p_op(P_START) + p_cp(SEL_LCP | 4, CONF_REQ, 2, PPPD_LCP) +
      p_cp(SEL_LCP | 12, CONF_REQ, 3, PPPD_LCP) + p_reply(SEL_LCP, R_ACK) +
      p_cp(SEL_LCP, 0x42, 4, b"odd") + p_cp(SEL_IPV6CP, CONF_REQ, 1, opt(1, bytes(8))) +
      p_frame(bytes.fromhex("ff05c021")) + p_frame(bytes.fromhex("21450000")) +
      p_reply(SEL_IPCP | 4, R_ACK) + p_op(P_LOWER_DOWN, 0) + p_op(P_REOPEN))
    w(p_setup(CFG0_START_LATER) + p_op(P_CLOSE, 0) + p_op(P_START) + p_op(P_REOPEN) +
      p_op(P_START) + lcp_up())
    # The owner frees the session inside down, then starts another one.
    w(p_setup(CFG0_FREE_IN_DOWN | AUTH_NONE) + lcp_up() + ncps_up() + p_reply(SEL_LCP, R_TERM_REQ) +
      p_op(P_REOPEN) + lcp_up() + p_op(P_LOWER_DOWN, 2))
    # No random bytes; minimal and tiny configurations.
    w(p_setup(AUTH_MD5) + p_op(P_RAND_FAIL) + lcp_up() + p_op(P_REOPEN))
    w(p_setup(AUTH_MSCHAPV2) + lcp_up() + p_op(P_RAND_FAIL) + p_auth(U_LAB, A_WRONG))
    w(p_setup(AUTH_NONE, CFG1_MINIMAL | CFG1_NO_SERVERS) + lcp_up(b"") + ncps_up() + bye())
    w(p_setup(AUTH_NONE, CFG1_SMALL_MRU) + lcp_up(opt(1, bytes.fromhex("0080"))) +
      p_extra(X_ECHO_REQ, 0xff) + p_frame(bytes.fromhex("ff03c0210907") + bytes(2) +
                                          bytes(4) + bytes(200)) + ncps_up())


def main():
    client_streams, client_frames = [], []
    for name in sorted(os.listdir(DATA)):
        if not name.endswith(".pcap"):
            continue
        client, segments, frames = None, [], []
        for pkt in rdpcap(os.path.join(DATA, name)):
            if IP not in pkt:
                continue
            ip = pkt[IP]
            if ip.proto == 6 and len(ip[TCP].payload) > 0:
                write("pptp_ctrl", bytes(ip[TCP].payload))
                if ip[TCP].dport == 1723:  # the client (PNS) talking to us
                    client = ip.src
                    segments.append(bytes(ip[TCP].payload))
            elif ip.proto == 47:
                gre = bytes(ip.payload)
                write("gre", gre)
                ppp = ppp_payload(gre)
                if ppp and ip.src == client:
                    frames.append(ppp)
                if ppp[:2] == b"\xff\x03":
                    ppp = ppp[2:]
                proto = ppp[0] if ppp and ppp[0] & 1 else (ppp[0] << 8 | ppp[1] if len(ppp) > 1 else 0)
                body = ppp[1:] if ppp and ppp[0] & 1 else ppp[2:]
                if proto in CP_SELECTOR:
                    write("ppp_cp", bytes([CP_SELECTOR[proto]]) + body)
        client_streams.append(segments)
        client_frames.append(frames)
    # Authentication packets from scapy's layers (0: PAP, 1: CHAP, 2: MS-CHAPv2 text).
    write("ppp_auth", b"\x00" + bytes(PPP_PAP_Request(id=1, username=b"lab", password=b"lab-secret")))
    write("ppp_auth", b"\x00" + bytes(PPP_PAP_Response(code=2, id=1, message=b"Welcome")))
    write("ppp_auth", b"\x01" + bytes(PPP_CHAP_ChallengeResponse(code=1, id=1, value=bytes(range(16)), optional_name=b"dpptp")))
    write("ppp_auth", b"\x01" + bytes(PPP_CHAP_ChallengeResponse(code=2, id=1, value=bytes(16) + bytes(8) + bytes(range(24)) + b"\x00", optional_name=b"lab")))
    write("ppp_auth", b"\x01" + bytes(PPP_CHAP(code=4, id=1, data=b"E=691 R=0 C=00112233445566778899AABBCCDDEEFF V=3 M=bad")))
    write("ppp_auth", b"\x02" + b"S=0102030405060708090A0B0C0D0E0F1011121314 M=Access granted")
    write("ppp_auth", b"\x02" + b"E=691 R=1 C=00112233445566778899AABBCCDDEEFF V=3 M=Authentication failure")
    pptp_conn_seeds(client_streams)
    ppp_session_seeds(client_frames)
    for h in sorted(os.listdir(CORPUS)):
        print("%s: %d seeds" % (h, len(os.listdir(os.path.join(CORPUS, h)))), file=sys.stderr)


if __name__ == "__main__":
    main()
