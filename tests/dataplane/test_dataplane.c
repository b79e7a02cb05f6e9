/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The data plane, capture in and capture out: scapy-made frames go through
 * the real worker code on net_ring ports (no hugepages), and every frame that
 * comes out is checked field by field; at the end tshark reads all of them
 * with checksum validation on and must find nothing malformed.
 *
 * Usage: test_dataplane VECTOR_DIR   (the pcaps of make_vectors.py)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <rte_arp.h>
#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_tcp.h>

#include "dataplane/dp.h"
#include "proto/gre.h"
#include "proto/ppp_frame.h"
#include "rig.h"

static const char *vectors;
static char dump_path[] = "/tmp/dpptp-dp-out-XXXXXX";

static const struct rte_ether_addr peer_mac = { { 0x02, 0, 0, 0, 0, 0x02 } };
static const struct rte_ether_addr gw_mac = { { 0x02, 0, 0, 0, 0, 0xaa } };

static void vec(char *out, size_t cap, const char *name)
{
	snprintf(out, cap, "%s/%s.pcap", vectors, name);
}

static void inject(struct rte_ring *ring, const char *name, int only)
{
	char p[1024];
	vec(p, sizeof(p), name);
	assert_true(rig_inject(ring, p, only) > 0);
}

static struct dp_worker_counters counters(struct rig *r)
{
	struct dp_worker_counters c;
	dp_read_worker_counters(r->dp, -1, &c);
	return c;
}

static struct dp_session_counters scounters(struct rig *r, dp_session_id id)
{
	struct dp_session_counters c;
	assert_int_equal(dp_session_read_counters(r->dp, id, &c), 0);
	return c;
}

/* ---- checks of the frames that come out ---- */

/* A copy of the frame's Ethernet header: a decapsulated frame may start at an
 * odd address (ACFC/PFC), where the struct cannot be read in place. */
static struct rte_ether_hdr eth_of(const struct rte_mbuf *m)
{
	struct rte_ether_hdr eth;
	memcpy(&eth, rte_pktmbuf_mtod(m, const void *), sizeof(eth));
	return eth;
}

static const struct rte_ipv4_hdr *ipv4_of(const struct rte_mbuf *m)
{
	assert_int_equal(eth_of(m).ether_type, rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4));
	const struct rte_ipv4_hdr *ip =
		rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, RTE_ETHER_HDR_LEN);
	assert_int_equal(rte_raw_cksum(ip, rte_ipv4_hdr_len(ip)), 0xFFFF); /* checksum right */
	assert_int_equal(rte_pktmbuf_pkt_len(m), RTE_ETHER_HDR_LEN +
						       rte_be_to_cpu_16(ip->total_length));
	return ip;
}

/* A decapsulated frame on the uplink: to the gateway, from the subscriber. */
static const struct rte_ipv4_hdr *check_upstream(struct rig *r, const struct rte_mbuf *m,
						 uint8_t ttl)
{
	const struct rte_ether_hdr eth = eth_of(m);
	assert_true(rte_is_same_ether_addr(&eth.dst_addr, &gw_mac));
	assert_true(rte_is_same_ether_addr(&eth.src_addr, &r->uplink.mac));
	const struct rte_ipv4_hdr *ip = ipv4_of(m);
	assert_int_equal(ip->src_addr, rig_ip(RIG_SUB));
	assert_int_equal(ip->time_to_live, ttl);
	return ip;
}

static bool payload_ends_with(const struct rte_mbuf *m, const char *tag)
{
	size_t n = strlen(tag);
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	return rte_pktmbuf_pkt_len(m) >= n && memcmp(p + rte_pktmbuf_pkt_len(m) - n, tag, n) == 0;
}

struct down_frame {
	struct gre_pptp gre;
	struct ppp_frame ppp;
	const uint8_t *gre_payload;
	const uint8_t *inner; /* after the PPP header */
};

/* A frame on the access port: Ethernet to the peer, IPv4 from us, GRE v1. */
static struct down_frame check_downstream(struct rig *r, const struct rte_mbuf *m)
{
	struct down_frame d;
	const struct rte_ether_hdr eth = eth_of(m);
	memset(&d, 0, sizeof(d));
	assert_true(rte_is_same_ether_addr(&eth.dst_addr, &peer_mac));
	assert_true(rte_is_same_ether_addr(&eth.src_addr, &r->access.mac));
	const struct rte_ipv4_hdr *ip = ipv4_of(m);
	assert_int_equal(ip->src_addr, rig_ip(RIG_ACCESS));
	assert_int_equal(ip->dst_addr, rig_ip(RIG_PEER));
	assert_int_equal(ip->next_proto_id, IPPROTO_GRE);
	const uint8_t *g = (const uint8_t *)(ip + 1);
	size_t glen = rte_be_to_cpu_16(ip->total_length) - sizeof(*ip);
	assert_int_equal(gre_pptp_parse(g, glen, &d.gre), PROTO_OK);
	assert_int_equal(d.gre.call_id, RIG_PEER_CALL);
	assert_int_equal(d.gre.hdr_len + d.gre.payload_len, glen);
	d.gre_payload = g + d.gre.hdr_len;
	if (d.gre.payload_len) {
		assert_int_equal(ppp_frame_parse(d.gre_payload, d.gre.payload_len, &d.ppp), PROTO_OK);
		d.inner = d.gre_payload + d.ppp.hdr_len;
	}
	return d;
}

