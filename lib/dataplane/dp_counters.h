/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the data plane counts, as X-macros (VPP's way): the struct fields,
 * their names for telemetry and their help texts come from one list.
 *
 * Worker counters are written by their worker only and read by the control
 * lcore with relaxed atomic loads, so reading never stops a worker. GRE
 * header rejects are counted per proto_err reason in a separate array.
 */
#ifndef DPPTP_DP_COUNTERS_H
#define DPPTP_DP_COUNTERS_H

#include <stdint.h>

#include "proto/proto_err.h"

#define DP_WORKER_COUNTERS(X)                                                              \
	X(access_rx, "frames received on access ports")                                    \
	X(uplink_rx, "frames received on uplink ports")                                    \
	X(access_tx, "frames sent on access ports")                                        \
	X(uplink_tx, "frames sent on uplink ports")                                        \
	X(tx_dropped, "frames dropped because a TX queue was full")                        \
	X(decap_pkts, "IPv4 packets decapsulated and forwarded upstream")                  \
	X(decap_bytes, "inner bytes decapsulated")                                         \
	X(encap_pkts, "IPv4 packets encapsulated and sent to subscribers")                 \
	X(encap_bytes, "inner bytes encapsulated")                                         \
	X(punt_arp, "ARP frames handed to the control lcore")                              \
	X(punt_tcp, "TCP frames to our port 1723 handed to the control lcore")            \
	X(punt_icmp, "ICMP frames to our address handed to the control lcore")            \
	X(ctrl_up, "PPP control frames handed to the control lcore")                       \
	X(up_ring_full, "frames dropped because the ring to the control lcore was full")  \
	X(not_ipv4, "frames neither IPv4 nor ARP")                                         \
	X(ip_bad_header, "outer IPv4 header malformed or truncated")                       \
	X(ip_bad_checksum, "outer IPv4 header checksum wrong")                             \
	X(ip_fragment, "outer IPv4 fragments (not reassembled)")                           \
	X(ip_not_ours, "outer IPv4 destination not one of our addresses")                  \
	X(ip_unsupported, "outer IPv4 to us with a protocol or port we do not serve")     \
	X(gre_rejected, "GRE headers rejected (by reason in gre_reject[])")                \
	X(no_session, "GRE for an unknown (call ID, peer) or IPv4 to an unknown subscriber") \
	X(session_not_ready, "packets for a session whose network phase is not up")       \
	X(handoff_out, "packets handed to the session's owner worker")                     \
	X(handoff_in, "packets received from other workers")                               \
	X(handoff_ring_full, "packets dropped because a hand-off ring was full")          \
	X(seq_duplicate, "GRE packets with a sequence number already received")            \
	X(seq_late, "GRE packets older than the last one received")                        \
	X(seq_lost, "sequence numbers skipped (packets lost on the way)")                  \
	X(ack_only, "GRE acknowledgement-only packets received")                           \
	X(ack_invalid, "acknowledgements for numbers never sent (ignored)")                \
	X(ppp_bad, "PPP headers malformed")                                                \
	X(inner_bad_header, "inner IPv4 headers malformed or truncated")                   \
	X(spoofed, "inner source address not the session's (anti-spoofing)")               \
	X(ttl_expired, "packets whose TTL ran out here")                                   \
	X(too_big, "packets larger than the session MTU")                                  \
	X(mss_clamped, "TCP SYN options rewritten to the session MSS")                     \
	X(no_neighbour, "packets dropped because the next hop's MAC is not known yet")    \
	X(window_full, "packets dropped because the peer's receive window was full")      \
	X(lone_acks, "acknowledgement-only GRE packets sent")                              \
	X(down_frames, "control-plane frames sent inside a session's GRE")                 \
	X(down_stale, "control-plane frames for a session that is gone")                   \
	X(mbuf_alloc_failed, "packets not built for lack of mbufs")                       \
	X(capture_dropped, "captured frames dropped: the capture ring was full")           \
	X(mppe_encrypted, "IPv4 packets encrypted with MPPE")                              \
	X(mppe_decrypted, "MPPE packets decrypted")                                        \
	X(mppe_late, "MPPE packets behind the coherency count (dropped)")                  \
	X(mppe_jump, "MPPE packets too far ahead: reordering, not loss (dropped)")         \
	X(mppe_resync, "stateful MPPE packets dropped while resynchronising")              \
	X(mppe_bad, "MPPE packets malformed or compressed (dropped)")                      \
	X(mppe_clear, "clear IPv4 on a session that must encrypt (dropped)")               \
	X(mppe_unencrypted, "MPPE packets for a session without MPPE (dropped)")

#define DP_SESSION_COUNTERS(X)                                                             \
	X(rx_pkts, "GRE packets accepted from the peer (the peer-traffic-seen counter)")   \
	X(rx_bytes, "inner bytes received from the peer")                                  \
	X(decap_pkts, "IPv4 packets from the peer forwarded upstream")                     \
	X(tx_pkts, "GRE packets sent to the peer")                                         \
	X(tx_bytes, "inner bytes sent to the peer")                                        \
	X(encap_pkts, "IPv4 packets to the peer")                                          \
	X(ctrl_rx, "PPP control frames from the peer")                                     \
	X(ctrl_tx, "PPP control frames to the peer")                                       \
	X(seq_duplicate, "duplicates dropped")                                             \
	X(seq_late, "late packets dropped")                                                \
	X(seq_lost, "sequence numbers skipped")                                            \
	X(ack_invalid, "acknowledgements for numbers never sent")                          \
	X(spoofed, "inner source address not the session's")                               \
	X(dropped, "other drops (TTL, too big, window, malformed inner header)")           \
	X(lone_acks, "acknowledgement-only packets sent")                                  \
	X(mppe_errors, "MPPE packets that could not be decrypted")

#define DP_COUNTER_FIELD_(name, help) uint64_t name;

struct dp_worker_counters {
	DP_WORKER_COUNTERS(DP_COUNTER_FIELD_)
	uint64_t gre_reject[PROTO_ERR_MAX]; /* indexed by -PROTO_E(reason) */
};

struct dp_session_counters {
	DP_SESSION_COUNTERS(DP_COUNTER_FIELD_)
};

#undef DP_COUNTER_FIELD_

/* Names and help texts, in field order (for telemetry and tests). */
extern const char *const dp_worker_counter_names[];
extern const char *const dp_worker_counter_help[];
extern const unsigned int dp_worker_counter_count;
extern const char *const dp_session_counter_names[];
extern const unsigned int dp_session_counter_count;

/* Single-writer increment: a relaxed atomic store, so readers on other lcores
 * see whole values without a lock-prefixed instruction on the fast path. */
#define DP_INC(ctr, n) __atomic_store_n(&(ctr), (ctr) + (n), __ATOMIC_RELAXED)

#endif /* DPPTP_DP_COUNTERS_H */
