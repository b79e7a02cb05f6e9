/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Uplink -> access: find the session by the inner destination (rte_lpm, so
 * that routes behind a subscriber can be added later), act as a router
 * (TTL, MSS clamping), then prepend PPP, enhanced GRE (sequence number, and
 * the acknowledgement when there is something new to acknowledge), IPv4 and
 * Ethernet from the session's template. Control-plane frames and lone
 * acknowledgements are built here too, from the same sequence counter.
 */
#include <string.h>

#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_lpm.h>
#include <rte_prefetch.h>

#include "dp_classify.h"
#include "dp_internal.h"
#include "proto/gre.h"
#include "proto/ppp_frame.h"

/* Fill the outer IPv4 length, ID and checksum from the template's sum. */
static inline void finish_ipv4(struct dp_session *s, struct rte_ipv4_hdr *ip, uint16_t total)
{
	uint16_t id = ++s->st.ip_id;
	uint32_t sum = s->tmpl.ip_sum + total + id;

	sum = (sum & 0xFFFF) + (sum >> 16);
	sum = (sum & 0xFFFF) + (sum >> 16);
	ip->total_length = rte_cpu_to_be_16(total);
	ip->packet_id = rte_cpu_to_be_16(id);
	ip->hdr_checksum = rte_cpu_to_be_16((uint16_t)~sum);
}

/* The peer's MAC must be known before anything goes out. */
static bool peer_mac_ready(struct dp *dp, struct dp_worker *w, struct dp_session *s)
{
	if (likely(s->st.mac_known))
		return true;
	rte_be32_t nh = dp_next_hop(dp, s->cfg.port, s->cfg.peer_addr);
	uint64_t mac = dp_neigh_lookup_worker(dp, s->cfg.port, nh);
	if (!mac) {
		dp_request_resolve(dp, w, s->cfg.port, nh);
		return false;
	}
	dp_mac_unpack(mac, &s->tmpl.eth.dst_addr);
	s->st.mac_known = 1;
	return true;
}

void dp_encap_send(struct dp *dp, struct dp_worker *w, uint32_t slot, struct dp_session *s,
		   struct rte_mbuf *m, uint16_t ppp_proto)
{
	uint8_t *p;

	if (unlikely(!peer_mac_ready(dp, w, s))) {
		dp_drop(&w->ctr.no_neighbour, m);
		return;
	}
	if (ppp_proto == PPP_IP && s->st.mppe) {
		/* MPPE: [2-byte header][encrypted: protocol 0x0021, the packet],
		 * carried as PPP protocol 0x00FD. */
		p = rte_pktmbuf_is_contiguous(m)
			    ? (uint8_t *)rte_pktmbuf_prepend(m, MPPE_HDR_LEN + 2)
			    : NULL; /* encrypted in place: one segment */
		if (unlikely(!p)) {
			dp_drop(&w->ctr.too_big, m);
			return;
		}
		p[2] = 0x00;
		p[3] = 0x21;
		mppe_encrypt(&dp->mppe[slot].tx, p, p + MPPE_HDR_LEN,
			     rte_pktmbuf_pkt_len(m) - MPPE_HDR_LEN);
		DP_INC(w->ctr.mppe_encrypted, 1);
		ppp_proto = PPP_COMP;
	}
	bool ack = s->st.ack_owed;
	size_t ppp_len = ppp_proto ? ppp_frame_hdr_len(ppp_proto, s->st.acfc, s->st.pfc) : 0;
	size_t gre_len = gre_pptp_hdr_len(true, ack);
	uint32_t payload = rte_pktmbuf_pkt_len(m) + (uint32_t)ppp_len;

	p = (uint8_t *)rte_pktmbuf_prepend(m, (uint16_t)(sizeof(s->tmpl.eth) + sizeof(s->tmpl.ip) +
							  gre_len + ppp_len));
	if (unlikely(!p || payload > UINT16_MAX - 64)) {
		DP_INC(s->ctr.dropped, 1);
		dp_drop(&w->ctr.too_big, m);
		return;
	}
	memcpy(p, &s->tmpl.eth, sizeof(s->tmpl.eth) + sizeof(s->tmpl.ip));
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(p + sizeof(s->tmpl.eth));
	finish_ipv4(s, ip, (uint16_t)(sizeof(*ip) + gre_len + payload));