/* ---- tests ---- */

static void test_arp_answered_and_learned(void **state)
{
	struct rig r;
	struct rte_mbuf *m[16];
	unsigned int n;
	(void)state;

	rig_create(&r, 1, 20000, 1024);
	/* At start the gateway is asked for. */
	rig_poll(&r, 2);
	n = rig_collect(&r.uplink, -1, m, 16);
	assert_int_equal(n, 1);
	const struct rte_arp_hdr *arp =
		(const struct rte_arp_hdr *)(rte_pktmbuf_mtod(m[0], struct rte_ether_hdr *) + 1);
	assert_int_equal(arp->arp_opcode, rte_cpu_to_be_16(RTE_ARP_OP_REQUEST));
	assert_int_equal(arp->arp_data.arp_tip, rig_ip(RIG_GATEWAY));
	assert_int_equal(arp->arp_data.arp_sip, rig_ip(RIG_UPLINK));
	rig_free_all(m, n);

	/* The gateway's reply is learned and passed to the kernel's tap. */
	inject(r.uplink.rx[0], "arp", 1);
	/* The peer asks for our access address: we answer, the kernel does not. */
	inject(r.access.rx[0], "arp", 2);
	rig_poll(&r, 3);
	n = rig_collect(&r.uplink_tap, -1, m, 16);
	assert_int_equal(n, 1);
	rig_free_all(m, n);
	assert_int_equal(rig_collect(&r.access_tap, -1, m, 16), 0);
	n = rig_collect(&r.access, -1, m, 16);
	assert_int_equal(n, 1);
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m[0], const struct rte_ether_hdr *);
	arp = (const struct rte_arp_hdr *)(eth + 1);
	assert_true(rte_is_same_ether_addr(&eth->dst_addr, &peer_mac));
	assert_int_equal(arp->arp_opcode, rte_cpu_to_be_16(RTE_ARP_OP_REPLY));
	assert_int_equal(arp->arp_data.arp_sip, rig_ip(RIG_ACCESS));
	assert_true(rte_is_same_ether_addr(&arp->arp_data.arp_sha, &r.access.mac));
	assert_int_equal(arp->arp_data.arp_tip, rig_ip(RIG_PEER));
	rig_free_all(m, n);
	assert_int_equal(counters(&r).punt_arp, 2);
	rig_free(&r);
}

static void test_decap_header_forms(void **state)
{
	struct rig r;
	struct rte_mbuf *m[16];
	(void)state;

	rig_create(&r, 1, 20000, 1024);
	rig_resolve_gateway(&r, vectors);
	dp_session_id id = rig_session(&r, -1, false);
	inject(r.access.rx[0], "decap_forms", 0);
	rig_poll(&r, 2);
	unsigned int n = rig_collect(&r.uplink, -1, m, 16);
	assert_int_equal(n, 4);
	for (unsigned int i = 0; i < n; i++) {
		char tag[16];
		const struct rte_ipv4_hdr *ip = check_upstream(&r, m[i], 63);
		assert_int_equal(ip->dst_addr, rig_ip(RIG_GATEWAY));
		snprintf(tag, sizeof(tag), "form-%u", i);
		assert_true(payload_ends_with(m[i], tag));
	}
	rig_free_all(m, n);
	struct dp_session_counters sc = scounters(&r, id);
	assert_int_equal(sc.rx_pkts, 4);
	assert_int_equal(sc.decap_pkts, 4);
	struct dp_session_info info;
	assert_int_equal(dp_session_read_info(r.dp, id, &info), 0);
	assert_int_equal(info.rx_seq, 4);
	assert_true(info.network_up);
	assert_int_equal(counters(&r).decap_pkts, 4);
	rig_free(&r);
}

static void test_decap_sequence_tracking(void **state)
{
	struct rig r;
	struct rte_mbuf *m[16];
	(void)state;

	rig_create(&r, 1, 20000, 1024);
	rig_resolve_gateway(&r, vectors);
	dp_session_id id = rig_session(&r, -1, false);
	inject(r.access.rx[0], "decap_seq", 0); /* 10, 11, 11, 9, 15, 16 */
	rig_poll(&r, 2);
	unsigned int n = rig_collect(&r.uplink, -1, m, 16);
	const char *want[] = { "seq-10", "seq-11", "seq-15", "seq-16" };
	assert_int_equal(n, 4);
	for (unsigned int i = 0; i < n; i++) {
		check_upstream(&r, m[i], 63);
		assert_true(payload_ends_with(m[i], want[i]));
	}
	rig_free_all(m, n);
	struct dp_worker_counters c = counters(&r);
	assert_int_equal(c.seq_duplicate, 1);
	assert_int_equal(c.seq_late, 1);
	assert_int_equal(c.seq_lost, 3);
	struct dp_session_counters sc = scounters(&r, id);
	assert_int_equal(sc.seq_duplicate, 1);
	assert_int_equal(sc.seq_late, 1);
	assert_int_equal(sc.seq_lost, 3);
	rig_free(&r);
}

