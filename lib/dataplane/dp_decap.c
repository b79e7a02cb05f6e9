/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Access -> uplink: classify, validate GRE v1 exactly, find the session by
 * (our call ID, the peer's address), track sequence and acknowledgement
 * numbers, then either forward the inner IPv4 packet upstream or hand the
 * PPP control frame to the control lcore.
 *
 * A burst goes through two passes so that memory latency overlaps: stage A
 * validates each frame's outer headers, reads the call-ID table and
 * prefetches the session; stage B then finishes the frames, whose sessions
 * have had a whole pass to arrive in cache. The common case (a GRE data
 * packet with a 20-byte outer header, FF03 0021, a 20-byte inner header) is
 * straight-line code; anything unusual falls back to the full checks and the
 * protocol library, which name the exact reject reason.
 */
#include <string.h>

#include <rte_hash.h>
#include <rte_ip.h>
#include <rte_prefetch.h>

#include "dp_classify.h"
#include "dp_internal.h"
#include "proto/gre.h"
#include "proto/ppp_frame.h"
#include "proto/pptp_msg.h"

struct decap_ctx {
	struct rte_mbuf *m;
	uint8_t *gre;       /* the GRE header */
	uint32_t w0;        /* its first word, host order */
	uint16_t hdr;       /* its length */
	uint32_t slot;      /* from the call-ID table (to be checked) */
	rte_be32_t peer;    /* the outer source address */
	uint16_t call_id;   /* our call ID, from the GRE key */
};

/*
 * The fast path's test: the fixed bytes that every GRE data packet to us
 * shares, checked as three masked 64-bit words (little-endian loads):
 *   bytes 12..19: Ethernet type IPv4, version 4 with a 20-byte header;
 *   bytes 20..27: neither MF nor a fragment offset, protocol GRE;
 *   bytes 30..37: our address, GRE with K and S (C, R, s, recursion and
 *                 flags clear; A either way), version 1, protocol PPP.
 * A frame that fails it takes the full path, which finds what is wrong.
 */
#define FAST_MASK0 0x0000000000FFFFFFull
#define FAST_WANT0 0x0000000000450008ull
#define FAST_MASK1 0x00000000FF00FF3Full
#define FAST_WANT1 0x000000002F000000ull
#define FAST_MASK2 0xFFFF7FFFFFFFFFFFull
#define FAST_GRE_WORD 0x0B880130ull /* bytes 30 (K|S), 01, 88, 0B */
#define FAST_MIN_LEN (RTE_ETHER_HDR_LEN + 20 + 16)

void dp_port_fast_init(struct dp_port_rt *p)
{
	uint64_t type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);

	p->decap_want = (uint64_t)p->conf.addr | FAST_GRE_WORD << 32;
	p->eth_src_type = 0;
	memcpy(&p->eth_src_type, &p->conf.mac, RTE_ETHER_ADDR_LEN);
	p->eth_src_type |= type << 48;
}

static inline uint64_t load64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

/* S (bit 28 of the first word) and A (bit 23) each add four bytes. */
static inline uint16_t gre_hdr_len(uint32_t w0)
{
	return (uint16_t)(GRE_PPTP_BASE_LEN + ((w0 >> 26) & 4) + ((w0 >> 21) & 4));
}

static void gre_reject(struct dp_worker *w, struct rte_mbuf *m, const uint8_t *gre,
		       uint16_t avail)
{
	struct gre_pptp g;
	int rc = gre_pptp_parse(gre, avail, &g);
	if (rc == PROTO_OK) /* cannot happen: the fast check is stricter */
		rc = PROTO_E(INVAL);
	DP_INC(w->ctr.gre_reject[-rc], 1);
	dp_drop(&w->ctr.gre_rejected, m);
}

