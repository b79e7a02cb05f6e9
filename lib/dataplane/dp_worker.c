/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The worker loop: messages and frames from the control lcore, bursts from
 * every port, packets handed over by other workers, lone acknowledgements,
 * transmission, and a quiescent-state report. No locks, no syscalls.
 */
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_icmp.h>
#include <rte_prefetch.h>
#include <rte_rcu_qsbr.h>

#include "dp_internal.h"
#include "proto/ppp_frame.h"

/* ---- transmit ---- */

void dp_tx_flush_port(struct dp *dp, struct dp_worker *w, unsigned int port)
{
	struct dp_tx_buf *b = &w->tx[port];
	uint16_t sent;

	if (b->n == 0)
		return;
	if (unlikely(__atomic_load_n(&dp->capture_ports, __ATOMIC_ACQUIRE) & (1u << port)))
		dp_capture_burst(dp, w, port, b->pkts, b->n, true);
	sent = rte_eth_tx_burst(dp->ports[port].conf.port_id, (uint16_t)w->idx, b->pkts, b->n);
	if (dp->ports[port].conf.role == DP_PORT_ACCESS)
		DP_INC(w->ctr.access_tx, sent);
	else
		DP_INC(w->ctr.uplink_tx, sent);
	if (unlikely(sent < b->n)) {
		DP_INC(w->ctr.tx_dropped, b->n - sent);
		rte_pktmbuf_free_bulk(&b->pkts[sent], b->n - sent);
	}
	b->n = 0;
}

void dp_tx_flush(struct dp *dp, struct dp_worker *w)
{
	for (unsigned int p = 0; p < dp->cfg.nb_ports; p++)
		dp_tx_flush_port(dp, w, p);
}

/* ---- towards the control lcore ---- */

void dp_up_enqueue(struct dp_worker *w, struct rte_mbuf *m)
{
	if (unlikely(rte_ring_enqueue(w->up, m) != 0)) {
		DP_INC(w->ctr.up_ring_full, 1);
		DP_INC(w->up_full, 1);
		rte_pktmbuf_free(m);
	}
}

/* A message that must arrive: kept until the ring has room. */
static void up_enqueue_reliable(struct dp_worker *w, struct rte_mbuf *m)
{
	if (w->nb_stash == 0 && rte_ring_enqueue(w->up, m) == 0)
		return;
	w->stash[w->nb_stash++] = m; /* the caller checks room first */
}

static void flush_stash(struct dp_worker *w)
{
	unsigned int i = 0;
	while (i < w->nb_stash && rte_ring_enqueue(w->up, w->stash[i]) == 0)
		i++;
	if (i > 0) {
		memmove(w->stash, w->stash + i, (w->nb_stash - i) * sizeof(w->stash[0]));
		w->nb_stash -= i;
	}
}

void dp_request_resolve(struct dp *dp, struct dp_worker *w, unsigned int port, rte_be32_t addr)
{
	struct rte_mbuf *m;

	/* Ask at most once per address in a small window of recent asks, and
	 * forget them every 100 ms: the control lcore has its own retry timers. */
	if (w->now - w->resolve_tsc > dp->tsc_hz / 10) {
		memset(w->resolve_last, 0, sizeof(w->resolve_last));
		w->resolve_tsc = w->now;
	}
	for (unsigned int i = 0; i < RTE_DIM(w->resolve_last); i++) {
		if (w->resolve_last[i] == addr)
			return;
		if (w->resolve_last[i] == 0) {
			w->resolve_last[i] = addr;
			m = rte_pktmbuf_alloc(dp->cfg.pool);
			if (!m) {
				DP_INC(w->ctr.mbuf_alloc_failed, 1);
				return;
			}
			rte_be32_t *p = (rte_be32_t *)rte_pktmbuf_append(m, sizeof(addr));
			*p = addr;
			struct dp_meta *meta = dp_meta(m);
			memset(meta, 0, sizeof(*meta));
			meta->type = DP_UP_RESOLVE;
			meta->port = (uint8_t)port;
			dp_up_enqueue(w, m);
			return;
		}
	}
}

