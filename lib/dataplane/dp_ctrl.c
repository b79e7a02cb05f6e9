/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control lcore's share of the data plane: drain the rings from the
 * workers (PPP control frames, punted frames, removal acknowledgements,
 * resolution requests), bridge the exception path to the tap ports in both
 * directions, keep neighbours fresh and reclaim removed sessions.
 */
#include <string.h>

#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#include "dp_internal.h"
#include "dp_log.h"

void dp_session_removed(struct dp *dp, uint32_t slot, uint32_t gen,
			const struct dp_session_counters *final);
unsigned int dp_session_reclaim(struct dp *dp, const struct dp_ctrl_hooks *hooks, void *arg);

/* Whether a worker's message names a session still live (its slot not
 * reused since); its id if so. */
static bool up_session(const struct dp *dp, const struct dp_meta *meta, dp_session_id *id)
{
	uint32_t slot = meta->slot;
	if (slot < 1 || slot > dp->cfg.max_sessions || dp->slots[slot].state != DP_SLOT_LIVE ||
	    dp->sessions[slot].cfg.gen != meta->gen)
		return false;
	*id = (uint64_t)meta->gen << 32 | slot;
	return true;
}

static void up_ppp(struct dp *dp, struct rte_mbuf *m, const struct dp_ctrl_hooks *hooks,
		   void *arg)
{
	dp_session_id id;

	if (hooks && hooks->ppp_frame && up_session(dp, dp_meta(m), &id)) {
		/* Control frames are small; a chained mbuf is linearised first. */
		if (m->nb_segs == 1 || rte_pktmbuf_linearize(m) == 0)
			hooks->ppp_frame(arg, id, rte_pktmbuf_mtod(m, const uint8_t *),
					 rte_pktmbuf_data_len(m));
	}
	rte_pktmbuf_free(m);
}

/* A frame from the wire for the kernel (TCP 1723, ICMP) or for us (ARP). */
static void up_punt(struct dp *dp, struct rte_mbuf *m)
{
	unsigned int port = dp_meta(m)->port;
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);

	if (eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP)) {
		dp_arp_input(dp, port, m);
		return;
	}
	uint16_t tap = dp->ports[port].conf.tap_port_id;
	if (tap == DP_NO_PORT || rte_eth_tx_burst(tap, 0, &m, 1) != 1)
		rte_pktmbuf_free(m);
}

static unsigned int drain_up(struct dp *dp, struct dp_worker *w, const struct dp_ctrl_hooks *hooks,
			     void *arg)
{
	struct rte_mbuf *pkts[DP_BURST];
	unsigned int n = rte_ring_dequeue_burst(w->up, (void **)pkts, DP_BURST, NULL);

	for (unsigned int i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		const struct dp_meta *meta = dp_meta(m);
		switch (meta->type) {
		case DP_UP_PPP:
			up_ppp(dp, m, hooks, arg);
			break;
		case DP_UP_PUNT:
			up_punt(dp, m);
			break;
		case DP_UP_REMOVED:
			dp_session_removed(dp, meta->slot, meta->gen,
					   rte_pktmbuf_data_len(m) >= sizeof(struct dp_session_counters)
						   ? rte_pktmbuf_mtod(m, const struct dp_session_counters *)
						   : NULL);
			rte_pktmbuf_free(m);
			break;
		case DP_UP_MPPE_RESYNC: {
			dp_session_id id;
			if (hooks && hooks->mppe_resync && up_session(dp, meta, &id))
				hooks->mppe_resync(arg, id);
			rte_pktmbuf_free(m);
			break;
		}
		case DP_UP_ICMP:
			dp_icmp_input(dp, m);
			break;
		case DP_UP_RESOLVE:
			if (rte_pktmbuf_data_len(m) >= sizeof(rte_be32_t))
				dp_neigh_want(dp, meta->port, *rte_pktmbuf_mtod(m, rte_be32_t *));
			rte_pktmbuf_free(m);
			break;
		default:
			rte_pktmbuf_free(m);
		}
	}
	return n;
}

/* What the kernel sends through a tap goes out of the tap's physical port.
 * Only IPv4 and ARP: the kernel's IPv6 chatter has no business on the wire. */
static unsigned int drain_taps(struct dp *dp)
{
	struct rte_mbuf *pkts[DP_BURST];
	unsigned int total = 0;

	for (unsigned int p = 0; p < dp->cfg.nb_ports; p++) {
		uint16_t tap = dp->ports[p].conf.tap_port_id;
		if (tap == DP_NO_PORT)
			continue;
		uint16_t n = rte_eth_rx_burst(tap, 0, pkts, DP_BURST);
		for (uint16_t i = 0; i < n; i++) {
			const struct rte_ether_hdr *eth =
				rte_pktmbuf_mtod(pkts[i], const struct rte_ether_hdr *);
			if (rte_pktmbuf_data_len(pkts[i]) >= sizeof(*eth) &&
			    (eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) ||
			     eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP)))
				dp_ctrl_send_raw(dp, p, pkts[i]);
			else
				rte_pktmbuf_free(pkts[i]);
		}
		total += n;
	}
	return total;
}

unsigned int dp_ctrl_poll(struct dp *dp, const struct dp_ctrl_hooks *hooks, void *arg)
{
	unsigned int work = 0;

	for (unsigned int w = 0; w < dp->cfg.nb_workers; w++)
		work += drain_up(dp, &dp->workers[w], hooks, arg);
	work += drain_taps(dp);
	work += dp_neigh_poll(dp);
	work += dp_session_reclaim(dp, hooks, arg);
	return work;
}