	uint8_t *gre = (uint8_t *)(ip + 1);
	gre_pptp_write(gre, s->cfg.peer_call_id, (uint16_t)payload, true, ++s->st.tx_seq, ack,
		       s->st.rx_seq);
	if (ack) {
		s->st.ack_sent = s->st.rx_seq;
		s->st.ack_owed = 0;
	}
	if (ppp_proto)
		ppp_frame_write(gre + gre_len, ppp_proto, s->st.acfc, s->st.pfc);

	DP_INC(s->ctr.tx_pkts, 1);
	DP_INC(s->ctr.tx_bytes, payload - ppp_len);
	dp_tx_enqueue(dp, w, s->cfg.port, m);
}

void dp_send_lone_ack(struct dp *dp, struct dp_worker *w, uint32_t slot, struct dp_session *s)
{
	const size_t len = sizeof(s->tmpl.eth) + sizeof(s->tmpl.ip) + gre_pptp_hdr_len(false, true);
	struct rte_mbuf *m;
	uint8_t *p;

	(void)slot;
	if (!peer_mac_ready(dp, w, s))
		return; /* the next data packet or timer will carry it */
	m = rte_pktmbuf_alloc(dp->cfg.pool);
	if (unlikely(!m)) {
		DP_INC(w->ctr.mbuf_alloc_failed, 1);
		return;
	}
	p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)len);
	memcpy(p, &s->tmpl.eth, sizeof(s->tmpl.eth) + sizeof(s->tmpl.ip));
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(p + sizeof(s->tmpl.eth));
	finish_ipv4(s, ip, (uint16_t)(len - sizeof(s->tmpl.eth)));
	gre_pptp_write((uint8_t *)(ip + 1), s->cfg.peer_call_id, 0, false, 0, true, s->st.rx_seq);
	s->st.ack_sent = s->st.rx_seq;
	s->st.ack_owed = 0;
	DP_INC(s->ctr.lone_acks, 1);
	DP_INC(w->ctr.lone_acks, 1);
	dp_tx_enqueue(dp, w, s->cfg.port, m);
}

struct encap_ctx {
	struct rte_mbuf *m;
	struct rte_ipv4_hdr *ip;
	uint16_t total;
};

/* Pass 1 for one frame, every check: true when it is IPv4 to route towards
 * a subscriber. */
static __rte_noinline bool encap_parse_full(struct dp *dp, struct dp_worker *w, unsigned int port,
					    struct rte_mbuf *m, struct encap_ctx *c,
					    uint32_t *dst_host)
{
	struct rte_ipv4_hdr *ip = dp_outer_ipv4(dp, w, m, port, &c->total);

	if (!ip)
		return false;
	if (unlikely(ip->dst_addr == dp->ports[port].conf.addr)) {
		if (ip->next_proto_id == IPPROTO_ICMP) {
			DP_INC(w->ctr.punt_icmp, 1);
			dp_punt(w, m, port);
		} else {
			dp_drop(&w->ctr.ip_unsupported, m);
		}
		return false;
	}
	c->m = m;
	c->ip = ip;
	*dst_host = rte_be_to_cpu_32(ip->dst_addr);
	return true;
}

/* Pass 1: Ethernet type IPv4 and a 20-byte header (bytes 12..14, one masked
 * word), lengths, checksum, not for us; anything else the full checks. */
#define ENCAP_FAST_MASK 0x00FFFFFFu
#define ENCAP_FAST_WANT 0x00450008u

static __rte_always_inline bool encap_parse(struct dp *dp, struct dp_worker *w, unsigned int port,
					    struct rte_mbuf *m, struct encap_ctx *c,
					    uint32_t *dst_host)
{
	uint8_t *f = rte_pktmbuf_mtod(m, uint8_t *);
	uint16_t len = rte_pktmbuf_data_len(m);
	uint32_t q0;
	rte_be32_t dst;

	if (unlikely(len < RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr)))
		return encap_parse_full(dp, w, port, m, c, dst_host);
	memcpy(&q0, f + 12, sizeof(q0));
	memcpy(&dst, f + 30, sizeof(dst));
	uint16_t total = wire_get_be16(f + 16);
	bool fits = total >= sizeof(struct rte_ipv4_hdr) && total <= len - RTE_ETHER_HDR_LEN;
	uint64_t nic = m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK;
	bool sum_ok = nic == RTE_MBUF_F_RX_IP_CKSUM_GOOD ||
		      (nic != RTE_MBUF_F_RX_IP_CKSUM_BAD &&
		       (!dp->cfg.verify_ip_checksum || dp_ipv4_cksum20_ok(f + RTE_ETHER_HDR_LEN)));
	if (unlikely((q0 & ENCAP_FAST_MASK) != ENCAP_FAST_WANT || !fits || !sum_ok ||
		     dst == dp->ports[port].conf.addr))
		return encap_parse_full(dp, w, port, m, c, dst_host);
	c->m = m;
	c->ip = (struct rte_ipv4_hdr *)(f + RTE_ETHER_HDR_LEN);
	c->total = total;
	*dst_host = __builtin_bswap32(dst);
	return true;
}