static void test_decap_drops(void **state)
{
	struct rig r;
	struct rte_mbuf *m[16];
	(void)state;

	rig_create(&r, 1, 20000, 1024);
	rig_resolve_gateway(&r, vectors);
	dp_session_id id = rig_session(&r, -1, false);
	inject(r.access.rx[0], "decap_misc", 0);
	rig_poll(&r, 2);
	assert_int_equal(rig_collect(&r.uplink, -1, m, 16), 0);
	struct dp_worker_counters c = counters(&r);
	assert_int_equal(c.spoofed, 1);
	assert_int_equal(c.ttl_expired, 1);
	assert_int_equal(c.no_session, 2); /* unknown call ID, unknown peer */
	assert_int_equal(c.ppp_bad, 1);
	assert_int_equal(c.ack_only, 1);
	assert_int_equal(scounters(&r, id).spoofed, 1);
	/* The expired packet is answered through the tunnel: ICMP time exceeded
	 * from our uplink address, quoting the original header. */
	unsigned int n = rig_collect(&r.access, -1, m, 16);
	assert_int_equal(n, 1);
	struct down_frame d = check_downstream(&r, m[0]);
	assert_int_equal(d.ppp.protocol, PPP_IP);
	const struct rte_ipv4_hdr *in = (const struct rte_ipv4_hdr *)d.inner;
	assert_int_equal(in->src_addr, rig_ip(RIG_UPLINK));
	assert_int_equal(in->dst_addr, rig_ip(RIG_SUB));
	assert_int_equal(in->next_proto_id, IPPROTO_ICMP);
	const uint8_t *icmp = d.inner + 20;
	assert_int_equal(icmp[0], 11);
	assert_int_equal(rte_raw_cksum(icmp, rte_be_to_cpu_16(in->total_length) - 20), 0xFFFF);
	const struct rte_ipv4_hdr *quoted = (const struct rte_ipv4_hdr *)(icmp + 8);
	assert_int_equal(quoted->src_addr, rig_ip(RIG_SUB));
	assert_int_equal(quoted->time_to_live, 1);
	rig_free_all(m, n);
	rig_free(&r);
}

static void test_gre_rejects_counted_by_reason(void **state)
{
	struct rig r;
	struct rte_mbuf *m[16];
	const int want[] = {
		PROTO_E(GRE_BAD_VERSION), PROTO_E(GRE_CSUM_PRESENT), PROTO_E(GRE_ROUTING_PRESENT),
		PROTO_E(GRE_KEY_ABSENT),  PROTO_E(GRE_STRICT_ROUTE), PROTO_E(GRE_RECURSION),
		PROTO_E(GRE_FLAGS_SET),   PROTO_E(GRE_BAD_PROTOCOL), PROTO_E(GRE_PAYLOAD_OVERRUN),
		PROTO_E(GRE_PAYLOAD_WITHOUT_SEQ), PROTO_E(GRE_EMPTY), PROTO_E(TRUNCATED),
	};
	(void)state;

	rig_create(&r, 1, 20000, 1024);
	rig_resolve_gateway(&r, vectors);
	rig_session(&r, -1, false);
	for (unsigned int i = 0; i < RTE_DIM(want); i++) {
		inject(r.access.rx[0], "gre_malformed", (int)i + 1);
		rig_poll(&r, 1);
		struct dp_worker_counters c = counters(&r);
		assert_int_equal(c.gre_rejected, i + 1);
		if (c.gre_reject[-want[i]] != 1)
			fail_msg("frame %u: expected reason %s", i + 1, proto_errname(want[i]));
	}
	for (unsigned int i = RTE_DIM(want); i < RTE_DIM(want) + 4; i++)
		inject(r.access.rx[0], "gre_malformed", (int)i + 1);
	rig_poll(&r, 1);
	struct dp_worker_counters c = counters(&r);
	assert_int_equal(c.ip_bad_checksum, 1);
	assert_int_equal(c.ip_fragment, 1);
	assert_int_equal(c.ip_not_ours, 1);
	assert_int_equal(c.ip_unsupported, 1);
	assert_int_equal(c.decap_pkts, 0);
	assert_int_equal(rig_collect(&r.uplink, -1, m, 16), 0);
	rig_free(&r);
}

