/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The per-packet header arithmetic of lib/dataplane/dp_inner.h against
 * DPDK's own full computations: the incremental TTL update, the 20-byte
 * checksum test, and MSS clamping, over random headers and the checksum
 * values where end-around carries happen.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <rte_ip.h>
#include <rte_tcp.h>

#include "dataplane/dp_inner.h"

static uint32_t rnd_state = 12345;
static uint32_t rnd(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return rnd_state >> 8;
}

static void random_header(struct rte_ipv4_hdr *ip)
{
	uint8_t *b = (uint8_t *)ip;
	for (size_t i = 0; i < sizeof(*ip); i++)
		b[i] = (uint8_t)rnd();
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->time_to_live = (uint8_t)(2 + rnd() % 254);
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
}

/* The incremental update verifies as a full recomputation does, for every
 * reachable checksum value (including 0x0000/0xFFFF carries). */
static void test_dec_ttl(void **state)
{
	(void)state;
	struct rte_ipv4_hdr ip;

	for (unsigned int i = 0; i < 200000; i++) {
		random_header(&ip);
		if (i < 512) {
			/* Steer the checksum to the carry: change the ID until the
			 * checksum is 0, then store it as 0xFFFF (the same value in
			 * one's complement, as some senders write it) every other time:
			 * adding 0x0100 to that must carry around. */
			for (unsigned int id = 0; id < 65536; id++) {
				ip.packet_id = (uint16_t)id;
				ip.hdr_checksum = 0;
				ip.hdr_checksum = rte_ipv4_cksum(&ip);
				if (ip.hdr_checksum == 0)
					break;
			}
			assert_int_equal(ip.hdr_checksum, 0);
			if (i & 1)
				ip.hdr_checksum = 0xFFFF;
		}
		struct rte_ipv4_hdr want = ip;
		want.time_to_live--;
		dp_ipv4_dec_ttl(&ip);
		assert_int_equal(ip.time_to_live, want.time_to_live);
		assert_true(dp_ipv4_cksum20_ok(&ip));
		assert_int_equal(rte_raw_cksum(&ip, sizeof(ip)), 0xFFFF);
	}
}

/* dp_ipv4_cksum20_ok agrees with rte_raw_cksum on good and damaged headers. */
static void test_cksum20(void **state)
{
	(void)state;
	struct rte_ipv4_hdr ip;

	for (unsigned int i = 0; i < 200000; i++) {
		random_header(&ip);
		if (i & 1) /* damage any byte but version/IHL (a longer header is read further) */
			((uint8_t *)&ip)[1 + rnd() % (sizeof(ip) - 1)] ^= (uint8_t)(1u << (rnd() % 8));
		bool want = rte_raw_cksum(&ip, sizeof(ip)) == 0xFFFF;
		assert_int_equal(dp_ipv4_cksum20_ok(&ip), want);
		assert_int_equal(dp_ipv4_cksum_ok(&ip), want);
	}
}

/* A SYN's MSS above the limit is lowered with a TCP checksum that verifies;
 * one below it, or a segment without SYN, is left alone. */
static void test_mss_clamp(void **state)
{
	(void)state;
	uint8_t pkt[20 + 24] = { 0 };
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)pkt;
	struct rte_tcp_hdr *tcp = (struct rte_tcp_hdr *)(pkt + 20);
	uint8_t *opt = pkt + 40;

	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(sizeof(pkt));
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_TCP;
	ip->src_addr = rte_cpu_to_be_32(0x0A000001);
	ip->dst_addr = rte_cpu_to_be_32(0x0A000002);
	tcp->data_off = (uint8_t)((24 / 4) << 4);
	tcp->tcp_flags = RTE_TCP_SYN_FLAG;
	opt[0] = 2;
	opt[1] = 4;
	opt[2] = 0x05;
	opt[3] = 0xB4; /* 1460 */
	tcp->cksum = rte_ipv4_udptcp_cksum(ip, tcp);

	assert_false(dp_tcp_clamp_mss(ip, sizeof(pkt), 1460));
	assert_true(dp_tcp_clamp_mss(ip, sizeof(pkt), 1400));
	assert_int_equal(opt[2] << 8 | opt[3], 1400);
	assert_int_equal(rte_ipv4_udptcp_cksum_verify(ip, tcp), 0);
	tcp->tcp_flags = RTE_TCP_ACK_FLAG;
	assert_false(dp_tcp_clamp_mss(ip, sizeof(pkt), 1000));
	assert_int_equal(opt[2] << 8 | opt[3], 1400);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dec_ttl),
		cmocka_unit_test(test_cksum20),
		cmocka_unit_test(test_mss_clamp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
