/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The first look at a received frame, common to both directions: Ethernet
 * type, then the outer IPv4 header (version, IHL, lengths, checksum unless
 * the NIC checked it). ARP is punted to the control lcore on the spot.
 */
#ifndef DPPTP_DP_CLASSIFY_H
#define DPPTP_DP_CLASSIFY_H

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "dp_inner.h"
#include "dp_internal.h"

static inline void dp_punt(struct dp_worker *w, struct rte_mbuf *m, unsigned int port)
{
	struct dp_meta *meta = dp_meta(m);
	meta->type = DP_UP_PUNT;
	meta->port = (uint8_t)port;
	dp_up_enqueue(w, m);
}

static inline void dp_drop(uint64_t *ctr, struct rte_mbuf *m)
{
	DP_INC(*ctr, 1);
	rte_pktmbuf_free(m);
}

/*
 * Returns the IPv4 header of `m` with its total length in *total, or NULL
 * when the frame was consumed (punted ARP, or dropped and counted). The
 * whole IPv4 packet is in the first segment when this returns non-NULL.
 */
static inline struct rte_ipv4_hdr *dp_outer_ipv4(const struct dp *dp, struct dp_worker *w,
						 struct rte_mbuf *m, unsigned int port,
						 uint16_t *total)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	uint32_t len = rte_pktmbuf_data_len(m);
	struct rte_ipv4_hdr *ip;

	if (unlikely(len < sizeof(*eth))) {
		dp_drop(&w->ctr.not_ipv4, m);
		return NULL;
	}
	if (unlikely(eth->ether_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4))) {
		if (eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP)) {
			DP_INC(w->ctr.punt_arp, 1);
			dp_punt(w, m, port);
		} else {
			dp_drop(&w->ctr.not_ipv4, m);
		}
		return NULL;
	}
	ip = (struct rte_ipv4_hdr *)(eth + 1);
	*total = dp_ipv4_check(ip, len - (uint32_t)sizeof(*eth));
	if (unlikely(*total == 0)) {
		dp_drop(&w->ctr.ip_bad_header, m);
		return NULL;
	}
	switch (m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) {
	case RTE_MBUF_F_RX_IP_CKSUM_GOOD:
		break;
	case RTE_MBUF_F_RX_IP_CKSUM_BAD:
		dp_drop(&w->ctr.ip_bad_checksum, m);
		return NULL;
	default:
		if (dp->cfg.verify_ip_checksum && unlikely(!dp_ipv4_cksum_ok(ip))) {
			dp_drop(&w->ctr.ip_bad_checksum, m);
			return NULL;
		}
	}
	return ip;
}

#endif /* DPPTP_DP_CLASSIFY_H */