/* The exception path: TCP to port 1723 and ICMP, for the kernel. */
static void decap_not_gre(struct dp_worker *w, struct rte_mbuf *m, struct rte_ipv4_hdr *ip,
			  uint16_t total, unsigned int port)
{
	uint16_t ihl = (uint16_t)rte_ipv4_hdr_len(ip);

	if (ip->next_proto_id == IPPROTO_TCP && total >= ihl + 4) {
		uint16_t dport;
		memcpy(&dport, (uint8_t *)ip + ihl + 2, 2);
		if (dport == rte_cpu_to_be_16(PPTP_TCP_PORT)) {
			DP_INC(w->ctr.punt_tcp, 1);
			dp_punt(w, m, port);
			return;
		}
	} else if (ip->next_proto_id == IPPROTO_ICMP) {
		DP_INC(w->ctr.punt_icmp, 1);
		dp_punt(w, m, port);
		return;
	}
	dp_drop(&w->ctr.ip_unsupported, m);
}

/* Stage A's result for a frame both paths accepted: the context stage B
 * needs, the call-ID table read, the session's two lines prefetched. */
static __rte_always_inline void decap_ctx_fill(const struct dp *dp, struct decap_ctx *c,
					       struct rte_mbuf *m, uint8_t *gre, uint32_t w0,
					       uint16_t hdr, rte_be32_t peer)
{
	c->m = m;
	c->gre = gre;
	c->w0 = w0;
	c->hdr = hdr;
	c->peer = peer;
	c->call_id = wire_get_be16(gre + 6);
	c->slot = __atomic_load_n(&dp->by_call_id[c->call_id], __ATOMIC_ACQUIRE);
	rte_prefetch0(&dp->sessions[c->slot]);
	rte_prefetch0(&dp->sessions[c->slot].tmpl);
}

/* Stage A for one frame, every check: true when it is valid GRE worth a
 * session lookup. */
static __rte_noinline bool decap_stage_a_full(struct dp *dp, struct dp_worker *w,
					      unsigned int port, struct rte_mbuf *m,
					      struct decap_ctx *c)
{
	const struct dp_port_rt *pr = &dp->ports[port];
	uint16_t total;
	struct rte_ipv4_hdr *ip = dp_outer_ipv4(dp, w, m, port, &total);

	if (unlikely(!ip))
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
	if (unlikely(ip->next_proto_id != IPPROTO_GRE)) {
		decap_not_gre(w, m, ip, total, port);
		return false;
	}
	uint16_t ihl = (uint16_t)rte_ipv4_hdr_len(ip);
	uint8_t *gre = (uint8_t *)ip + ihl;
	uint16_t avail = (uint16_t)(total - ihl);
	if (unlikely(avail < GRE_PPTP_BASE_LEN)) {
		gre_reject(w, m, gre, avail);
		return false;
	}
	/* Everything but S and A must match exactly: K=1, version 1, 0x880B. */
	uint32_t w0 = wire_get_be32(gre);
	const uint32_t fixed_mask = ~((uint32_t)(GRE_FLAG_S | GRE_FLAG_A) << 16);
	const uint32_t fixed_want = ((uint32_t)(GRE_FLAG_K | GRE_PPTP_VERSION) << 16) | GRE_PROTO_PPP;
	uint16_t hdr = gre_hdr_len(w0), plen = wire_get_be16(gre + 4);
	bool has_seq = w0 & ((uint32_t)GRE_FLAG_S << 16);
	bool has_ack = w0 & ((uint32_t)GRE_FLAG_A << 16);
	if (unlikely((w0 & fixed_mask) != fixed_want || avail < hdr || plen > avail - hdr ||
		     (!has_seq && (plen || !has_ack)))) {
		gre_reject(w, m, gre, avail);
		return false;
	}
	decap_ctx_fill(dp, c, m, gre, w0, hdr, ip->src_addr);
	return true;
}

/* Stage A for one frame: the common case in a few instructions, anything
 * else through the full checks. */
static __rte_always_inline bool decap_stage_a(struct dp *dp, struct dp_worker *w,
					      unsigned int port, struct rte_mbuf *m,
					      struct decap_ctx *c)
{
	uint8_t *f = rte_pktmbuf_mtod(m, uint8_t *);
	uint16_t len = rte_pktmbuf_data_len(m);