void dp_punt_icmp(struct dp_worker *w, struct rte_mbuf *m, const uint8_t *inner, uint32_t slot,
		  const struct dp_session *s, uint8_t type, uint8_t code, uint8_t toward)
{
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)inner;
	uint16_t total = rte_be_to_cpu_16(ip->total_length);
	uint16_t keep = (uint16_t)RTE_MIN(total, rte_ipv4_hdr_len(ip) + DP_ICMP_QUOTE);

	/* Never answer an ICMP error with one (RFC 1122 3.2.2). */
	if (ip->next_proto_id == IPPROTO_ICMP && total >= rte_ipv4_hdr_len(ip) + 1) {
		uint8_t t = inner[rte_ipv4_hdr_len(ip)];
		if (t != RTE_IP_ICMP_ECHO_REQUEST && t != RTE_IP_ICMP_ECHO_REPLY) {
			rte_pktmbuf_free(m);
			return;
		}
	}
	rte_pktmbuf_adj(m, (uint16_t)(inner - rte_pktmbuf_mtod(m, const uint8_t *)));
	rte_pktmbuf_trim(m, (uint16_t)(rte_pktmbuf_pkt_len(m) - keep));
	struct dp_meta *meta = dp_meta(m);
	meta->type = DP_UP_ICMP;
	meta->slot = slot;
	meta->gen = s->cfg.gen;
	meta->port = toward;
	meta->aux = (uint16_t)(type << 8 | code);
	dp_up_enqueue(w, m);
}

/* ---- sessions as their owner sees them ---- */

static uint32_t sum16(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)b[i] << 8 | b[i + 1];
	return s;
}

void dp_session_adopt(struct dp *dp, uint32_t slot, struct dp_session *s)
{
	const struct dp_port_rt *port = &dp->ports[s->cfg.port];
	struct dp_session_tmpl *t = &s->tmpl;

	(void)slot;
	memset(&s->st, 0, sizeof(s->st));
	memset(&s->ctr, 0, sizeof(s->ctr));
	s->st.gen = s->cfg.gen;

	t->eth.dst_addr = s->init_mac;
	s->st.mac_known = !rte_is_zero_ether_addr(&s->init_mac);
	t->eth.src_addr = port->conf.mac;
	t->eth.ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	memset(&t->ip, 0, sizeof(t->ip));
	t->ip.version_ihl = RTE_IPV4_VHL_DEF;
	t->ip.time_to_live = 64;
	t->ip.next_proto_id = IPPROTO_GRE;
	t->ip.src_addr = port->conf.addr;
	t->ip.dst_addr = s->cfg.peer_addr;
	t->ip_sum = sum16(&t->ip, sizeof(t->ip));
}

/* ---- lone acknowledgements ---- */

void dp_ack_schedule(struct dp *dp, struct dp_worker *w, uint32_t slot, struct dp_session *s)
{
	if (s->st.ack_queued)
		return;
	if (unlikely(w->ackq_tail - w->ackq_head > w->ackq_mask)) {
		dp_send_lone_ack(dp, w, slot, s); /* queue full: do not wait */
		return;
	}
	struct dp_ack_entry *e = &w->ackq[w->ackq_tail++ & w->ackq_mask];
	e->slot = slot;
	e->gen = s->cfg.gen;
	e->due_tsc = w->now + dp->lone_ack_tsc;
	s->st.ack_queued = 1;
}

static unsigned int run_ack_timers(struct dp *dp, struct dp_worker *w)
{
	unsigned int sent = 0;

	while (w->ackq_head != w->ackq_tail) {
		struct dp_ack_entry *e = &w->ackq[w->ackq_head & w->ackq_mask];
		if (e->due_tsc > w->now)
			break;
		w->ackq_head++;
		struct dp_session *s = &dp->sessions[e->slot];
		if (s->cfg.gen != e->gen || s->st.gen != e->gen || s->st.dead)
			continue;
		s->st.ack_queued = 0;
		if (s->st.ack_owed) {
			dp_send_lone_ack(dp, w, e->slot, s);
			sent++;
		}
	}
	return sent;
}

/* ---- messages and frames from the control lcore ---- */

static bool meta_session(struct dp *dp, const struct dp_meta *meta)
{
	return meta->slot >= 1 && meta->slot <= dp->cfg.max_sessions &&
	       dp->sessions[meta->slot].cfg.gen == meta->gen;
}