/* The PPP header of IPv4 in each negotiated form (st.ppp_form), right-aligned
 * in four bytes so that one store writes it just before the packet. */
static const uint8_t ppp_ip_hdr[4][4] = {
	{ PPP_ADDRESS, PPP_CONTROL, 0x00, 0x21 }, /* full */
	{ 0, PPP_ADDRESS, PPP_CONTROL, 0x21 },    /* PFC */
	{ 0, 0, 0x00, 0x21 },                     /* ACFC */
	{ 0, 0, 0, 0x21 },                        /* both */
};
static const uint8_t ppp_ip_len[4] = { 4, 3, 2, 1 };

/*
 * The common case of dp_encap_send, written out: a clear IPv4 packet in one
 * segment with room in front, for a peer whose MAC is known. The headers are
 * written back to front: the PPP word first (its spare leading bytes fall
 * where GRE goes), GRE's first eight bytes as one word, then the template.
 * `ip` is the inner packet, `total` its length. Consumes `m`.
 */
static __rte_always_inline void encap_ipv4_fast(struct dp *dp, struct dp_worker *w,
						 struct dp_session *s, struct rte_mbuf *m,
						 uint8_t *ip, uint16_t total)
{
	unsigned int form = s->st.ppp_form & 3;
	bool ack = s->st.ack_owed;
	uint16_t ppp_len = ppp_ip_len[form];
	/* gre_pptp_hdr_len(true, ack), spelt out: through the call GCC spends four
	 * more instructions per packet here (callgrind). */
	uint16_t gre_len = ack ? 16 : 12;
	uint16_t hdrs = (uint16_t)(RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr) + gre_len + ppp_len);
	uint16_t payload = (uint16_t)(total + ppp_len);
	uint8_t *p = ip - hdrs;

	memcpy(ip - 4, ppp_ip_hdr[form], 4);
	uint8_t *gre = p + RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr);
	uint16_t flags = (uint16_t)(GRE_FLAG_K | GRE_FLAG_S | GRE_PPTP_VERSION | (ack ? GRE_FLAG_A : 0));
	uint64_t g = (uint64_t)__builtin_bswap16(flags) |
		     (uint64_t)__builtin_bswap16(GRE_PROTO_PPP) << 16 |
		     (uint64_t)__builtin_bswap16(payload) << 32 |
		     (uint64_t)__builtin_bswap16(s->cfg.peer_call_id) << 48;
	memcpy(gre, &g, sizeof(g));
	wire_put_be32(gre + 8, ++s->st.tx_seq);
	if (ack) {
		wire_put_be32(gre + 12, s->st.rx_seq);
		s->st.ack_sent = s->st.rx_seq;
		s->st.ack_owed = 0;
	}
	memcpy(p, &s->tmpl.eth, sizeof(s->tmpl.eth) + sizeof(s->tmpl.ip));
	finish_ipv4(s, (struct rte_ipv4_hdr *)(p + RTE_ETHER_HDR_LEN),
		    (uint16_t)(sizeof(struct rte_ipv4_hdr) + gre_len + payload));
	m->data_off = (uint16_t)(p - (uint8_t *)m->buf_addr);
	m->data_len = (uint16_t)(hdrs + total);
	m->pkt_len = m->data_len;
	DP_INC(s->ctr.tx_pkts, 1);
	DP_INC(s->ctr.tx_bytes, total);
	dp_tx_enqueue(dp, w, s->cfg.port, m);
}

/* Everything in front of a fast-path frame: Ethernet, IPv4, GRE with both
 * numbers, the full PPP header. */
#define ENCAP_MAX_HDRS (RTE_ETHER_HDR_LEN + 20 + GRE_PPTP_BASE_LEN + 8 + 4)

/* Route one packet into its session; true when it was forwarded. */
static __rte_always_inline bool encap_one(struct dp *dp, struct dp_worker *w,
					  struct encap_ctx *c, uint32_t slot)
{
	struct rte_mbuf *m = c->m;
	struct rte_ipv4_hdr *ip = c->ip;
	struct dp_session *s = &dp->sessions[slot];