	if (unlikely(len < FAST_MIN_LEN))
		return decap_stage_a_full(dp, w, port, m, c);
	uint64_t q2 = load64(f + 30);
	uint64_t miss = ((load64(f + 12) & FAST_MASK0) ^ FAST_WANT0) |
			((load64(f + 20) & FAST_MASK1) ^ FAST_WANT1) |
			((q2 & FAST_MASK2) ^ dp->ports[port].decap_want);
	uint8_t *gre = f + RTE_ETHER_HDR_LEN + 20;
	uint32_t w0 = __builtin_bswap32((uint32_t)(q2 >> 32));
	uint16_t total = wire_get_be16(f + 16), plen = wire_get_be16(gre + 4);
	uint16_t hdr = gre_hdr_len(w0);
	/* The IP packet fits the frame, GRE and its payload fit the packet. */
	bool fits = total <= len - RTE_ETHER_HDR_LEN && 20u + hdr + plen <= total;
	/* As dp_outer_ipv4: the NIC's verdict, else our own check if asked for. */
	uint64_t nic = m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK;
	bool sum_ok = nic == RTE_MBUF_F_RX_IP_CKSUM_GOOD ||
		      (nic != RTE_MBUF_F_RX_IP_CKSUM_BAD &&
		       (!dp->cfg.verify_ip_checksum || dp_ipv4_cksum20_ok(f + RTE_ETHER_HDR_LEN)));
	if (unlikely(miss || !fits || !sum_ok))
		return decap_stage_a_full(dp, w, port, m, c);
	rte_be32_t peer;
	memcpy(&peer, f + 26, sizeof(peer));
	decap_ctx_fill(dp, c, m, gre, w0, hdr, peer);
	return true;
}

/* The slot of (peer, call ID): the call-ID table, else the overflow hash. */
static inline uint32_t decap_lookup(const struct dp *dp, const struct decap_ctx *c)
{
	if (likely(c->slot && dp->sessions[c->slot].cfg.peer_addr == c->peer))
		return c->slot;
	if (__atomic_load_n(&dp->decap_overflow, __ATOMIC_ACQUIRE)) {
		struct dp_decap_key key = { .peer_addr = c->peer, .call_id = c->call_id };
		void *data;
		if (rte_hash_lookup_data(dp->decap_hash, &key, &data) >= 0)
			return (uint32_t)(uintptr_t)data;
	}
	return 0;
}

/* Sequence and acknowledgement tracking; false when the packet must go. */
static inline bool decap_track(struct dp *dp, struct dp_worker *w, uint32_t slot,
			       struct dp_session *s, const uint8_t *gre, uint32_t w0, uint16_t hdr)
{
	if (w0 & ((uint32_t)GRE_FLAG_A << 16)) {
		uint32_t ack = wire_get_be32(gre + hdr - 4);
		if (unlikely(gre_seq_after(ack, s->st.tx_seq))) {
			DP_INC(w->ctr.ack_invalid, 1);
			DP_INC(s->ctr.ack_invalid, 1);
		} else if (gre_seq_after(ack, s->st.peer_ack)) {
			s->st.peer_ack = ack;
		}
	}
	if (!(w0 & ((uint32_t)GRE_FLAG_S << 16)))
		return true;
	uint32_t seq = wire_get_be32(gre + 8);
	if (unlikely(!s->st.rx_started)) {
		/* Peers disagree whether numbering starts at 0 or 1: the first
		 * number seen is the baseline. */
		s->st.rx_started = 1;
	} else {
		int32_t d = (int32_t)(seq - s->st.rx_seq);
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
	}
	s->st.rx_seq = seq;
	s->st.ack_owed = 1;
	if (!s->st.ack_queued)
		dp_ack_schedule(dp, w, slot, s);
	return true;
}

/* What a burst forwards: sent to the uplink together at the burst's end,
 * counted once. */