static void test_control_frames_up_and_down(void **state)
{
	struct rig r;
	struct rte_mbuf *m[16];
	(void)state;

	rig_create(&r, 1, 20000, 1024);
	/* The control phase: no network yet, but PPP control frames flow. */
	dp_session_id id = rig_session(&r, -1, true);
	inject(r.access.rx[0], "decap_control", 0);
	rig_poll(&r, 2);
	assert_int_equal(rig_nb_up_frames, 2);
	assert_int_equal(rig_up_frames[0].id, id);
	const uint8_t lcp_head[] = { 0xff, 0x03, 0xc0, 0x21, 0x01, 0x07, 0x00, 0x08, 0x01, 0x04,
				     0x05, 0x78 };
	assert_int_equal(rig_up_frames[0].len, sizeof(lcp_head));
	assert_memory_equal(rig_up_frames[0].data, lcp_head, sizeof(lcp_head));
	assert_int_equal(rig_up_frames[1].data[0], 0x80); /* IPCP without FF03 */
	assert_int_equal(rig_up_frames[1].data[1], 0x21);
	assert_int_equal(scounters(&r, id).ctrl_rx, 2);

	/* Our LCP goes down numbered from the session's counter, with the ack
	 * of the peer's last number (2) piggybacked. */
	const uint8_t our_lcp[] = { 0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00, 0x08, 0x05, 0x06,
				    0x0a, 0x0b };
	assert_int_equal(dp_session_send(r.dp, id, our_lcp, sizeof(our_lcp) - 2), 0);
	assert_int_equal(dp_session_send(r.dp, id, our_lcp, sizeof(our_lcp)), 0);
	rig_poll(&r, 2);
	unsigned int n = rig_collect(&r.access, -1, m, 16);
	assert_int_equal(n, 2);
	struct down_frame d = check_downstream(&r, m[0]);
	assert_true(d.gre.has_seq);
	assert_int_equal(d.gre.seq, 1);
	assert_true(d.gre.has_ack);
	assert_int_equal(d.gre.ack, 2);
	assert_int_equal(d.gre.payload_len, sizeof(our_lcp) - 2);
	assert_memory_equal(d.gre_payload, our_lcp, sizeof(our_lcp) - 2);
	d = check_downstream(&r, m[1]);
	assert_int_equal(d.gre.seq, 2);
	assert_false(d.gre.has_ack); /* nothing new to acknowledge */
	rig_free_all(m, n);
	assert_int_equal(counters(&r).down_frames, 2);
	assert_int_equal(dp_session_send(r.dp, id + 1, our_lcp, sizeof(our_lcp)), -ENOENT);
	rig_free(&r);
}

