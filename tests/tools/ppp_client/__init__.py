"""A test-side PPP client (the peer's side: LCP, PAP/CHAP-MD5/MS-CHAPv2, IPCP,
CCP with MPPE) written for the tests, independently of the project's C code.

It does no I/O and reads no clock: frames go out through a callback and every
entry point takes the caller's monotonic time in seconds, so the logic can be
driven by scripted frames in unit tests (tests/tools/test_pptp_peer.py) as well
as by tests/tools/pptp_peer.py, which puts it behind the real pptp client.

Modules:
  frame     PPP header (FF 03, PFC) and control-protocol packet/option codecs
  crypto    CHAP-MD5 (RFC 1994) and MS-CHAPv2 (RFC 2759) computations
  fsm       the RFC 1661 option negotiation automaton, table driven
  lcp, ipcp, ccp   each control protocol's option policy (ccp: MPPE as Windows asks
                   for it; the cipher is tests/tools/mppe.py)
  auth      the peer side of PAP, CHAP-MD5 and MS-CHAPv2
  client    PppClient: phases, dispatch, the run's outcome
  traffic   ICMP echo over the link (scapy)
"""
