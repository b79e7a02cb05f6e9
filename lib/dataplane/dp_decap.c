/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Access -> uplink: classify, validate GRE v1 exactly, find the session by
 * (our call ID, the peer's address), track sequence and acknowledgement
 * numbers, then either forward the inner IPv4 packet upstream or hand the
 * PPP control frame to the control lcore.
 *
 * A burst goes through in three passes, so that memory latency overlaps:
 * parse every header and build the keys; look all keys up at once
 * (rte_hash bulk lookup prefetches its buckets); prefetch every session
 * found; then process.
 */
#include <string.h>

#include <rte_hash.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_prefetch.h>

#include "dp_classify.h"
#include "dp_internal.h"
#include "proto/gre.h"
#include "proto/ppp_frame.h"
#include "proto/pptp_msg.h"

struct decap_ctx {
	struct rte_mbuf *m;
	struct rte_ipv4_hdr *ip;
	struct gre_pptp gre;
	uint8_t port; /* index of the access port it came in on */
};

/* Pass 1 for one frame: true when it is GRE worth a lookup. */
static bool decap_parse(struct dp *dp, struct dp_worker *w, struct rte_mbuf *m,
			struct decap_ctx *c, struct dp_decap_key *key)
{
	unsigned int port = dp->port_index[m->port];
	const struct dp_port_rt *pr = &dp->ports[port];
	uint16_t total, ihl;
	struct rte_ipv4_hdr *ip = dp_outer_ipv4(dp, w, m, port, &total);

	if (!ip)
		return false;
	if (unlikely(ip->dst_addr != pr->conf.addr)) {
		dp_drop(&w->ctr.ip_not_ours, m);
		return false;
	}
	if (unlikely(ip->fragment_offset &
		     rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK))) {
		dp_drop(&w->ctr.ip_fragment, m);
		return false;
	}
	ihl = (uint16_t)rte_ipv4_hdr_len(ip);
	if (likely(ip->next_proto_id == IPPROTO_GRE)) {
		int rc = gre_pptp_parse((uint8_t *)ip + ihl, total - ihl, &c->gre);
		if (unlikely(rc != PROTO_OK)) {
			DP_INC(w->ctr.gre_reject[-rc], 1);
			dp_drop(&w->ctr.gre_rejected, m);
			return false;
		}
		c->m = m;
		c->ip = ip;
		c->port = (uint8_t)port;
		key->peer_addr = ip->src_addr;
		key->call_id = c->gre.call_id;
		key->zero = 0;
		return true;
	}
	/* The exception path: TCP to port 1723 and ICMP, for the kernel. */
	if (ip->next_proto_id == IPPROTO_TCP && total >= ihl + 4) {
		uint16_t dport;
		memcpy(&dport, (uint8_t *)ip + ihl + 2, 2);
		if (dport == rte_cpu_to_be_16(PPTP_TCP_PORT)) {
			DP_INC(w->ctr.punt_tcp, 1);
			dp_punt(w, m, port);
			return false;
		}
	} else if (ip->next_proto_id == IPPROTO_ICMP) {
		DP_INC(w->ctr.punt_icmp, 1);
		dp_punt(w, m, port);
		return false;
	}
	dp_drop(&w->ctr.ip_unsupported, m);
	return false;
}

/* Sequence and acknowledgement tracking; false when the packet must go. */
static bool decap_track(struct dp *dp, struct dp_worker *w, uint32_t slot, struct dp_session *s,
			const struct gre_pptp *g)
{
	if (g->has_ack) {
		if (unlikely(gre_seq_after(g->ack, s->st.tx_seq))) {
			DP_INC(w->ctr.ack_invalid, 1);
			DP_INC(s->ctr.ack_invalid, 1);
		} else if (gre_seq_after(g->ack, s->st.peer_ack)) {
			s->st.peer_ack = g->ack;
		}
	}
	if (!g->has_seq)
		return true;
	if (unlikely(!s->st.rx_started)) {
		/* Peers disagree whether numbering starts at 0 or 1: the first
		 * number seen is the baseline. */
		s->st.rx_started = 1;
		s->st.rx_seq = g->seq;
	} else {
		int32_t d = (int32_t)(g->seq - s->st.rx_seq);
		if (unlikely(d <= 0)) {
			if (d == 0) {
				DP_INC(w->ctr.seq_duplicate, 1);
				DP_INC(s->ctr.seq_duplicate, 1);
			} else {
				DP_INC(w->ctr.seq_late, 1);
				DP_INC(s->ctr.seq_late, 1);
			}
			return false;
		}
		if (unlikely(d > 1)) {
			DP_INC(w->ctr.seq_lost, (uint64_t)(d - 1));
			DP_INC(s->ctr.seq_lost, (uint64_t)(d - 1));
		}
		s->st.rx_seq = g->seq;
	}
	if (s->st.ack_sent != s->st.rx_seq)
		dp_ack_schedule(dp, w, slot, s);
	return true;
}