static void test_encap(void **state)
{
	struct rig r;
	struct rte_mbuf *m[16];
	(void)state;

	rig_create(&r, 1, 20000, 1024);
	rig_resolve_gateway(&r, vectors);
	dp_session_id id = rig_session(&r, -1, false);
	inject(r.access.rx[0], "decap_forms", 1); /* learn the peer's MAC, seq 1 */
	rig_poll(&r, 2);
	rig_free_all(m, rig_collect(&r.uplink, -1, m, 16));

	inject(r.uplink.rx[0], "encap_basic", 0);
	rig_poll(&r, 2);
	unsigned int n = rig_collect(&r.access, -1, m, 16);
	assert_int_equal(n, 3);
	/* 1: ICMP reply, first data packet: seq 1 and the ack of the peer's 1. */
	struct down_frame d = check_downstream(&r, m[0]);
	assert_int_equal(d.gre.seq, 1);
	assert_true(d.gre.has_ack);
	assert_int_equal(d.gre.ack, 1);
	assert_true(d.ppp.has_acf);
	assert_false(d.ppp.pfc);
	assert_int_equal(d.ppp.protocol, PPP_IP);
	const struct rte_ipv4_hdr *in = (const struct rte_ipv4_hdr *)d.inner;
	assert_int_equal(in->dst_addr, rig_ip(RIG_SUB));
	assert_int_equal(in->time_to_live, 63);
	assert_int_equal(rte_raw_cksum(in, rte_ipv4_hdr_len(in)), 0xFFFF);
	assert_true(payload_ends_with(m[0], "reply-1"));
	/* 2: the SYN-ACK's MSS is clamped to MTU - 40 with a valid checksum. */
	d = check_downstream(&r, m[1]);
	assert_int_equal(d.gre.seq, 2);
	assert_false(d.gre.has_ack);
	in = (const struct rte_ipv4_hdr *)d.inner;
	const uint8_t *tcp = d.inner + rte_ipv4_hdr_len(in);
	assert_int_equal(tcp[20], 2);
	assert_int_equal(tcp[22] << 8 | tcp[23], 1360);
	assert_int_equal(rte_ipv4_udptcp_cksum_verify(in, tcp), 0);
	/* 3: the Ethernet padding of a small frame is not carried. */
	d = check_downstream(&r, m[2]);
	assert_int_equal(d.gre.payload_len, 4 + 28);
	rig_free_all(m, n);

	struct dp_worker_counters c = counters(&r);
	assert_int_equal(c.encap_pkts, 3);
	assert_int_equal(c.no_session, 1);
	assert_int_equal(c.ttl_expired, 1);
	assert_int_equal(c.mss_clamped, 1);
	assert_int_equal(c.too_big, 2);
	assert_int_equal(scounters(&r, id).encap_pkts, 3);
	/* Towards the Internet: time exceeded for the TTL 1 packet and
	 * "fragmentation needed, MTU 1400" for the DF one; the other
	 * oversized packet (no DF) is dropped silently. */
	n = rig_collect(&r.uplink, -1, m, 16);
	assert_int_equal(n, 2);
	const uint8_t want_type[] = { 11, 3 }, want_code[] = { 0, 4 };
	for (unsigned int i = 0; i < n; i++) {
		const struct rte_ether_hdr eth = eth_of(m[i]);
		assert_true(rte_is_same_ether_addr(&eth.dst_addr, &gw_mac));
		const struct rte_ipv4_hdr *ip = ipv4_of(m[i]);
		assert_int_equal(ip->src_addr, rig_ip(RIG_UPLINK));
		assert_int_equal(ip->dst_addr, rig_ip(RIG_GATEWAY));
		const uint8_t *icmp = (const uint8_t *)(ip + 1);
		assert_int_equal(icmp[0], want_type[i]);
		assert_int_equal(icmp[1], want_code[i]);
		if (want_type[i] == 3)
			assert_int_equal(icmp[6] << 8 | icmp[7], 1400);
		assert_int_equal(rte_raw_cksum(icmp, rte_be_to_cpu_16(ip->total_length) - 20), 0xFFFF);
	}
	rig_free_all(m, n);

	/* The peer accepts compressed headers: one PPP octet, no FF03. */
	struct dp_session_net net = { .sub_addr = rig_ip(RIG_SUB), .mtu = 1400, .acfc = true,
				      .pfc = true };
	assert_int_equal(dp_session_set_network(r.dp, id, &net), 0);
	rig_poll(&r, 1);
	inject(r.uplink.rx[0], "encap_basic", 1);
	rig_poll(&r, 2);
	n = rig_collect(&r.access, -1, m, 16);
	assert_int_equal(n, 1);
	d = check_downstream(&r, m[0]);
	assert_false(d.ppp.has_acf);
	assert_true(d.ppp.pfc);
	assert_int_equal(d.ppp.hdr_len, 1);
	assert_int_equal(d.gre.seq, 4);
	rig_free_all(m, n);

	/* Each of the four PPP header forms, with and without an ack owed: the
	 * header is written as one word in front of the packet, GRE as one
	 * word in front of that, so every length must come out exact. */
	const struct { bool acfc, pfc; uint16_t len; } forms[] = {
		{ false, false, 4 }, { false, true, 3 }, { true, false, 2 }, { true, true, 1 },
	};
	uint32_t seq = 4;
	for (unsigned int f = 0; f < RTE_DIM(forms); f++) {
		for (unsigned int owed = 0; owed < 2; owed++) {
			net.acfc = forms[f].acfc;
			net.pfc = forms[f].pfc;
			assert_int_equal(dp_session_set_network(r.dp, id, &net), 0);
			if (owed) { /* the peer's next data packet leaves an ack owed */
				if (f < 3)
					inject(r.access.rx[0], "decap_forms", 2 + (int)f); /* seq 2..4 */
				else
					inject(r.access.rx[0], "decap_seq", 1); /* seq 10 */
				rig_poll(&r, 2);
				rig_free_all(m, rig_collect(&r.uplink, -1, m, 16));
			}
			rig_poll(&r, 1);
			inject(r.uplink.rx[0], "encap_basic", 1);
			rig_poll(&r, 2);
			n = rig_collect(&r.access, -1, m, 16);
			assert_int_equal(n, 1);
			d = check_downstream(&r, m[0]);
			const struct rte_ipv4_hdr *outer = ipv4_of(m[0]);
			assert_int_equal(rte_raw_cksum(outer, sizeof(*outer)), 0xFFFF);
			assert_int_equal(rte_pktmbuf_pkt_len(m[0]),
					 RTE_ETHER_HDR_LEN + rte_be_to_cpu_16(outer->total_length));
			assert_int_equal(d.ppp.has_acf, !forms[f].acfc);
			assert_int_equal(d.ppp.pfc, forms[f].pfc);
			assert_int_equal(d.ppp.hdr_len, forms[f].len);
			assert_int_equal(d.ppp.protocol, PPP_IP);
			assert_int_equal(d.gre.seq, ++seq);
			assert_int_equal(d.gre.has_ack, owed != 0);
			in = (const struct rte_ipv4_hdr *)d.inner;
			assert_int_equal(in->dst_addr, rig_ip(RIG_SUB));
			assert_int_equal(d.gre.payload_len,
					 forms[f].len + rte_be_to_cpu_16(in->total_length));
			assert_int_equal(rte_raw_cksum(in, rte_ipv4_hdr_len(in)), 0xFFFF);
			rig_free_all(m, n);
		}
	}
	rig_free(&r);
}