	if (unlikely(s->cfg.owner != w->idx)) {
		dp_hand_off(dp, w, s->cfg.owner, m);
		return false;
	}
	s = dp_session_for_owner(dp, w, slot);
	if (unlikely(!s->st.net_up || s->st.dead)) {
		dp_drop(&w->ctr.session_not_ready, m);
		return false;
	}
	if (unlikely(ip->time_to_live <= 1)) {
		DP_INC(s->ctr.dropped, 1);
		DP_INC(w->ctr.ttl_expired, 1);
		dp_punt_icmp(w, m, (uint8_t *)ip, slot, s, DP_ICMP_TIME_EXCEEDED, 0,
			     DP_ICMP_TO_INTERNET);
		return false;
	}
	if (unlikely(c->total > s->st.mtu)) {
		/* Path MTU discovery: DF set -> "fragmentation needed" with our
		 * MTU; otherwise dropped (not fragmented: docs/dataplane.md). */
		DP_INC(s->ctr.dropped, 1);
		DP_INC(w->ctr.too_big, 1);
		if (ip->fragment_offset & rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG))
			dp_punt_icmp(w, m, (uint8_t *)ip, slot, s, DP_ICMP_UNREACH, DP_ICMP_FRAG_NEEDED,
				     DP_ICMP_TO_INTERNET);
		else
			rte_pktmbuf_free(m);
		return false;
	}
	if (unlikely(dp->cfg.enforce_tx_window &&
		     s->st.tx_seq - s->st.peer_ack >= s->cfg.peer_window)) {
		DP_INC(s->ctr.dropped, 1);
		dp_drop(&w->ctr.window_full, m);
		return false;
	}
	dp_ipv4_dec_ttl(ip);
	if (unlikely(ip->next_proto_id == IPPROTO_TCP) && dp_tcp_clamp_mss(ip, c->total, s->st.mss))
		DP_INC(w->ctr.mss_clamped, 1);
	DP_INC(s->ctr.encap_pkts, 1);

	/* (The size bound is dp_encap_send's, so that both paths drop alike.) */
	if (likely(!s->st.mppe && s->st.mac_known && m->nb_segs == 1 &&
		   m->data_off + RTE_ETHER_HDR_LEN >= ENCAP_MAX_HDRS &&
		   c->total <= UINT16_MAX - 64 - 4)) {
		encap_ipv4_fast(dp, w, s, m, (uint8_t *)ip, c->total);
		return true;
	}
	/* Down to the inner packet: no Ethernet header, no trailing padding. */
	rte_pktmbuf_adj(m, RTE_ETHER_HDR_LEN);
	rte_pktmbuf_trim(m, (uint16_t)(rte_pktmbuf_pkt_len(m) - c->total));
	dp_encap_send(dp, w, slot, s, m, PPP_IP);
	return true;
}

void dp_encap_burst(struct dp *dp, struct dp_worker *w, unsigned int port, struct rte_mbuf **pkts,
		    unsigned int n)
{
	struct encap_ctx ctx[DP_BURST];
	uint32_t dst[DP_BURST], hop[DP_BURST];
	unsigned int k = 0, sent = 0;
	uint64_t bytes = 0;

	for (unsigned int i = 0; i < n; i++) {
		if (i + DP_PREFETCH_OFFSET < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + DP_PREFETCH_OFFSET], void *));
		if (encap_parse(dp, w, port, pkts[i], &ctx[k], &dst[k]))
			k++;
	}
	if (k == 0)
		return;
	rte_lpm_lookup_bulk(dp->encap_lpm, dst, hop, k);
	for (unsigned int i = 0; i < k; i++)
		if (hop[i] & RTE_LPM_LOOKUP_SUCCESS) {
			struct dp_session *s = &dp->sessions[hop[i] & 0x00FFFFFF];
			rte_prefetch0(s);
			rte_prefetch0(&s->tmpl);
			rte_prefetch0(&s->ctr.tx_pkts);
		}
	for (unsigned int i = 0; i < k; i++) {
		if (!(hop[i] & RTE_LPM_LOOKUP_SUCCESS)) {
			dp_drop(&w->ctr.no_session, ctx[i].m);
			continue;
		}
		if (encap_one(dp, w, &ctx[i], hop[i] & 0x00FFFFFF)) {
			sent++;
			bytes += ctx[i].total;
		}
	}
	DP_INC(w->ctr.encap_pkts, sent);
	DP_INC(w->ctr.encap_bytes, bytes);
}
