/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ICMP errors a router owes (RFC 1812 4.3): "time exceeded" when a TTL runs
 * out here and "fragmentation needed" (with our MTU, for path MTU discovery)
 * when a DF packet does not fit the tunnel. Built on the control lcore from
 * what the workers punt, from the uplink address, and rate limited.
 */
#include <string.h>

#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>

#include "dp_internal.h"
#include "dp_log.h"

#define ICMP_RATE 1000  /* per second */
#define ICMP_BURST 100

static bool icmp_allowed(struct dp *dp)
{
	uint64_t now = rte_rdtsc();
	uint64_t per = dp->tsc_hz / ICMP_RATE;
	uint64_t add = per ? (now - dp->icmp_tsc) / per : ICMP_BURST;

	if (add) {
		dp->icmp_tokens = RTE_MIN(dp->icmp_tokens + add, (uint64_t)ICMP_BURST);
		dp->icmp_tsc = now;
	}
	if (dp->icmp_tokens == 0) {
		dp->icmp_limited++;
		return false;
	}
	dp->icmp_tokens--;
	return true;
}

static int uplink_port(const struct dp *dp)
{
	for (unsigned int i = 0; i < dp->cfg.nb_ports; i++)
		if (dp->ports[i].conf.role == DP_PORT_UPLINK)
			return (int)i;
	return -1;
}

/* Write IPv4 + ICMP error quoting `orig` (len bytes) at `p`; returns length. */
static uint16_t build_icmp(uint8_t *p, rte_be32_t src, rte_be32_t dst, uint8_t type,
			   uint8_t code, uint16_t mtu, const uint8_t *orig, uint16_t len)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)p;
	struct rte_icmp_hdr *icmp = (struct rte_icmp_hdr *)(ip + 1);
	uint16_t total = (uint16_t)(sizeof(*ip) + sizeof(*icmp) + len);

	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(total);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_ICMP;
	ip->src_addr = src;
	ip->dst_addr = dst;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	icmp->icmp_type = type;
	icmp->icmp_code = code;
	icmp->icmp_cksum = 0;
	icmp->icmp_ident = 0;
	/* "Fragmentation needed" carries the next-hop MTU (RFC 1191). */
	icmp->icmp_seq_nb = rte_cpu_to_be_16(type == DP_ICMP_UNREACH ? mtu : 0);
	memcpy(icmp + 1, orig, len);
	icmp->icmp_cksum = (uint16_t)~rte_raw_cksum(icmp, sizeof(*icmp) + len);
	return total;
}

void dp_icmp_input(struct dp *dp, struct rte_mbuf *m)
{
	const struct dp_meta *meta = dp_meta(m);
	uint32_t slot = meta->slot;
	int up = uplink_port(dp);
	uint8_t buf[RTE_ETHER_HDR_LEN + 20 + 8 + 60 + DP_ICMP_QUOTE];

	if (up < 0 || slot < 1 || slot > dp->cfg.max_sessions ||
	    dp->slots[slot].state != DP_SLOT_LIVE || dp->sessions[slot].cfg.gen != meta->gen ||
	    rte_pktmbuf_data_len(m) < sizeof(struct rte_ipv4_hdr) || !icmp_allowed(dp)) {
		rte_pktmbuf_free(m);
		return;
	}
	const struct rte_ipv4_hdr *orig = rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *);
	uint16_t qlen = (uint16_t)RTE_MIN(rte_pktmbuf_data_len(m), (uint32_t)(60 + DP_ICMP_QUOTE));
	rte_be32_t us = dp->ports[up].conf.addr;
	uint8_t type = (uint8_t)(meta->aux >> 8), code = (uint8_t)meta->aux;

	if (meta->port == DP_ICMP_TO_SUBSCRIBER) {
		/* Back through the tunnel as the session's data: numbered, framed
		 * and (with MPPE) encrypted like any other packet to it. */
		uint16_t n = build_icmp(buf, us, orig->src_addr, type, code, 0,
					(const uint8_t *)orig, qlen);
		dp_session_send_ipv4(dp, (uint64_t)meta->gen << 32 | slot, buf, n);
		rte_pktmbuf_free(m);
	} else {
		rte_be32_t dst = orig->src_addr;
		struct rte_ether_addr mac;
		rte_be32_t nh = dp_next_hop(dp, (unsigned int)up, dst);
		if (!dp_neigh_lookup_ctrl(dp, (unsigned int)up, nh, &mac)) {
			dp_neigh_want(dp, (unsigned int)up, nh);
			rte_pktmbuf_free(m);
			return;
		}
		struct rte_ether_hdr *eth = (struct rte_ether_hdr *)buf;
		eth->dst_addr = mac;
		eth->src_addr = dp->ports[up].conf.mac;
		eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
		uint16_t n = build_icmp(buf + RTE_ETHER_HDR_LEN, us, dst, type, code,
					dp->slots[slot].mtu, (const uint8_t *)orig, qlen);
		/* Reuse the punted mbuf for the answer. */
		rte_pktmbuf_reset(m);
		uint8_t *p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)(RTE_ETHER_HDR_LEN + n));
		if (!p) {
			rte_pktmbuf_free(m);
			return;
		}
		memcpy(p, buf, RTE_ETHER_HDR_LEN + n);
		dp_ctrl_send_raw(dp, (unsigned int)up, m);
	}
	dp->icmp_sent++;
}