static void test_mss_clamped_upstream(void **state)
{
	struct rig r;
	struct rte_mbuf *m[16];
	(void)state;

	rig_create(&r, 1, 20000, 1024);
	rig_resolve_gateway(&r, vectors);
	rig_session(&r, -1, false);
	inject(r.access.rx[0], "decap_mss", 0);
	rig_poll(&r, 2);
	unsigned int n = rig_collect(&r.uplink, -1, m, 16);
	assert_int_equal(n, 1);
	const struct rte_ipv4_hdr *ip = check_upstream(&r, m[0], 63);
	const uint8_t *tcp = (const uint8_t *)ip + rte_ipv4_hdr_len(ip);
	assert_int_equal(tcp[20], 2);
	assert_int_equal(tcp[22] << 8 | tcp[23], 1360);
	assert_int_equal(rte_ipv4_udptcp_cksum_verify(ip, tcp), 0);
	rig_free_all(m, n);
	rig_free(&r);
}

static void test_lone_ack_after_delay(void **state)
{
	struct rig r;
	struct rte_mbuf *m[16];
	(void)state;

	rig_create(&r, 1, 2000 /* us */, 1024);
	rig_resolve_gateway(&r, vectors);
	dp_session_id id = rig_session(&r, -1, false);
	inject(r.access.rx[0], "decap_forms", 1); /* seq 1 */
	rig_poll(&r, 2);
	rig_free_all(m, rig_collect(&r.uplink, -1, m, 16));
	assert_int_equal(rig_collect(&r.access, -1, m, 16), 0); /* not yet */
	rte_delay_us_sleep(3000);
	rig_poll(&r, 1);
	unsigned int n = rig_collect(&r.access, -1, m, 16);
	assert_int_equal(n, 1);
	struct down_frame d = check_downstream(&r, m[0]);
	assert_false(d.gre.has_seq);
	assert_true(d.gre.has_ack);
	assert_int_equal(d.gre.ack, 1);
	assert_int_equal(d.gre.payload_len, 0);
	assert_int_equal(rte_pktmbuf_mtod(m[0], const uint8_t *)[35], 0x81); /* A, version 1 */
	rig_free_all(m, n);

	/* With reverse traffic inside the delay the ack rides on it instead. */
	inject(r.access.rx[0], "decap_forms", 2); /* seq 2 */
	rig_poll(&r, 1);
	inject(r.uplink.rx[0], "encap_basic", 1);
	rig_poll(&r, 1);
	rte_delay_us_sleep(3000);
	rig_poll(&r, 2);
	n = rig_collect(&r.access, -1, m, 16);
	assert_int_equal(n, 1);
	d = check_downstream(&r, m[0]);
	assert_true(d.gre.has_seq);
	assert_int_equal(d.gre.ack, 2);
	rig_free_all(m, n);
	rig_free_all(m, rig_collect(&r.uplink, -1, m, 16));
	assert_int_equal(scounters(&r, id).lone_acks, 1);
	assert_int_equal(counters(&r).lone_acks, 1);
	rig_free(&r);
}

static void test_transmit_window(void **state)
{
	struct rig r;
	struct rte_mbuf *m[16];
	dp_session_id id;
	(void)state;

	rig_enforce_window = true;
	rig_create(&r, 1, 20000, 1024);
	rig_enforce_window = false;
	rig_resolve_gateway(&r, vectors);
	struct dp_session_params p = { .peer_addr = rig_ip(RIG_PEER), .our_call_id = RIG_OUR_CALL,
				       .peer_call_id = RIG_PEER_CALL, .peer_window = 2,
				       .access_port = 0, .owner = -1 };
	assert_int_equal(dp_session_install(r.dp, &p, &id), 0);
	struct dp_session_net n = { .sub_addr = rig_ip(RIG_SUB), .mtu = 1400 };
	assert_int_equal(dp_session_set_network(r.dp, id, &n), 0);
	inject(r.access.rx[0], "decap_forms", 1); /* the peer's MAC */
	rig_poll(&r, 2);
	rig_free_all(m, rig_collect(&r.uplink, -1, m, 16));
	rig_free_all(m, rig_collect(&r.access, -1, m, 16));

	/* A window of 2: the third packet waits for an acknowledgement. */
	for (int i = 0; i < 3; i++)
		inject(r.uplink.rx[0], "encap_basic", 1);
	rig_poll(&r, 2);
	unsigned int k = rig_collect(&r.access, -1, m, 16);
	assert_int_equal(k, 2);
	rig_free_all(m, k);
	assert_int_equal(counters(&r).window_full, 1);
	/* The peer acknowledges 2; an acknowledgement of 99 (never sent) is
	 * counted and ignored. */
	inject(r.access.rx[0], "decap_ack", 0);
	rig_poll(&r, 2);
	assert_int_equal(counters(&r).ack_invalid, 1);
	struct dp_session_info info;
	dp_session_read_info(r.dp, id, &info);
	assert_int_equal(info.peer_ack, 2);
	inject(r.uplink.rx[0], "encap_basic", 1);
	rig_poll(&r, 2);
	k = rig_collect(&r.access, -1, m, 16);
	assert_int_equal(k, 1);
	rig_free_all(m, k);
	rig_free(&r);
}

