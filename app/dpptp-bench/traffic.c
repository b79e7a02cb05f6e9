/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The benchmark's traffic, written as pcaps with libpcap and replayed by
 * net_pcap with infinite_rx=1 (the same files testpmd replays in the same
 * run): PPTP GRE towards the access port, plain IPv4 towards the uplink,
 * spread over every session in a random order, not one hot session.
 *
 * Replaying a capture forever replays its GRE sequence numbers too, and the
 * data plane (rightly) drops numbers it has seen. So each session appears
 * BENCH_SEQ_PASSES = 4 times, numbered 0, 2^30, 2^31, 3*2^30: every step,
 * including the wrap from the last pass back to the first, is +2^30, which
 * serial arithmetic takes as new (a gap of 2^30 - 1, counted as lost). Each
 * pass has its own random order.
 *
 * With --mppe the peer's packets are encrypted (PPP 0x00FD), and MPPE's
 * 12-bit coherency count must move forward by one per packet, including
 * across the replay's wrap, or the receiver drops the packet as late, or
 * re-keys once per count skipped. So each session appears 4096 times
 * (BENCH_MPPE_LAP), counts 0..4095, GRE numbers pass << 20. The keys do not
 * come round with the counts: after the first lap a replayed packet is
 * decrypted with a later key than it was made with, so it costs the same
 * crypto but decrypts to noise (dropped as ppp_bad). The benchmark counts
 * packets decrypted for this mode (main.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>
#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "bench.h"
#include "proto/gre.h"
#include "mppe/mppe.h"
#include "proto/ppp_frame.h"

uint32_t bench_peer_addr(uint32_t i)
{
	return rte_cpu_to_be_32(BENCH_PEER_BASE + i);
}

uint32_t bench_sub_addr(uint32_t i)
{
	return rte_cpu_to_be_32(BENCH_SUB_BASE + i);
}

uint16_t bench_call_id(uint32_t i)
{
	return (uint16_t)(1 + i % 65535);
}

void bench_mppe_keys(uint32_t i, uint8_t send[16], uint8_t recv[16])
{
	for (unsigned int k = 0; k < 16; k++) {
		send[k] = (uint8_t)(0x40 + k + i * 7);
		recv[k] = (uint8_t)(0x90 + k + i * 13);
	}
}

/* Inner sizes: fixed, or IMIX 7:4:1 of 64, 576 and 1400 bytes. */
static uint16_t inner_size(const struct bench_opts *o, uint64_t n)
{
	static const uint16_t imix[12] = { 64, 64, 64, 64, 64, 64, 64, 576, 576, 576, 576, 1400 };
	return o->imix ? imix[n % 12] : o->pkt_size;
}

uint16_t bench_max_frame(const struct bench_opts *o)
{
	uint16_t inner = o->imix ? 1400 : o->pkt_size;
	return (uint16_t)(RTE_ETHER_HDR_LEN + 20 + GRE_PPTP_MAX_LEN + 4 + MPPE_OVERHEAD + inner);
}

static size_t write_inner(uint8_t *p, uint16_t len, uint32_t src, uint32_t dst)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)p;
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);

	memset(p, 0, len);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(len);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = src;
	ip->dst_addr = dst;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = rte_cpu_to_be_16(1024);
	udp->dst_port = rte_cpu_to_be_16(9); /* discard */
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(len - sizeof(*ip)));
	return len;
}

static void shuffle(uint32_t *a, uint32_t n, unsigned int *seed)
{
	for (uint32_t i = 0; i < n; i++)
		a[i] = i;
	for (uint32_t i = n - 1; i > 0; i--) {
		uint32_t j = (uint32_t)rand_r(seed) % (i + 1);
		uint32_t t = a[i];
		a[i] = a[j];
		a[j] = t;
	}
}

static pcap_dumper_t *open_dump(const char *path, pcap_t **dead)
{
	*dead = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *d = pcap_dump_open(*dead, path);
	if (!d)
		fprintf(stderr, "dpptp-bench: %s: %s\n", path, pcap_geterr(*dead));
	return d;
}

static void put(pcap_dumper_t *d, const uint8_t *frame, size_t len)
{
	struct pcap_pkthdr h = { 0 };
	h.caplen = h.len = (uint32_t)len;
	pcap_dump((u_char *)d, &h, frame);
}