/* Forward the inner IPv4 packet out of the uplink. Consumes `m`. */
static void decap_forward(struct dp *dp, struct dp_worker *w, uint32_t slot, struct dp_session *s,
			  struct rte_mbuf *m, uint8_t *inner, uint16_t avail)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)inner;
	uint16_t total = dp_ipv4_check(ip, avail);
	unsigned int up = 0;
	uint64_t mac;

	if (unlikely(!s->st.net_up)) {
		dp_drop(&w->ctr.session_not_ready, m);
		return;
	}
	if (unlikely(total == 0)) {
		DP_INC(s->ctr.dropped, 1);
		dp_drop(&w->ctr.inner_bad_header, m);
		return;
	}
	if (unlikely(ip->src_addr != s->st.sub_addr)) {
		DP_INC(s->ctr.spoofed, 1);
		dp_drop(&w->ctr.spoofed, m);
		return;
	}
	if (unlikely(ip->time_to_live <= 1)) {
		DP_INC(s->ctr.dropped, 1);
		DP_INC(w->ctr.ttl_expired, 1);
		dp_punt_icmp(w, m, inner, slot, s, DP_ICMP_TIME_EXCEEDED, 0, DP_ICMP_TO_SUBSCRIBER);
		return;
	}
	dp_ipv4_dec_ttl(ip);
	if (unlikely(dp_tcp_clamp_mss(ip, total, s->st.mss)))
		DP_INC(w->ctr.mss_clamped, 1);

	/* The first uplink port; on-link destinations go straight, the rest to
	 * the gateway, whose MAC every worker reads from one word. */
	while (up < dp->cfg.nb_ports && dp->ports[up].conf.role != DP_PORT_UPLINK)
		up++;
	if (unlikely(up == dp->cfg.nb_ports)) {
		dp_drop(&w->ctr.no_neighbour, m);
		return;
	}
	const struct dp_port_rt *pr = &dp->ports[up];
	rte_be32_t nh = dp_same_subnet(pr, ip->dst_addr) || !pr->conf.gateway ? ip->dst_addr
									       : pr->conf.gateway;
	if (nh == pr->conf.gateway)
		mac = __atomic_load_n(&pr->gw_mac, __ATOMIC_RELAXED);
	else
		mac = dp_neigh_lookup_worker(dp, up, nh);
	if (unlikely(!mac)) {
		dp_request_resolve(dp, w, up, nh);
		dp_drop(&w->ctr.no_neighbour, m);
		return;
	}

	/* Outer headers off, trailing bytes beyond the inner packet off, a new
	 * Ethernet header in the space the old headers leave. */
	rte_pktmbuf_adj(m, (uint16_t)(inner - rte_pktmbuf_mtod(m, uint8_t *) -
				      RTE_ETHER_HDR_LEN));
	rte_pktmbuf_trim(m, (uint16_t)(rte_pktmbuf_pkt_len(m) - RTE_ETHER_HDR_LEN - total));
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	dp_mac_unpack(mac, &eth->dst_addr);
	eth->src_addr = pr->conf.mac;
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);

	DP_INC(s->ctr.rx_bytes, total);
	DP_INC(s->ctr.decap_pkts, 1);
	DP_INC(w->ctr.decap_pkts, 1);
	DP_INC(w->ctr.decap_bytes, total);
	dp_tx_enqueue(dp, w, up, m);
}