static void test_two_workers_hand_off(void **state)
{
	struct rig r;
	struct rte_mbuf *m[16];
	(void)state;

	rig_create(&r, 2, 20000, 1024);
	rig_resolve_gateway(&r, vectors);
	/* Worker 1 owns the session; RSS (here: the test) gives worker 0 both
	 * directions. */
	dp_session_id id = rig_session(&r, 1, false);
	inject(r.access.rx[0], "decap_forms", 0); /* seq 1..4 */
	rig_poll(&r, 3);
	inject(r.uplink.rx[0], "encap_basic", 1);
	rig_poll(&r, 3);
	unsigned int n = rig_collect(&r.uplink, 0, m, 16);
	assert_int_equal(n, 0); /* nothing sent by worker 0 */
	n = rig_collect(&r.uplink, 1, m, 16);
	assert_int_equal(n, 4);
	rig_free_all(m, n);
	n = rig_collect(&r.access, 1, m, 16);
	assert_int_equal(n, 1);
	struct down_frame d = check_downstream(&r, m[0]);
	assert_int_equal(d.gre.seq, 1);
	assert_int_equal(d.gre.ack, 4); /* worker 1 saw every upstream number */
	rig_free_all(m, n);
	struct dp_worker_counters c0, c1;
	dp_read_worker_counters(r.dp, 0, &c0);
	dp_read_worker_counters(r.dp, 1, &c1);
	assert_int_equal(c0.handoff_out, 5);
	assert_int_equal(c1.handoff_in, 5);
	assert_int_equal(c1.decap_pkts, 4);
	assert_int_equal(c1.encap_pkts, 1);
	struct dp_session_info info;
	dp_session_read_info(r.dp, id, &info);
	assert_int_equal(info.owner, 1);
	assert_int_equal(info.rx_seq, 4);
	assert_int_equal(info.tx_seq, 1);
	rig_free(&r);
}

static void test_remove_and_reclaim(void **state)
{
	struct rig r;
	struct rte_mbuf *m[16];
	(void)state;

	rig_create(&r, 1, 20000, 1024);
	rig_resolve_gateway(&r, vectors);
	dp_session_id id = rig_session(&r, -1, false);
	assert_int_equal(dp_nb_sessions(r.dp), 1);
	assert_int_equal(dp_session_remove(r.dp, id), 0);
	assert_int_equal(dp_session_remove(r.dp, id), -ENOENT);
	assert_int_equal(dp_nb_sessions(r.dp), 0);
	/* Gone for lookups at once. */
	inject(r.access.rx[0], "decap_forms", 1);
	inject(r.uplink.rx[0], "encap_basic", 1);
	rig_poll(&r, 3);
	assert_int_equal(rig_collect(&r.uplink, -1, m, 16), 0);
	assert_int_equal(rig_collect(&r.access, -1, m, 16), 0);
	assert_int_equal(rig_nb_reclaimed, 1);
	/* The same call ID and peer can be installed again, with a new id. */
	dp_session_id again = rig_session(&r, -1, false);
	assert_true(again != id);
	assert_int_equal(dp_session_install(r.dp,
					    &(struct dp_session_params){
						    .peer_addr = rig_ip(RIG_PEER),
						    .our_call_id = RIG_OUR_CALL,
						    .access_port = 0,
						    .owner = -1 },
					    &id),
			 -EEXIST);
	/* Another session may not take the same subscriber address. */
	dp_session_id other;
	assert_int_equal(dp_session_install(r.dp,
					    &(struct dp_session_params){
						    .peer_addr = rig_ip(RIG_PEER),
						    .our_call_id = RIG_OUR_CALL + 1,
						    .access_port = 0,
						    .owner = -1 },
					    &other),
			 0);
	struct dp_session_net n = { .sub_addr = rig_ip(RIG_SUB), .mtu = 1400 };
	assert_int_equal(dp_session_set_network(r.dp, other, &n), -EEXIST);
	rig_free(&r);
}