uint64_t bench_write_decap_pcap(const struct bench_opts *o, const char *path)
{
	unsigned int seed = o->seed;
	uint32_t *order = malloc(o->sessions * sizeof(uint32_t));
	struct mppe_dir *peer_tx = o->mppe ? calloc(o->sessions, sizeof(*peer_tx)) : NULL;
	unsigned int passes = o->mppe ? BENCH_MPPE_LAP : BENCH_SEQ_PASSES;
	unsigned int seq_shift = o->mppe ? 20 : 30; /* passes << shift == 2^32 */
	uint8_t f[2048];
	pcap_t *dead;
	pcap_dumper_t *d = open_dump(path, &dead);
	uint64_t n = 0;

	if (!d || !order || (o->mppe && !peer_tx))
		return 0;
	for (uint32_t i = 0; o->mppe && i < o->sessions; i++) {
		uint8_t ours[16], peers[16];
		bench_mppe_keys(i, ours, peers);
		mppe_dir_init(&peer_tx[i], peers, 128, o->mppe == MPPE_STATELESS);
	}
	for (unsigned int pass = 0; pass < passes; pass++) {
		shuffle(order, o->sessions, &seed);
		for (uint32_t k = 0; k < o->sessions; k++, n++) {
			uint32_t i = order[k];
			uint16_t inner = inner_size(o, n);
			struct rte_ether_hdr *eth = (struct rte_ether_hdr *)f;
			struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
			memset(f, 0, RTE_ETHER_HDR_LEN + 20);
			eth->src_addr.addr_bytes[0] = 0x02;
			eth->src_addr.addr_bytes[5] = 0xfe;
			eth->dst_addr.addr_bytes[0] = 0x02;
			eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
			/* A peer that has data to send and acknowledges ours: seq + ack,
			 * the 16-byte header of the brief's minimal PPTP frame. */
			uint16_t extra = o->mppe ? MPPE_OVERHEAD : 0;
			size_t gre = gre_pptp_write((uint8_t *)(ip + 1), bench_call_id(i),
						    (uint16_t)(4 + extra + inner), true,
						    (uint32_t)pass << seq_shift, true, 0);
			uint8_t *ppp = (uint8_t *)(ip + 1) + gre;
			size_t ph = ppp_frame_write(ppp, o->mppe ? MPPE_PROTO : PPP_IP, false, false);
			if (o->mppe) {
				/* [MPPE header][RC4: 0x0021, the packet] */
				uint8_t *mp = ppp + ph;
				mp[2] = 0x00;
				mp[3] = 0x21;
				write_inner(mp + 4, inner, bench_sub_addr(i),
					    rte_cpu_to_be_32(BENCH_REMOTE));
				mppe_encrypt(&peer_tx[i], mp, mp + MPPE_HDR_LEN, (size_t)inner + 2);
			} else {
				write_inner(ppp + ph, inner, bench_sub_addr(i),
					    rte_cpu_to_be_32(BENCH_REMOTE));
			}
			uint16_t total = (uint16_t)(20 + gre + ph + extra + inner);
			ip->version_ihl = RTE_IPV4_VHL_DEF;
			ip->total_length = rte_cpu_to_be_16(total);
			ip->time_to_live = 64;
			ip->next_proto_id = IPPROTO_GRE;
			ip->src_addr = bench_peer_addr(i);
			ip->dst_addr = rte_cpu_to_be_32(BENCH_ACCESS_ADDR);
			ip->hdr_checksum = rte_ipv4_cksum(ip);
			put(d, f, RTE_ETHER_HDR_LEN + total);
		}
	}
	pcap_dump_close(d);
	pcap_close(dead);
	free(order);
	free(peer_tx);
	return n;
}

uint64_t bench_write_encap_pcap(const struct bench_opts *o, const char *path)
{
	unsigned int seed = o->seed + 1;
	uint32_t *order = malloc(o->sessions * sizeof(uint32_t));
	uint8_t f[2048];
	pcap_t *dead;
	pcap_dumper_t *d = open_dump(path, &dead);
	uint64_t n = 0;

	if (!d || !order)
		return 0;
	/* As many frames as the decap capture, so both directions replay the
	 * same amount of distinct traffic. */
	for (unsigned int pass = 0; pass < BENCH_SEQ_PASSES; pass++) {
		shuffle(order, o->sessions, &seed);
		for (uint32_t k = 0; k < o->sessions; k++, n++) {
			uint16_t inner = inner_size(o, n);
			struct rte_ether_hdr *eth = (struct rte_ether_hdr *)f;
			memset(eth, 0, sizeof(*eth));
			eth->src_addr.addr_bytes[0] = 0x02;
			eth->src_addr.addr_bytes[5] = 0x02;
			eth->dst_addr.addr_bytes[0] = 0x02;
			eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
			write_inner((uint8_t *)(eth + 1), inner, rte_cpu_to_be_32(BENCH_REMOTE),
				    bench_sub_addr(order[k]));
			put(d, f, RTE_ETHER_HDR_LEN + inner);
		}
	}
	pcap_dump_close(d);
	pcap_close(dead);
	free(order);
	return n;
}
