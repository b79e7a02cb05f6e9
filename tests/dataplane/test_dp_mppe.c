/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MPPE in the data plane: packets encrypted by the test side's own MPPE
 * (tests/tools/mppe.py on pycryptodome, make_vectors.py) go through the real
 * workers and must come out decrypted, in the order and with the drops that
 * RFC 3078's receiver rules give: reordering, duplicates, a jump beyond the
 * key ring, clear IPv4 on a session that must encrypt, stateful loss and the
 * CCP Reset-Request it asks for. Downstream, what the workers encrypt is
 * decrypted here and compared.
 *
 * Usage: test_dp_mppe VECTOR_DIR   (the pcaps of make_vectors.py)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <rte_ether.h>
#include <rte_ip.h>

#include "dataplane/dp.h"
#include "mppe/mppe.h"
#include "proto/gre.h"
#include "proto/ppp_frame.h"
#include "rig.h"

static const char *vectors;

/* make_vectors.py's keys: the peer sends with PEER_SEND (our receive key). */
static uint8_t peer_send_key[16], our_send_key[16];

static void inject(struct rte_ring *ring, const char *name)
{
	char p[1024];
	snprintf(p, sizeof(p), "%s/%s.pcap", vectors, name);
	assert_true(rig_inject(ring, p, 0) > 0);
}

static struct dp_worker_counters counters(struct rig *r)
{
	struct dp_worker_counters c;
	dp_read_worker_counters(r->dp, -1, &c);
	return c;
}

static dp_session_id mppe_session(struct rig *r, bool stateless)
{
	struct dp_session_net n = { .sub_addr = rig_ip(RIG_SUB),
				    .mtu = 1396,
				    .mppe = true,
				    .mppe_bits = 128,
				    .mppe_stateless = stateless };
	memcpy(n.mppe_send_key, our_send_key, 16);
	memcpy(n.mppe_recv_key, peer_send_key, 16);
	return rig_session_net(r, -1, &n);
}

/* The ICMP payload tag of a decapsulated frame on the uplink ("mppe-3"). */
static void upstream_tag(const struct rte_mbuf *m, char *tag, size_t cap)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	size_t len = rte_pktmbuf_pkt_len(m);
	struct rte_ipv4_hdr ip;

	assert_true(len >= RTE_ETHER_HDR_LEN + sizeof(ip) + 8);
	memcpy(&ip, p + RTE_ETHER_HDR_LEN, sizeof(ip));
	assert_int_equal(ip.src_addr, rig_ip(RIG_SUB));
	assert_int_equal(ip.dst_addr, rig_ip(RIG_GATEWAY));
	assert_int_equal(ip.time_to_live, 63);
	size_t off = RTE_ETHER_HDR_LEN + sizeof(ip) + 8; /* IPv4 + ICMP header */
	size_t n = len - off < cap - 1 ? len - off : cap - 1;
	memcpy(tag, p + off, n);
	tag[n] = '\0';
}

static void expect_upstream(struct rig *r, const char *const *want, unsigned int nb_want)
{
	struct rte_mbuf *m[16];
	unsigned int n = rig_collect(&r->uplink, -1, m, RTE_DIM(m));
	assert_int_equal(n, nb_want);
	for (unsigned int i = 0; i < n; i++) {
		char tag[32];
		upstream_tag(m[i], tag, sizeof(tag));
		assert_string_equal(tag, want[i]);
	}
	rig_free_all(m, n);
}