struct decap_out {
	unsigned int n;
	uint64_t bytes;
	struct rte_mbuf *pkts[DP_BURST];
};

/* Forward the inner IPv4 packet out of the uplink. Consumes `m`. */
static __rte_always_inline void decap_forward(struct dp *dp, struct dp_worker *w, uint32_t slot,
				 struct dp_session *s, struct rte_mbuf *m, uint8_t *inner,
				 uint16_t avail, struct decap_out *out)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)inner;
	unsigned int up = dp->uplink;
	uint16_t total;
	uint64_t mac;

	if (unlikely(!s->st.net_up)) {
		dp_drop(&w->ctr.session_not_ready, m);
		return;
	}
	if (likely(avail >= sizeof(*ip) && ip->version_ihl == RTE_IPV4_VHL_DEF)) {
		total = __builtin_bswap16(ip->total_length);
		if (unlikely(total > avail || total < sizeof(*ip)))
			total = 0;
	} else {
		total = dp_ipv4_check(ip, avail);
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
	if (unlikely(ip->next_proto_id == IPPROTO_TCP) && dp_tcp_clamp_mss(ip, total, s->st.mss))
		DP_INC(w->ctr.mss_clamped, 1);

	/* The first uplink port; on-link destinations go straight, the rest to
	 * the gateway, whose MAC every worker reads from one word. */
	if (unlikely(up == dp->cfg.nb_ports)) {
		dp_drop(&w->ctr.no_neighbour, m);
		return;
	}
	const struct dp_port_rt *pr = &dp->ports[up];
	if (likely(pr->conf.gateway && !dp_same_subnet(pr, ip->dst_addr))) {
		mac = __atomic_load_n(&pr->gw_mac, __ATOMIC_RELAXED);
		if (unlikely(!mac))
			dp_request_resolve(dp, w, up, pr->conf.gateway);
	} else {
		mac = dp_neigh_lookup_worker(dp, up, ip->dst_addr);
		if (unlikely(!mac))
			dp_request_resolve(dp, w, up, ip->dst_addr);
	}
	if (unlikely(!mac)) {
		dp_drop(&w->ctr.no_neighbour, m);
		return;
	}

	/* Outer headers off, trailing bytes beyond the inner packet off, a new
	 * Ethernet header in the space the old headers leave. The frame is one
	 * segment (dp_outer_ipv4), so the mbuf is adjusted directly. */
	uint16_t off = (uint16_t)(inner - RTE_ETHER_HDR_LEN - (uint8_t *)m->buf_addr);
	m->data_off = off;
	m->data_len = (uint16_t)(RTE_ETHER_HDR_LEN + total);
	m->pkt_len = m->data_len;
	/* Two overlapping 8-byte stores: the packed MAC (its two spare bytes
	 * overwritten next), then our MAC and the type. memcpy, because the
	 * inner packet may sit at an odd address (ACFC/PFC shorten the PPP
	 * header by one byte each). */
	uint8_t *eth = inner - RTE_ETHER_HDR_LEN;
	memcpy(eth, &mac, sizeof(mac));
	memcpy(eth + RTE_ETHER_ADDR_LEN, &pr->eth_src_type, sizeof(pr->eth_src_type));

	DP_INC(s->ctr.rx_bytes, total);
	DP_INC(s->ctr.decap_pkts, 1);
	out->bytes += total;
	out->pkts[out->n++] = m;
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

/*
 * The coherency count is not authenticated: a packet forged with the peer's
 * address and our call ID can claim a jump of up to 0xF00 counts, each a
 * SHA-1 and an RC4 key set-up on a stateless receiver (~3 ms of a worker
 * shared by many sessions). Re-keys spent on gaps are rate-limited per
 * session (GCRA: MPPE_SKIP_RATE a second, bursts of MPPE_SKIP_BURST, more
 * than the largest legal jump); real loss stays far below it.
 */
#define MPPE_SKIP_RATE 8192u
#define MPPE_SKIP_BURST 4096u

static bool mppe_skip_allowed(const struct dp *dp, const struct dp_worker *w,
			      struct dp_mppe *mp, unsigned int n)
{
	uint64_t t = dp->tsc_hz / MPPE_SKIP_RATE;
	uint64_t tat = RTE_MAX(mp->skip_tat, w->now);
	uint64_t next = tat + (uint64_t)n * t;

	if (next > w->now + (uint64_t)MPPE_SKIP_BURST * t)
		return false;
	mp->skip_tat = next;
	return true;
}

/* An MPPE packet (PPP protocol 0x00FD): decrypt in place, then forward the
 * IPv4 packet inside like a clear one. */
static __rte_noinline void decap_mppe(struct dp *dp, struct dp_worker *w, uint32_t slot,
				      struct dp_session *s, struct rte_mbuf *m, uint8_t *p,
				      uint16_t len, struct decap_out *out)
{
	struct dp_mppe *mp = &dp->mppe[slot];
	struct mppe_dir before;
	int rc;

	if (unlikely(len < MPPE_HDR_LEN + 2)) {
		DP_INC(s->ctr.mppe_errors, 1);
		dp_drop(&w->ctr.mppe_bad, m);
		return;
	}
	/* A gap: the receiver will re-key past the missing counts. Keep the
	 * state as it was, so that a packet that turns out not to be the
	 * peer's (its plaintext is not IPv4) cannot move the keys on. */
	unsigned int gap = (mppe_hdr_ccount(p) - mp->rx.ccount) & MPPE_CCOUNT_MASK;
	bool jumped = gap > 1 && gap <= MPPE_MAX_JUMP;
	if (unlikely(jumped)) {
		if (mp->rx.stateless && !mppe_skip_allowed(dp, w, mp, gap - 1)) {
			DP_INC(s->ctr.mppe_errors, 1);
			dp_drop(&w->ctr.mppe_jump, m);
			return;
		}
		before = mp->rx;
	}
	rc = mppe_decrypt(&mp->rx, p, p + MPPE_HDR_LEN, (size_t)(len - MPPE_HDR_LEN));
	if (unlikely(rc != MPPE_OK)) {
		DP_INC(s->ctr.mppe_errors, 1);
		switch (rc) {
		case MPPE_ERR_LATE:
			dp_drop(&w->ctr.mppe_late, m);
			return;
		case MPPE_ERR_JUMP:
			dp_drop(&w->ctr.mppe_jump, m);
			return;
		case MPPE_ERR_RESYNC:
			/* Ask the control plane for a CCP Reset-Request, at most
			 * every 500 ms: the peer answers with a flushed packet. */
			if (w->now - mp->resync_tsc > dp->tsc_hz / 2) {
				mp->resync_tsc = w->now;
				struct dp_meta *meta = dp_meta(m);
				meta->type = DP_UP_MPPE_RESYNC;
				meta->slot = slot;
				meta->gen = s->cfg.gen;
				DP_INC(w->ctr.mppe_resync, 1);
				dp_up_enqueue(w, m);
				return;
			}
			dp_drop(&w->ctr.mppe_resync, m);
			return;
		default:
			dp_drop(&w->ctr.mppe_bad, m);
			return;
		}
	}
	DP_INC(w->ctr.mppe_decrypted, 1);
	/* The decrypted packet starts with its PPP protocol field (1 or 2 bytes). */
	uint8_t *q = p + MPPE_HDR_LEN;
	uint16_t qlen = (uint16_t)(len - MPPE_HDR_LEN), ph = (q[0] & 1) ? 1 : 2;
	uint16_t proto = ph == 1 ? q[0] : (uint16_t)(q[0] << 8 | q[1]);
	bool ipv4 = proto == PPP_IP && qlen > ph && (q[ph] & 0xF0) == 0x40;
	if (unlikely(jumped)) {
		if (!ipv4)
			mp->rx = before; /* not the peer's: the keys stay where they were */
		explicit_bzero(&before, sizeof(before));
	}
	if (unlikely(!ipv4)) {
		DP_INC(s->ctr.mppe_errors, 1);
		dp_drop(&w->ctr.ppp_bad, m);
		return;
	}
	decap_forward(dp, w, slot, s, m, q + ph, (uint16_t)(qlen - ph), out);
}

/* Stage B: the session is (probably) in cache now. */
static __rte_always_inline void decap_stage_b(struct dp *dp, struct dp_worker *w,
					      struct decap_ctx *c, struct decap_out *out)
{
	struct rte_mbuf *m = c->m;
	uint32_t slot = decap_lookup(dp, c);
	struct dp_session *s;

	if (unlikely(!slot)) {
		dp_drop(&w->ctr.no_session, m);
		return;
	}
	s = &dp->sessions[slot];
	if (unlikely(s->cfg.owner != w->idx)) {
		dp_hand_off(dp, w, s->cfg.owner, m);
		return;
	}
	s = dp_session_for_owner(dp, w, slot);
	if (unlikely(s->st.dead)) {
		dp_drop(&w->ctr.no_session, m);
		return;
	}
	uint16_t hdr = c->hdr;
	if (!decap_track(dp, w, slot, s, c->gre, c->w0, hdr)) {
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
	uint16_t plen = wire_get_be16(c->gre + 4);
	if (plen == 0) {
		dp_drop(&w->ctr.ack_only, m);
		return;
	}
	uint8_t *ppp = c->gre + hdr;
	uint16_t ph;
	uint16_t proto;
	/* FF 03 00 21, 00 21, FF 03 21 and 21: IPv4 in each framing. */
	uint32_t p4 = 0;
	if (likely(plen >= 4))
		memcpy(&p4, ppp, 4);
	if (likely(p4 == rte_cpu_to_be_32(0xFF030021))) {
		ph = 4;
		proto = PPP_IP;
	} else {
		struct ppp_frame f;
		if (unlikely(ppp_frame_parse(ppp, plen, &f) != PROTO_OK)) {
			dp_drop(&w->ctr.ppp_bad, m);
			return;
		}
		ph = f.hdr_len;
		proto = f.protocol;
	}
	if (likely(proto == PPP_IP)) {
		if (unlikely(s->st.mppe)) { /* must be encrypted: never forward clear */
			dp_drop(&w->ctr.mppe_clear, m);
			return;
		}
		decap_forward(dp, w, slot, s, m, ppp + ph, (uint16_t)(plen - ph), out);
	} else if (proto == PPP_COMP) {
		if (unlikely(!s->st.mppe)) {
			dp_drop(&w->ctr.mppe_unencrypted, m);
			return;
		}
		decap_mppe(dp, w, slot, s, m, ppp + ph, (uint16_t)(plen - ph), out);
	} else {
		decap_control(w, slot, s, m, ppp, plen);
	}
}

void dp_decap_burst(struct dp *dp, struct dp_worker *w, unsigned int port, struct rte_mbuf **pkts,
		    unsigned int n)
{
	struct decap_ctx ctx[DP_BURST];
	struct decap_out out;
	unsigned int a = 0;

	/* Stage A over the burst prefetches every session; by the time stage B
	 * reaches the first, its lines have had a whole pass to arrive. */
	for (unsigned int i = 0; i < n; i++) {
		if (i + DP_PREFETCH_OFFSET < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + DP_PREFETCH_OFFSET], void *));
		if (decap_stage_a(dp, w, port, pkts[i], &ctx[a]))
			a++;
	}
	out.n = 0;
	out.bytes = 0;
	for (unsigned int b = 0; b < a; b++)
		decap_stage_b(dp, w, &ctx[b], &out);
	if (out.n) {
		DP_INC(w->ctr.decap_pkts, out.n);
		DP_INC(w->ctr.decap_bytes, out.bytes);
		dp_tx_enqueue_bulk(dp, w, dp->uplink, out.pkts, out.n);
	}
}