static bool mppe_same_keys(const struct mppe_dir *d, const uint8_t key[16], unsigned int bits,
			   bool stateless)
{
	unsigned int b = bits == 40 || bits == 56 ? bits : 128;
	return d->keylen && d->bits == b && d->stateless == stateless &&
	       memcmp(d->start_key, key, d->keylen) == 0;
}

/* The network comes up with MPPE. When IPCP was renegotiated under the same
 * keys the ciphers run on: restarting them from the start keys would put us
 * out of step with the peer's, which do not restart. */
static void mppe_keys_in(struct dp_mppe *mp, const struct dp_session_net *n)
{
	if (mppe_same_keys(&mp->tx, n->mppe_send_key, n->mppe_bits, n->mppe_stateless) &&
	    mppe_same_keys(&mp->rx, n->mppe_recv_key, n->mppe_bits, n->mppe_stateless))
		return;
	mppe_dir_init(&mp->tx, n->mppe_send_key, n->mppe_bits, n->mppe_stateless);
	mppe_dir_init(&mp->rx, n->mppe_recv_key, n->mppe_bits, n->mppe_stateless);
	mp->resync_tsc = 0;
}

static void handle_down(struct dp *dp, struct dp_worker *w, struct rte_mbuf *m)
{
	struct dp_meta *meta = dp_meta(m);
	struct dp_session *s = NULL;

	if (meta->type == DP_DOWN_RAW) {
		dp_tx_enqueue(dp, w, meta->port, m);
		return;
	}
	if (!meta_session(dp, meta)) {
		DP_INC(w->ctr.down_stale, 1);
		dp_msg_free(m);
		return;
	}
	s = dp_session_for_owner(dp, w, meta->slot);
	switch (meta->type) {
	case DP_DOWN_PPP: /* a PPP frame, header included: sent as it is (clear) */
	case DP_DOWN_IP:  /* IPv4: framed, and encrypted under MPPE, like data */
		if (s->st.dead) {
			DP_INC(w->ctr.down_stale, 1);
			break;
		}
		DP_INC(w->ctr.down_frames, 1);
		DP_INC(s->ctr.ctrl_tx, 1);
		dp_encap_send(dp, w, meta->slot, s, m, meta->type == DP_DOWN_IP ? PPP_IP : 0);
		return;
	case DP_DOWN_INSTALL:
		break; /* adopting was the job */
	case DP_DOWN_SET_NET: {
		const struct dp_session_net *n = rte_pktmbuf_mtod(m, const struct dp_session_net *);
		s->st.sub_addr = n->sub_addr;
		s->st.mtu = n->mtu;
		s->st.mss = n->mtu > 40 ? (uint16_t)(n->mtu - 40) : 0;
		s->st.acfc = n->acfc;
		s->st.pfc = n->pfc;
		s->st.ppp_form = (uint8_t)((n->acfc ? 2 : 0) | (n->pfc ? 1 : 0));
		s->st.mppe = n->mppe && dp->mppe;
		if (s->st.mppe)
			mppe_keys_in(&dp->mppe[meta->slot], n);
		s->st.net_up = 1;
		break;
	}
	case DP_DOWN_CLEAR_NET:
		s->st.net_up = 0;
		s->st.sub_addr = 0;
		s->st.mppe = 0;
		break;
	case DP_DOWN_MPPE_FLUSH:
		if (s->st.mppe)
			mppe_request_flush(&dp->mppe[meta->slot].tx);
		break;
	case DP_DOWN_SET_MAC:
		s->tmpl.eth.dst_addr = *rte_pktmbuf_mtod(m, const struct rte_ether_addr *);
		s->st.mac_known = 1;
		break;
	case DP_DOWN_REMOVE: {
		s->st.dead = 1;
		s->st.net_up = 0;
		if (dp->mppe) { /* no key outlives its session */
			mppe_dir_wipe(&dp->mppe[meta->slot].tx);
			mppe_dir_wipe(&dp->mppe[meta->slot].rx);
		}
		/* Reuse the message to carry the final counters back. */
		rte_pktmbuf_reset(m);
		struct dp_session_counters *c =
			(struct dp_session_counters *)rte_pktmbuf_append(m, sizeof(*c));
		if (c)
			memcpy(c, &s->ctr, sizeof(*c));
		meta->type = DP_UP_REMOVED;
		up_enqueue_reliable(w, m);
		return;
	}
	default:
		break;
	}
	dp_msg_free(m);
}