static void test_stateless_receiver(void **state)
{
	struct rig r;
	(void)state;

	rig_mppe = true;
	rig_create(&r, 1, 20000, 1024);
	rig_resolve_gateway(&r, vectors);
	dp_session_id id = mppe_session(&r, true);
	/* counts 0, 1, 3, 2 (late: its key waits in the ring), 2 again, a
	 * jump of 0xF01, clear IPv4, then 4 */
	inject(r.access.rx[0], "mppe_stateless");
	rig_poll(&r, 3);
	static const char *const want[] = { "mppe-0", "mppe-1", "mppe-3", "mppe-2", "mppe-4" };
	expect_upstream(&r, want, RTE_DIM(want));
	struct dp_worker_counters c = counters(&r);
	assert_int_equal(c.mppe_decrypted, 5);
	assert_int_equal(c.mppe_late, 1);
	assert_int_equal(c.mppe_jump, 1);
	assert_int_equal(c.mppe_clear, 1);
	assert_int_equal(c.decap_pkts, 5);
	struct dp_session_counters sc;
	assert_int_equal(dp_session_read_counters(r.dp, id, &sc), 0);
	assert_int_equal(sc.mppe_errors, 2);
	assert_int_equal(sc.rx_pkts, 8);
	assert_int_equal(rig_nb_mppe_resync, 0);
	rig_free(&r);
	rig_mppe = false;
}

static void test_stateful_receiver_resyncs(void **state)
{
	struct rig r;
	(void)state;

	rig_mppe = true;
	rig_nb_mppe_resync = 0;
	rig_create(&r, 1, 20000, 1024);
	rig_resolve_gateway(&r, vectors);
	dp_session_id id = mppe_session(&r, false);
	/* counts 0, 1, (2 lost) 3, 4, then 5 flushed after our Reset-Request */
	inject(r.access.rx[0], "mppe_stateful");
	rig_poll(&r, 3);
	static const char *const want[] = { "mppe-0", "mppe-1", "mppe-5" };
	expect_upstream(&r, want, RTE_DIM(want));
	struct dp_worker_counters c = counters(&r);
	assert_int_equal(c.mppe_decrypted, 3);
	assert_int_equal(c.mppe_resync, 2); /* 3 asked for a reset, 4 was dropped waiting */
	/* One Reset-Request asked of the control plane, not one per packet. */
	assert_int_equal(rig_nb_mppe_resync, 1);
	assert_true(rig_mppe_resync_id == id);
	rig_free(&r);
	rig_mppe = false;
}

/*
 * A frame the access port sent, as the peer receives it: its MPPE packet
 * (every data frame must be PPP 0x00FD) decrypted into buf by the peer's
 * receiver, protocol field first; its MPPE header in hdr. 0 for a frame
 * without data (ARP, a lone acknowledgement).
 */
static size_t down_decrypt(const struct rte_mbuf *m, struct mppe_dir *peer_rx,
			   uint8_t hdr[MPPE_HDR_LEN], uint8_t *buf, size_t cap)
{
	const uint8_t *f = rte_pktmbuf_mtod(m, const uint8_t *);
	size_t len = rte_pktmbuf_pkt_len(m);
	struct gre_pptp g;
	struct ppp_frame pf;

	if (len < RTE_ETHER_HDR_LEN + 20 || f[12] != 0x08 || f[13] != 0x00)
		return 0; /* ARP */
	const uint8_t *gre = f + RTE_ETHER_HDR_LEN + 20;
	assert_int_equal(gre_pptp_parse(gre, len - RTE_ETHER_HDR_LEN - 20, &g), PROTO_OK);
	if (!g.payload_len)
		return 0; /* a lone acknowledgement */
	assert_int_equal(ppp_frame_parse(gre + g.hdr_len, g.payload_len, &pf), PROTO_OK);
	assert_int_equal(pf.protocol, MPPE_PROTO); /* never 0x0021 in the clear */
	const uint8_t *mp = gre + g.hdr_len + pf.hdr_len;
	size_t mlen = g.payload_len - pf.hdr_len;
	assert_true(mlen > MPPE_HDR_LEN + 2 && mlen - MPPE_HDR_LEN <= cap);
	memcpy(hdr, mp, MPPE_HDR_LEN);
	memcpy(buf, mp + MPPE_HDR_LEN, mlen - MPPE_HDR_LEN);
	assert_int_equal(mppe_decrypt(peer_rx, hdr, buf, mlen - MPPE_HDR_LEN), MPPE_OK);
	assert_int_equal(buf[0], 0x00);
	assert_int_equal(buf[1], 0x21);
	return mlen - MPPE_HDR_LEN;
}