/* A PPP control frame (anything but IPv4 data) goes up to the control lcore. */
static void decap_control(struct dp_worker *w, uint32_t slot, struct dp_session *s,
			  struct rte_mbuf *m, uint8_t *ppp, uint16_t len)
{
	rte_pktmbuf_adj(m, (uint16_t)(ppp - rte_pktmbuf_mtod(m, uint8_t *)));
	rte_pktmbuf_trim(m, (uint16_t)(rte_pktmbuf_pkt_len(m) - len));
	struct dp_meta *meta = dp_meta(m);
	meta->type = DP_UP_PPP;
	meta->slot = slot;
	meta->gen = s->cfg.gen;
	DP_INC(s->ctr.ctrl_rx, 1);
	DP_INC(w->ctr.ctrl_up, 1);
	dp_up_enqueue(w, m);
}

static void decap_one(struct dp *dp, struct dp_worker *w, struct decap_ctx *c, uint32_t slot)
{
	struct rte_mbuf *m = c->m;
	struct dp_session *s = &dp->sessions[slot];
	struct ppp_frame f;

	if (unlikely(s->cfg.owner != w->idx)) {
		if (dp_meta(m)->aux) { /* handed in, yet not ours: never loop */
			dp_drop(&w->ctr.no_session, m);
			return;
		}
		if (rte_ring_enqueue(dp->handoff[w->idx][s->cfg.owner], m) != 0) {
			dp_drop(&w->ctr.handoff_ring_full, m);
			return;
		}
		DP_INC(w->ctr.handoff_out, 1);
		return;
	}
	s = dp_session_for_owner(dp, w, slot);
	if (unlikely(s->st.dead)) {
		dp_drop(&w->ctr.no_session, m);
		return;
	}
	if (!decap_track(dp, w, slot, s, &c->gre)) {
		rte_pktmbuf_free(m);
		return;
	}
	DP_INC(s->ctr.rx_pkts, 1);
	if (unlikely(!s->st.mac_known)) {
		/* Answer the MAC the peer's frames come from: the peer itself or
		 * the router in front of it. */
		s->tmpl.eth.dst_addr = rte_pktmbuf_mtod(m, struct rte_ether_hdr *)->src_addr;
		s->st.mac_known = 1;
	}
	if (c->gre.payload_len == 0) {
		dp_drop(&w->ctr.ack_only, m);
		return;
	}
	uint8_t *ppp = (uint8_t *)c->ip + rte_ipv4_hdr_len(c->ip) + c->gre.hdr_len;
	if (unlikely(ppp_frame_parse(ppp, c->gre.payload_len, &f) != PROTO_OK)) {
		dp_drop(&w->ctr.ppp_bad, m);
		return;
	}
	if (likely(f.protocol == PPP_IP))
		decap_forward(dp, w, slot, s, m, ppp + f.hdr_len,
			      (uint16_t)(c->gre.payload_len - f.hdr_len));
	else
		decap_control(w, slot, s, m, ppp, c->gre.payload_len);
}

void dp_decap_burst(struct dp *dp, struct dp_worker *w, struct rte_mbuf **pkts, unsigned int n)
{
	struct decap_ctx ctx[DP_BURST];
	struct dp_decap_key keys[DP_BURST];
	const void *kp[DP_BURST];
	void *data[DP_BURST];
	uint64_t hits = 0;
	unsigned int k = 0;

	for (unsigned int i = 0; i < n; i++) {
		if (i + DP_PREFETCH_OFFSET < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + DP_PREFETCH_OFFSET], void *));
		if (decap_parse(dp, w, pkts[i], &ctx[k], &keys[k])) {
			kp[k] = &keys[k];
			k++;
		}
	}
	if (k == 0)
		return;
	rte_hash_lookup_bulk_data(dp->decap_hash, kp, k, &hits, data);
	for (unsigned int i = 0; i < k; i++)
		if (hits & (1ull << i)) {
			struct dp_session *s = &dp->sessions[(uintptr_t)data[i]];
			rte_prefetch0(s);
			rte_prefetch0(&s->tmpl);
		}
	for (unsigned int i = 0; i < k; i++) {
		if (!(hits & (1ull << i))) {
			dp_drop(&w->ctr.no_session, ctx[i].m);
			continue;
		}
		decap_one(dp, w, &ctx[i], (uint32_t)(uintptr_t)data[i]);
	}
}