static unsigned int poll_down(struct dp *dp, struct dp_worker *w)
{
	struct rte_mbuf *pkts[DP_BURST];
	unsigned int room = RTE_DIM(w->stash) - w->nb_stash;
	unsigned int n;

	if (room == 0)
		return 0; /* the control lcore is behind: wait for it */
	n = rte_ring_dequeue_burst(w->down, (void **)pkts, RTE_MIN(room, (unsigned)DP_BURST),
				   NULL);
	for (unsigned int i = 0; i < n; i++)
		handle_down(dp, w, pkts[i]);
	return n;
}

/* ---- the loop ---- */

static void dispatch(struct dp *dp, struct dp_worker *w, unsigned int port, struct rte_mbuf **pkts,
		     unsigned int n)
{
	w->rx_port = (uint8_t)port;
	if (dp->ports[port].conf.role == DP_PORT_ACCESS)
		dp_decap_burst(dp, w, port, pkts, n);
	else
		dp_encap_burst(dp, w, port, pkts, n);
}

/* Frames another worker received for sessions this one owns; the sender put
 * the receiving port's index in the metadata. */
static unsigned int poll_handoff(struct dp *dp, struct dp_worker *w)
{
	struct rte_mbuf *pkts[DP_BURST];
	unsigned int total = 0;

	w->handed_in = 1; /* never hand these on */
	for (unsigned int from = 0; from < dp->cfg.nb_workers; from++) {
		struct rte_ring *r = dp->handoff[from][w->idx];
		unsigned int n;
		if (!r)
			continue;
		n = rte_ring_dequeue_burst(r, (void **)pkts, DP_BURST, NULL);
		if (n == 0)
			continue;
		DP_INC(w->ctr.handoff_in, n);
		/* Runs of frames from one port go together. */
		for (unsigned int i = 0, j; i < n; i = j) {
			unsigned int port = dp_meta(pkts[i])->port;
			for (j = i + 1; j < n && dp_meta(pkts[j])->port == port; j++)
				;
			dispatch(dp, w, port, pkts + i, j - i);
		}
		total += n;
	}
	w->handed_in = 0;
	return total;
}

unsigned int dp_worker_poll(struct dp *dp, unsigned int widx)
{
	struct dp_worker *w = &dp->workers[widx];
	struct rte_mbuf *pkts[DP_BURST];
	unsigned int work = 0;

	w->now = rte_rdtsc();
	if (w->nb_stash)
		flush_stash(w);
	work += poll_down(dp, w);
	for (unsigned int p = 0; p < dp->cfg.nb_ports; p++) {
		const struct dp_port_conf *pc = &dp->ports[p].conf;
		uint16_t n = rte_eth_rx_burst(pc->port_id, (uint16_t)widx, pkts, DP_BURST);
		if (n == 0)
			continue;
		if (unlikely(__atomic_load_n(&dp->capture_ports, __ATOMIC_ACQUIRE) & (1u << p)))
			dp_capture_burst(dp, w, p, pkts, n, false);
		if (pc->role == DP_PORT_ACCESS)
			DP_INC(w->ctr.access_rx, n);
		else
			DP_INC(w->ctr.uplink_rx, n);
		dispatch(dp, w, p, pkts, n);
		work += n;
	}
	if (dp->cfg.nb_workers > 1)
		work += poll_handoff(dp, w);
	work += run_ack_timers(dp, w);
	dp_tx_flush(dp, w);
	/* Between polls a worker holds no session pointer. */
	rte_rcu_qsbr_quiescent(dp->qsbr, widx);
	return work;
}

int dp_worker_run(struct dp *dp, unsigned int widx)
{
	rte_rcu_qsbr_thread_online(dp->qsbr, widx);
	while (!__atomic_load_n(&dp->quit, __ATOMIC_ACQUIRE)) {
		unsigned int n = dp_worker_poll(dp, widx);
		if (n == 0 && dp->cfg.idle_sleep_us)
			rte_delay_us_sleep(dp->cfg.idle_sleep_us);
	}
	dp_tx_flush(dp, &dp->workers[widx]);
	/* Gone: grace periods no longer wait for this worker. */
	rte_rcu_qsbr_thread_offline(dp->qsbr, widx);
	return 0;
}