/* Downstream: every IPv4 packet leaves as PPP 0x00FD; the peer's receiver
 * (lib/mppe, itself checked against mppe.py) decrypts the ICMP replies. */
static void check_encap(bool stateless)
{
	struct rig r;
	struct rte_mbuf *m[16];
	struct mppe_dir peer_rx;

	rig_mppe = true;
	rig_create(&r, 1, 20000, 1024);
	rig_resolve_gateway(&r, vectors);
	dp_session_id id = mppe_session(&r, stateless);
	mppe_dir_init(&peer_rx, our_send_key, 128, stateless);
	/* The first packet learns the peer's MAC (ARP); answer it, then send. */
	char p[1024];
	snprintf(p, sizeof(p), "%s/arp.pcap", vectors);
	rig_inject(r.access.rx[0], p, 2);
	rig_poll(&r, 2);
	rig_free_all(m, rig_collect(&r.access, -1, m, RTE_DIM(m)));
	snprintf(p, sizeof(p), "%s/mppe_encap.pcap", vectors);
	for (int i = 1; i <= 3; i++) {
		if (i == 3) /* the peer sent CCP Reset-Request */
			assert_int_equal(dp_session_mppe_flush(r.dp, id), 0);
		assert_int_equal(rig_inject(r.uplink.rx[0], p, i), 1);
		rig_poll(&r, 2);
	}
	unsigned int n = rig_collect(&r.access, -1, m, RTE_DIM(m));
	unsigned int data = 0;
	for (unsigned int i = 0; i < n; i++) {
		uint8_t hdr[MPPE_HDR_LEN], buf[256];
		size_t plen = down_decrypt(m[i], &peer_rx, hdr, buf, sizeof(buf));
		if (!plen)
			continue;
		assert_int_equal(mppe_hdr_ccount(hdr), data);
		/* Stateless: every packet flushed; stateful: the one after the
		 * Reset-Request. */
		bool flushed = hdr[0] & MPPE_BIT_A;
		assert_int_equal(flushed, stateless || data == 2);
		char tag[16];
		snprintf(tag, sizeof(tag), "down-%u", data);
		assert_memory_equal(buf + plen - strlen(tag), tag, strlen(tag));
		struct rte_ipv4_hdr ip;
		memcpy(&ip, buf + 2, sizeof(ip));
		assert_int_equal(ip.dst_addr, rig_ip(RIG_SUB));
		data++;
	}
	rig_free_all(m, n);
	assert_int_equal(data, 3);
	assert_int_equal(counters(&r).mppe_encrypted, 3);
	rig_free(&r);
	rig_mppe = false;
}

static void test_encap_stateless(void **state)
{
	(void)state;
	check_encap(true);
}

static void test_encap_stateful_flush(void **state)
{
	(void)state;
	check_encap(false);
}

/* Packets forged with a large coherency-count jump cannot move the keys on
 * (their plaintext is not IPv4: the receiver's state is put back), and the
 * re-keys a session may spend on gaps are limited: the fourth forged jump is
 * refused before any crypto. The peer's next genuine packets decrypt. */
static void test_forged_jumps(void **state)
{
	struct rig r;
	(void)state;

	rig_mppe = true;
	rig_create(&r, 1, 20000, 1024);
	rig_resolve_gateway(&r, vectors);
	dp_session_id id = mppe_session(&r, true);
	inject(r.access.rx[0], "mppe_forged");
	rig_poll(&r, 3);
	static const char *const want[] = { "mppe-0", "mppe-1", "mppe-2", "mppe-3" };
	expect_upstream(&r, want, RTE_DIM(want));
	struct dp_worker_counters c = counters(&r);
	assert_int_equal(c.mppe_decrypted, 4 + 3); /* three forged ones decrypted to noise */
	assert_int_equal(c.ppp_bad, 3);
	assert_int_equal(c.mppe_jump, 1);
	struct mppe_counters tx, rx;
	assert_int_equal(dp_session_read_mppe(r.dp, id, &tx, &rx), 0);
	assert_int_equal(rx.lost, 0); /* no forged gap was kept */
	rig_free(&r);
	rig_mppe = false;
}