static void test_65536_sessions(void **state)
{
	struct rig r;
	struct rte_mbuf *m[16];
	static dp_session_id ids[65536];
	(void)state;

	/* The memory a session costs: heap use with 65,536 slots against 1,024. */
	struct rte_malloc_socket_stats before, small, big;
	rte_malloc_get_socket_stats(0, &before);
	rig_create(&r, 1, 20000, 1024);
	rte_malloc_get_socket_stats(0, &small);
	rig_free(&r);
	rig_create(&r, 1, 20000, 65536);
	rte_malloc_get_socket_stats(0, &big);
	fprintf(stderr, "memory: %zu bytes with 1024 slots, %zu with 65536: %zu per session\n",
		small.heap_allocsz_bytes - before.heap_allocsz_bytes,
		big.heap_allocsz_bytes - before.heap_allocsz_bytes,
		(big.heap_allocsz_bytes - small.heap_allocsz_bytes) / (65536 - 1024));
	rig_resolve_gateway(&r, vectors);
	/* 65,536 sessions: call IDs 1..32768 used by two peers, addresses fill a
	 * /16. The lab session (RIG_PEER, RIG_OUR_CALL) is one of them, and gets
	 * the lab address, which it swaps with the session that would have it. */
	const uint32_t lab = 32768 + RIG_OUR_CALL - 1;
	for (uint32_t i = 0; i < 65536; i++) {
		struct dp_session_params p = {
			.peer_addr = i < 32768 ? rig_ip("198.51.100.3") : rig_ip(RIG_PEER),
			.our_call_id = (uint16_t)(1 + (i & 0x7FFF)),
			.peer_call_id = i == lab ? RIG_PEER_CALL : 7,
			.access_port = 0,
			.owner = -1,
		};
		uint32_t host = 0x64400000u + (i == lab ? 5 : i == 5 ? lab : i);
		struct dp_session_net n = { .sub_addr = rte_cpu_to_be_32(host), .mtu = 1400 };
		assert_int_equal(dp_session_install(r.dp, &p, &ids[i]), 0);
		assert_int_equal(dp_session_set_network(r.dp, ids[i], &n), 0);
		if ((i & 255) == 255)
			rig_poll(&r, 20);
	}
	assert_int_equal(dp_nb_sessions(r.dp), 65536);
	struct dp_session_params extra = { .peer_addr = rig_ip("198.51.100.9"), .our_call_id = 1 };
	dp_session_id x;
	assert_int_equal(dp_session_install(r.dp, &extra, &x), -ENOSPC);
	rig_poll(&r, 2);

	/* The lab session among them forwards both ways. */
	inject(r.access.rx[0], "decap_forms", 0);
	inject(r.uplink.rx[0], "encap_basic", 1);
	rig_poll(&r, 3);
	unsigned int n = rig_collect(&r.uplink, -1, m, 16);
	assert_int_equal(n, 4);
	rig_free_all(m, n);
	/* Besides ARP requests for the two peers, one GRE frame. */
	n = rig_collect(&r.access, -1, m, 16);
	unsigned int gre = 0;
	for (unsigned int i = 0; i < n; i++)
		if (eth_of(m[i]).ether_type ==
		    rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4)) {
			check_downstream(&r, m[i]);
			gre++;
		}
	assert_int_equal(gre, 1);
	rig_free_all(m, n);

	for (uint32_t i = 0; i < 65536; i++) {
		assert_int_equal(dp_session_remove(r.dp, ids[i]), 0);
		if ((i & 1023) == 1023)
			rig_poll(&r, 2);
	}
	for (int i = 0; i < 20000 && rig_nb_reclaimed < 65536; i++)
		rig_poll(&r, 2);
	assert_int_equal(rig_nb_reclaimed, 65536);
	assert_int_equal(dp_nb_sessions(r.dp), 0);
	assert_int_equal(dp_session_install(r.dp, &extra, &x), 0);
	rig_free(&r);
}

static void test_tshark_finds_nothing_malformed(void **state)
{
	char cmd[1024];
	(void)state;
	rig_dump_close();
	/* Checksum validation on: every header we rewrote must still add up. */
	snprintf(cmd, sizeof(cmd),
		 "tshark -n -r %s -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE "
		 "-o icmp.check_checksum:TRUE -Y '_ws.malformed || _ws.expert.severity >= error' "
		 "2>/dev/null | wc -l",
		 dump_path);
	FILE *f = popen(cmd, "r");
	int bad = -1;
	assert_non_null(f);
	assert_int_equal(fscanf(f, "%d", &bad), 1);
	pclose(f);
	snprintf(cmd, sizeof(cmd), "tshark -n -r %s 2>/dev/null | wc -l", dump_path);
	f = popen(cmd, "r");
	int total = 0;
	assert_int_equal(fscanf(f, "%d", &total), 1);
	pclose(f);
	fprintf(stderr, "tshark: %d frames from the data plane, %d malformed or in error\n", total,
		bad);
	assert_true(total >= 30);
	assert_int_equal(bad, 0);
	unlink(dump_path);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s VECTOR_DIR\n", argv[0]);
		return 2;
	}
	vectors = argv[1];
	if (rig_eal_init(argv[0]) != 0) {
		fprintf(stderr, "EAL initialisation failed\n");
		return 1;
	}
	int fd = mkstemp(dump_path);
	if (fd < 0)
		return 1;
	close(fd);
	rig_dump_open(dump_path);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arp_answered_and_learned),
		cmocka_unit_test(test_decap_header_forms),
		cmocka_unit_test(test_decap_sequence_tracking),
		cmocka_unit_test(test_decap_drops),
		cmocka_unit_test(test_gre_rejects_counted_by_reason),
		cmocka_unit_test(test_control_frames_up_and_down),
		cmocka_unit_test(test_encap),
		cmocka_unit_test(test_mss_clamped_upstream),
		cmocka_unit_test(test_lone_ack_after_delay),
		cmocka_unit_test(test_transmit_window),
		cmocka_unit_test(test_two_workers_hand_off),
		cmocka_unit_test(test_remove_and_reclaim),
		cmocka_unit_test(test_65536_sessions),
		cmocka_unit_test(test_tshark_finds_nothing_malformed),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	rte_eal_cleanup();
	return rc;
}
