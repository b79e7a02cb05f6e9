/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet capture at run time, per port, both directions, optionally of one
 * session only (peer address and/or call ID). Workers check one word per
 * burst (`capture_ports`): with no capture running, that is all they pay.
 * When capturing, a worker copies the matching frames into its capture ring;
 * the control lcore drains the rings (dp_capture_poll) and writes the pcap.
 * dpdk-dumpcap would need a secondary process and hugepages; this works under
 * --no-huge too.
 */
#include <errno.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "dp_internal.h"
#include "proto/gre.h"

/* Whether a frame is the filtered session's: its GRE (either direction) or
 * TCP 1723 with the peer. Outer IPv4 only; anything else does not match. */
static bool capture_match(const struct dp_capture_filter *f, const struct rte_mbuf *m)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t len = rte_pktmbuf_data_len(m);
	const struct rte_ipv4_hdr *ip;

	if (!f->peer_addr && !f->call_id)
		return true;
	if (len < RTE_ETHER_HDR_LEN + sizeof(*ip) || p[12] != 0x08 || p[13] != 0x00)
		return false;
	ip = (const struct rte_ipv4_hdr *)(p + RTE_ETHER_HDR_LEN);
	if (f->peer_addr && ip->src_addr != f->peer_addr && ip->dst_addr != f->peer_addr)
		return false;
	if (f->call_id) {
		size_t ihl = rte_ipv4_hdr_len(ip);
		if (ip->next_proto_id != IPPROTO_GRE || len < RTE_ETHER_HDR_LEN + ihl + 8)
			return false;
		/* The call ID in the GRE key is the receiver's: ours inbound,
		 * the peer's outbound. Either matches the session. */
		uint16_t cid = wire_get_be16(p + RTE_ETHER_HDR_LEN + ihl + 6);
		if (cid != f->call_id && cid != f->peer_call_id)
			return false;
	}
	return true;
}

void dp_capture_burst(struct dp *dp, struct dp_worker *w, unsigned int port,
		      struct rte_mbuf **pkts, unsigned int n, bool tx)
{
	const struct dp_capture_filter *f = &dp->capture[port];

	for (unsigned int i = 0; i < n; i++) {
		if (!capture_match(f, pkts[i]))
			continue;
		struct rte_mbuf *c = rte_pktmbuf_copy(pkts[i], dp->cfg.pool, 0, UINT32_MAX);
		if (!c) {
			DP_INC(w->ctr.mbuf_alloc_failed, 1);
			continue;
		}
		struct dp_meta *meta = dp_meta(c);
		memset(meta, 0, sizeof(*meta));
		meta->port = (uint8_t)port;
		meta->aux = tx;
		/* The poll's TSC, for the pcap timestamp (slot/gen are unused). */
		meta->slot = (uint32_t)w->now;
		meta->gen = (uint32_t)(w->now >> 32);
		if (rte_ring_enqueue(w->capture, c) != 0) {
			DP_INC(w->ctr.capture_dropped, 1);
			rte_pktmbuf_free(c);
		}
	}
}

int dp_capture_start(struct dp *dp, unsigned int port, const struct dp_capture_filter *f)
{
	if (port >= dp->cfg.nb_ports)
		return -EINVAL;
	dp->capture[port] = f ? *f : (struct dp_capture_filter){ 0 };
	/* The filter above is complete before any worker sees the bit. */
	__atomic_fetch_or(&dp->capture_ports, 1u << port, __ATOMIC_RELEASE);
	return 0;
}

int dp_capture_stop(struct dp *dp, unsigned int port)
{
	if (port >= dp->cfg.nb_ports)
		return -EINVAL;
	__atomic_fetch_and(&dp->capture_ports, ~(1u << port), __ATOMIC_RELEASE);
	return 0;
}

unsigned int dp_capture_poll(struct dp *dp, dp_capture_fn fn, void *arg)
{
	struct rte_mbuf *m[DP_BURST];
	unsigned int total = 0;

	for (unsigned int w = 0; w < dp->cfg.nb_workers; w++) {
		unsigned int n = rte_ring_dequeue_burst(dp->workers[w].capture, (void **)m, DP_BURST,
							NULL);
		for (unsigned int i = 0; i < n; i++) {
			uint64_t tsc = (uint64_t)dp_meta(m[i])->gen << 32 | dp_meta(m[i])->slot;
			if (fn && rte_pktmbuf_linearize(m[i]) == 0)
				fn(arg, dp_meta(m[i])->port, dp_meta(m[i])->aux,
				   rte_pktmbuf_mtod(m[i], const uint8_t *), rte_pktmbuf_data_len(m[i]),
				   tsc);
			rte_pktmbuf_free(m[i]);
		}
		total += n;
	}
	return total;
}
