#!/usr/bin/python3
"""Cross-check with an independent PPTP implementation: scapy's PPTP layers
write the peer's messages and read ours.

A whole client conversation written by scapy goes through pptp_conn_replay
(one control connection between two pipes); every message we send back must
be decoded by scapy into the right type and fields, and re-encoded by scapy
into the very same bytes (so both sides agree on every field's place).

Usage: test_ctrl_scapy.py PATH_TO_pptp_conn_replay   (exit 77: no scapy)
"""
import subprocess
import sys

try:
    from scapy.layers.pptp import (
        PPTP,
        PPTPCallClearRequest,
        PPTPCallDisconnectNotify,
        PPTPEchoReply,
        PPTPEchoRequest,
        PPTPIncomingCallReply,
        PPTPIncomingCallRequest,
        PPTPOutgoingCallReply,
        PPTPOutgoingCallRequest,
        PPTPSetLinkInfo,
        PPTPStartControlConnectionReply,
        PPTPStartControlConnectionRequest,
        PPTPStopControlConnectionReply,
        PPTPStopControlConnectionRequest,
    )
except ImportError:
    print("scapy is not installed: skipped")
    sys.exit(77)

FAILURES = []


def check(what, got, want):
    if got != want:
        FAILURES.append("%s: got %r, want %r" % (what, got, want))


def run(replay, peer_msgs, *args):
    stream = b"".join(bytes(m) for m in peer_msgs)
    p = subprocess.run([replay, *args], input=stream, capture_output=True, timeout=30)
    if p.returncode != 0:
        sys.exit("pptp_conn_replay failed (%d): %s" % (p.returncode, p.stderr.decode()))
    return p.stdout, p.stderr.decode().strip()


def split(out):
    """Our byte stream as scapy packets, each checked to re-encode exactly."""
    msgs = []
    while out:
        length = int.from_bytes(out[:2], "big")
        if length < 12 or length > len(out):
            sys.exit("our stream does not frame: %r" % out[:16])
        raw, out = out[:length], out[length:]
        pkt = PPTP(raw)
        check("%s re-encoded by scapy" % pkt.__class__.__name__, bytes(pkt), raw)
        msgs.append(pkt)
    return msgs


def conversation(replay):
    peer = [
        PPTPStartControlConnectionRequest(host_name=b"scapy", vendor_string=b"test",
                                          framing_capabilities=3, bearer_capabilities=3),
        PPTPOutgoingCallRequest(call_id=0x1234, pkt_window_size=16, maximum_bps=2000000),
        PPTPEchoRequest(identifier=0xDEADBEEF),
        PPTPIncomingCallRequest(call_id=0x0BAD),
        PPTPSetLinkInfo(peer_call_id=0x7777),  # not our call: ignored
        PPTPCallClearRequest(call_id=0x1234),
        PPTPCallClearRequest(call_id=0x4321),  # no such call
        PPTPStopControlConnectionRequest(reason=1),
    ]
    out, status = run(replay, peer)
    msgs = split(out)
    check("close", status, "closed peer-stop peer's Stop-Control-Connection-Request answered")
    want = [PPTPStartControlConnectionReply, PPTPOutgoingCallReply, PPTPEchoReply,
            PPTPIncomingCallReply, PPTPCallDisconnectNotify, PPTPCallDisconnectNotify,
            PPTPStopControlConnectionReply]
    check("reply types", [m.__class__ for m in msgs], want)
    if len(msgs) != len(want):
        return
    sccrp, ocrp, echorp, icrp, cdn, cdn_bad, stopccrp = msgs
    check("SCCRP version", sccrp.protocol_version, 0x0100)
    check("SCCRP result", sccrp.result_code, 1)
    check("SCCRP host", sccrp.host_name.rstrip(b"\0"), b"dpptp")
    check("SCCRP framing", int(sccrp.framing_capabilities), 3)
    check("OCRP peer call ID", ocrp.peer_call_id, 0x1234)
    check("OCRP result", ocrp.result_code, 1)
    check("OCRP window", ocrp.pkt_window_size, 64)
    check("OCRP delay", ocrp.pkt_proc_delay, 0)
    check("OCRP speed", ocrp.connect_speed, 100000000)
    if ocrp.call_id == 0:
        FAILURES.append("OCRP call ID is 0")
    check("Echo-Reply identifier", echorp.identifier, 0xDEADBEEF)
    check("Echo-Reply result", echorp.result_code, 1)
    check("ICRP peer call ID", icrp.peer_call_id, 0x0BAD)
    check("ICRP result", icrp.result_code, 3)
    check("CDN call ID", cdn.call_id, ocrp.call_id)
    check("CDN result", cdn.result_code, 4)
    check("CDN (unknown call) call ID", cdn_bad.call_id, 0)
    check("CDN (unknown call) result", cdn_bad.result_code, 2)
    check("CDN (unknown call) error", cdn_bad.error_code, 5)
    check("StopCCRP result", stopccrp.result_code, 1)


def local_stop(replay):
    peer = [PPTPStartControlConnectionRequest(),
            PPTPOutgoingCallRequest(call_id=7)]
    out, status = run(replay, peer, "stop")
    msgs = split(out)
    check("stop: status", status, "open wait-stop-reply")
    check("stop: types", [m.__class__ for m in msgs],
          [PPTPStartControlConnectionReply, PPTPOutgoingCallReply,
           PPTPCallDisconnectNotify, PPTPStopControlConnectionRequest])
    if len(msgs) == 4:
        check("stop: CDN result", msgs[2].result_code, 3)
        check("stop: CDN call ID", msgs[2].call_id, msgs[1].call_id)
        check("stop: reason", msgs[3].reason, 3)


def main():
    replay = sys.argv[1]
    conversation(replay)
    local_stop(replay)
    for f in FAILURES:
        print("FAIL:", f)
    if FAILURES:
        sys.exit(1)
    print("scapy agrees with every message")


if __name__ == "__main__":
    main()