/* An ICMP error for an encrypted session's packet (its TTL ran out here) goes
 * back encrypted too: never IPv4 in the clear on an MPPE session. */
static void test_icmp_back_encrypted(void **state)
{
	struct rig r;
	struct rte_mbuf *m[16];
	struct mppe_dir peer_rx;
	(void)state;

	rig_mppe = true;
	rig_create(&r, 1, 20000, 1024);
	rig_resolve_gateway(&r, vectors);
	mppe_session(&r, true);
	mppe_dir_init(&peer_rx, our_send_key, 128, true);
	inject(r.access.rx[0], "mppe_ttl");
	rig_poll(&r, 4);
	assert_int_equal(rig_collect(&r.uplink, -1, m, RTE_DIM(m)), 0);
	unsigned int n = rig_collect(&r.access, -1, m, RTE_DIM(m)), icmp = 0;
	for (unsigned int i = 0; i < n; i++) {
		uint8_t hdr[MPPE_HDR_LEN], buf[256];
		size_t plen = down_decrypt(m[i], &peer_rx, hdr, buf, sizeof(buf));
		if (!plen)
			continue;
		assert_true(plen > 2 + 20 + 8);
		assert_int_equal(buf[2] >> 4, 4);      /* IPv4 */
		assert_int_equal(buf[2 + 9], 1);       /* ICMP */
		assert_int_equal(buf[2 + 20], 11);     /* time exceeded */
		icmp++;
	}
	rig_free_all(m, n);
	assert_int_equal(icmp, 1);
	rig_free(&r);
	rig_mppe = false;
}

/* A session without MPPE on an MPPE-capable data plane drops 0x00FD; a
 * data plane without MPPE state refuses a session that must encrypt. */
static void test_mppe_refusals(void **state)
{
	struct rig r;
	(void)state;

	rig_mppe = false;
	rig_create(&r, 1, 20000, 1024);
	struct dp_session_params p = { .peer_addr = rig_ip(RIG_PEER),
				       .our_call_id = RIG_OUR_CALL,
				       .peer_call_id = RIG_PEER_CALL,
				       .peer_window = 64 };
	dp_session_id id;
	assert_int_equal(dp_session_install(r.dp, &p, &id), 0);
	struct dp_session_net n = { .sub_addr = rig_ip(RIG_SUB), .mtu = 1396, .mppe = true,
				    .mppe_bits = 128, .mppe_stateless = true };
	assert_int_equal(dp_session_set_network(r.dp, id, &n), -ENOTSUP);
	n.mppe = false;
	assert_int_equal(dp_session_set_network(r.dp, id, &n), 0);
	rig_poll(&r, 2);
	inject(r.access.rx[0], "mppe_stateless");
	rig_poll(&r, 3);
	struct dp_worker_counters c = counters(&r);
	assert_int_equal(c.mppe_unencrypted, 7);
	assert_int_equal(c.mppe_decrypted, 0);
	rig_free(&r);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s VECTOR_DIR\n", argv[0]);
		return 2;
	}
	vectors = argv[1];
	for (int i = 0; i < 16; i++) {
		peer_send_key[i] = (uint8_t)(0x10 + i);
		our_send_key[i] = (uint8_t)(0x40 + i);
	}
	if (rig_eal_init(argv[0]) != 0) {
		fprintf(stderr, "EAL initialisation failed\n");
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stateless_receiver),
		cmocka_unit_test(test_stateful_receiver_resyncs),
		cmocka_unit_test(test_encap_stateless),
		cmocka_unit_test(test_encap_stateful_flush),
		cmocka_unit_test(test_forged_jumps),
		cmocka_unit_test(test_icmp_back_encrypted),
		cmocka_unit_test(test_mppe_refusals),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	rte_eal_cleanup();
	return rc;
}
