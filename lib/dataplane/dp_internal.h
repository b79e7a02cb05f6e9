/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Data plane internals shared by its modules. Not an API: include dp.h.
 *
 * Ownership rules (docs/dataplane.md):
 *  - struct dp_session_cfg is written by the control lcore before the slot
 *    is published in the lookup tables and never while it is published;
 *  - struct dp_session_state is written only by the session's owner worker,
 *    which (re)initialises it when it first meets a new generation of the
 *    slot; the control lcore only reads its counters;
 *  - struct dp_slot_ctrl is the control lcore's private book-keeping.
 */
#ifndef DPPTP_DP_INTERNAL_H
#define DPPTP_DP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_ring.h>

#include "dataplane/dp.h"
#include "mppe/mppe.h"

#define DP_BURST 32
#define DP_PREFETCH_OFFSET 4

struct rte_hash;
struct rte_lpm;
struct rte_rcu_qsbr;
struct rte_rcu_qsbr_dq;

/* ---- sessions ---- */

/* Cache line 0 holds everything a lookup checks and the sequence state;
 * line 1 the outer-header template and the busiest counters. */
struct dp_session_cfg {
	rte_be32_t peer_addr;
	uint32_t gen;            /* bumped at every install; 0 means free */
	uint16_t our_call_id;
	uint16_t peer_call_id;
	uint16_t peer_window;
	uint8_t owner;
	uint8_t port;            /* index into dp->ports (an access port) */
};

struct dp_session_state {
	uint32_t gen;            /* generation this state belongs to */
	rte_be32_t sub_addr;     /* 0 until the network phase is up */
	uint16_t mtu;
	uint16_t mss;
	uint8_t net_up;
	uint8_t acfc;
	uint8_t pfc;
	uint8_t mac_known;
	uint8_t rx_started;
	uint8_t ack_queued;
	uint8_t dead;            /* remove message seen */
	uint8_t ack_owed;        /* rx_seq not acknowledged yet */
	uint8_t mppe;            /* IPv4 is encrypted both ways */
	uint8_t ppp_form;        /* IPv4's PPP header: bit 1 ACFC, bit 0 PFC (dp_encap.c) */
	uint16_t pad3_;
	uint32_t rx_seq;         /* highest sequence number accepted */
	uint32_t ack_sent;       /* last acknowledgement we sent (for the record) */
	uint32_t tx_seq;         /* last sequence number we sent */
	uint32_t peer_ack;       /* highest acknowledgement from the peer */
	uint16_t ip_id;
};

/* Outer headers of everything we send to the peer: Ethernet + IPv4. */
struct dp_session_tmpl {
	struct rte_ether_hdr eth;
	struct rte_ipv4_hdr ip;  /* total_length, packet_id, hdr_checksum patched per packet */
	uint32_t ip_sum;         /* one's-complement sum of the constant fields */
};
/* Ethernet and IPv4 are copied as one 34-byte block. */
_Static_assert(offsetof(struct dp_session_tmpl, ip) == RTE_ETHER_HDR_LEN, "template layout");

struct dp_session {
	struct dp_session_cfg cfg;
	struct dp_session_state st;
	/* Line 1: the template, then the counters, whose first three (what
	 * decap counts) end the line: decap touches two lines, encap three. */
	struct dp_session_tmpl tmpl __rte_cache_aligned;
	struct dp_session_counters ctr;
	struct rte_ether_addr init_mac; /* next-hop MAC known at install, or zero (cfg) */
} __rte_cache_aligned;
_Static_assert(offsetof(struct dp_session, ctr.decap_pkts) + 8 <= 2 * RTE_CACHE_LINE_SIZE,
	       "decap's counters share the template's cache line");

/* MPPE cipher state of one session, both directions, owner-written; kept
 * out of the session's hot lines (it is large and touched only with MPPE). */
struct dp_mppe {
	struct mppe_dir tx;
	struct mppe_dir rx;
	uint64_t resync_tsc;     /* last Reset-Request asked for */
	uint64_t skip_tat;       /* stateless: re-keys spent on gaps, GCRA's theoretical time */
} __rte_cache_aligned;

enum dp_slot_state {
	DP_SLOT_FREE,
	DP_SLOT_LIVE,     /* published */
	DP_SLOT_REMOVING, /* unpublished; waiting for the owner's acknowledgement */
	DP_SLOT_GRACE,    /* acknowledged; waiting for a quiescent state of every worker */
};

struct dp_slot_ctrl {
	enum dp_slot_state state;
	bool in_call_table;      /* keyed in by_call_id (else in decap_hash) */
	uint64_t rcu_token;
	rte_be32_t sub_addr;     /* the route installed for it, 0 if none */
	uint16_t mtu;            /* the MTU given with the route */
	struct dp_session_counters final;
};

/* ---- mbuf metadata (a dynamic field) ---- */

enum dp_meta_type {
	DP_META_NONE,
	/* control -> worker */
	DP_DOWN_PPP,       /* data: PPP frame for session slot/gen */
	DP_DOWN_RAW,       /* data: Ethernet frame to send on port `port` */
	DP_DOWN_INSTALL,   /* the owner adopts slot/gen */
	DP_DOWN_SET_NET,   /* data: struct dp_session_net */
	DP_DOWN_CLEAR_NET,
	DP_DOWN_SET_MAC,   /* data: struct rte_ether_addr */
	DP_DOWN_REMOVE,
	DP_DOWN_MPPE_FLUSH,
	DP_DOWN_IP,        /* data: an IPv4 packet for the subscriber, sent as session data */
	/* worker -> control */
	DP_UP_PUNT,        /* data: Ethernet frame received on port `port` */
	DP_UP_PPP,         /* data: PPP frame from session slot/gen */
	DP_UP_REMOVED,     /* data: struct dp_session_counters (final) */
	DP_UP_RESOLVE,     /* data: rte_be32_t address to resolve on port `port` */
	DP_UP_MPPE_RESYNC, /* slot/gen: stateful MPPE lost sync, send Reset-Request */
	DP_UP_ICMP,        /* data: the offending inner IPv4 packet (head); aux: type << 8 | code;
			    * port: DP_ICMP_TO_SUBSCRIBER or DP_ICMP_TO_INTERNET */
};

#define DP_ICMP_UNREACH 3        /* type: destination unreachable */
#define DP_ICMP_FRAG_NEEDED 4    /* its code: fragmentation needed and DF set */
#define DP_ICMP_TIME_EXCEEDED 11 /* type: TTL exceeded in transit (code 0) */
#define DP_ICMP_TO_SUBSCRIBER 0
#define DP_ICMP_TO_INTERNET 1
/* What of the offending packet an ICMP error quotes (RFC 1812 4.3.2.3 allows
 * up to 576 bytes in all; the header plus 64 bytes is plenty for traceroute). */
#define DP_ICMP_QUOTE 64

struct dp_meta {
	uint32_t slot;
	uint32_t gen;
	uint8_t type;
	uint8_t port;
	uint16_t aux;
};

extern int dp_meta_offset;

static inline struct dp_meta *dp_meta(struct rte_mbuf *m)
{
	return RTE_MBUF_DYNFIELD(m, dp_meta_offset, struct dp_meta *);
}

/* Free a control message; one carrying MPPE keys (SET_NET) is wiped first,
 * as its mbuf goes back to the pool the packets use. */
static inline void dp_msg_free(struct rte_mbuf *m)
{
	if (dp_meta(m)->type == DP_DOWN_SET_NET)
		explicit_bzero(rte_pktmbuf_mtod(m, void *), rte_pktmbuf_data_len(m));
	rte_pktmbuf_free(m);
}

/* ---- workers ---- */

struct dp_tx_buf {
	uint16_t n;
	struct rte_mbuf *pkts[DP_BURST];
};

struct dp_ack_entry {
	uint32_t slot;
	uint32_t gen;
	uint64_t due_tsc;
};

struct dp_worker {
	unsigned int idx;
	struct rte_ring *down;   /* control -> this worker */
	struct rte_ring *up;     /* this worker -> control */
	struct rte_ring *capture; /* copies of captured frames -> control */
	struct dp_worker_counters ctr;
	struct dp_tx_buf tx[DP_MAX_PORTS];
	/* Lone acknowledgements: a FIFO, in due order since the delay is fixed. */
	struct dp_ack_entry *ackq;
	uint32_t ackq_mask;
	uint32_t ackq_head;
	uint32_t ackq_tail;
	/* Next hops this worker asked the control lcore to resolve (rate limit). */
	rte_be32_t resolve_last[4];
	uint64_t resolve_tsc;
	uint64_t up_full;
	uint64_t now;            /* TSC at the start of this poll */
	uint8_t rx_port;         /* index of the port whose frames are being handled */
	uint8_t handed_in;       /* they came from another worker: never hand them on */
	/* Messages to the control lcore that must not be lost (REMOVED). */
	struct rte_mbuf *stash[64];
	unsigned int nb_stash;
	unsigned int nb_sessions; /* owned; maintained by the control lcore */
} __rte_cache_aligned;

/* ---- neighbours ---- */

/* A MAC packed into a 64-bit word so that workers read it atomically. */
#define DP_MAC_VALID (1ull << 63)

/* The six bytes sit in the word's low bytes in memory order (little-endian
 * hosts, which DPDK's x86 and arm64 targets are), so both are one move. */
static inline uint64_t dp_mac_pack(const struct rte_ether_addr *a)
{
	uint64_t v = 0;
	memcpy(&v, a->addr_bytes, RTE_ETHER_ADDR_LEN);
	return v | DP_MAC_VALID;
}

static inline void dp_mac_unpack(uint64_t v, struct rte_ether_addr *a)
{
	memcpy(a->addr_bytes, &v, RTE_ETHER_ADDR_LEN);
}
_Static_assert(RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN, "dp_mac_pack assumes little-endian");

struct dp_neigh_ctrl {
	rte_be32_t addr;
	uint8_t port;
	uint8_t in_use;
	uint8_t tries;        /* requests sent without an answer */
	uint8_t is_static;    /* configured: never aged or refreshed */
	uint64_t updated_tsc; /* last time an ARP told us its MAC */
	uint64_t asked_tsc;   /* last request we sent */
	uint64_t wanted_tsc;  /* last time a worker or a session needed it */
};

struct dp_port_rt {
	struct dp_port_conf conf;
	rte_be32_t mask;             /* from prefix_len */
	uint64_t gw_mac;             /* packed; 0: unknown (workers read) */
	/* Precomputed for the fast paths (dp_decap.c, as little-endian words):
	 * frame bytes 30..37 of a GRE data packet to us (our address, then
	 * GRE K+S, version 1, PPP), and bytes 6..13 of a frame we send from
	 * this port (our MAC, then type IPv4). */
	uint64_t decap_want;
	uint64_t eth_src_type;
};

/* ---- the instance ---- */

struct dp {
	struct dp_config cfg;
	struct dp_port_rt ports[DP_MAX_PORTS];
	uint8_t port_index[RTE_MAX_ETHPORTS]; /* DPDK port id -> index, 0xFF: not ours */
	uint8_t tap_index[RTE_MAX_ETHPORTS];  /* tap port id -> index of its port */

	struct dp_session *sessions;  /* max_sessions + 1; slot 0 unused */
	struct dp_mppe *mppe;         /* per slot when cfg.mppe, else NULL */
	struct dp_slot_ctrl *slots;
	uint32_t *free_slots;
	uint32_t nb_free;
	uint32_t nb_live;

	/* Decap lookup: our call IDs come from one allocator, so a call ID
	 * names at most one live session almost always. A table indexed by
	 * call ID, checked against the peer's address, finds it in one load;
	 * sessions whose call ID another peer already holds go to a hash. */
	uint32_t *by_call_id;         /* [65536] -> slot, 0: none */
	struct rte_hash *decap_hash;  /* overflow: (peer address, our call ID) -> slot */
	uint32_t decap_overflow;      /* entries in decap_hash (workers skip it at 0) */
	unsigned int uplink;          /* index of the first uplink port, or nb_ports */
	struct rte_lpm *encap_lpm;    /* subscriber address -> slot */
	struct rte_rcu_qsbr *qsbr;

	struct dp_worker workers[DP_MAX_WORKERS];
	struct rte_ring *handoff[DP_MAX_WORKERS][DP_MAX_WORKERS]; /* [from][to] */

	/* Neighbours (ARP) of every port: written by the control lcore only. */
	struct rte_hash *neigh_hash;   /* (address, port) -> index */
	uint64_t *neigh_mac;           /* packed MAC per index, read by workers */
	struct dp_neigh_ctrl *neigh;   /* control-side state per index */
	uint32_t *neigh_free;
	uint32_t neigh_nb_free;
	uint32_t neigh_max;
	struct rte_rcu_qsbr_dq *neigh_dq; /* indexes wait a grace period before reuse */
	uint64_t neigh_scan_tsc;

	/* Removed sessions waiting for a grace period, in removal order. */
	uint32_t *grace;
	uint32_t grace_head;
	uint32_t grace_tail;
	/* REMOVE messages that found the owner's ring full. */
	uint32_t *remove_retry;
	uint32_t nb_remove_retry;

	/* Capture: a bit per port being captured (workers read it per burst). */
	uint32_t capture_ports;
	struct dp_capture_filter capture[DP_MAX_PORTS];

	/* ICMP errors we originate: a token bucket, so floods cannot make us one. */
	uint64_t icmp_tokens;
	uint64_t icmp_tsc;
	uint64_t icmp_sent;
	uint64_t icmp_limited;

	uint64_t tsc_hz;
	uint64_t lone_ack_tsc;
	uint64_t down_full;
	uint32_t session_gen;
	volatile int quit;
};

/* Hash keys are 8-byte aligned: rte_hash_crc reads them 8 bytes at a time. */
struct dp_decap_key {
	rte_be32_t peer_addr;
	uint16_t call_id;
	uint16_t zero;
} __rte_aligned(8);

struct dp_neigh_key {
	rte_be32_t addr;
	uint32_t port;
} __rte_aligned(8);

/* dp_session.c: an IPv4 packet the control lcore made for a session's
 * subscriber (an ICMP error), framed and (with MPPE) encrypted by the owner
 * like its data. 0 or a negative errno. */
int dp_session_send_ipv4(struct dp *dp, dp_session_id id, const uint8_t *ip, size_t len);

/* dp_worker.c */
void dp_tx_flush_port(struct dp *dp, struct dp_worker *w, unsigned int port);
void dp_tx_flush(struct dp *dp, struct dp_worker *w);

static inline void dp_tx_enqueue(struct dp *dp, struct dp_worker *w, unsigned int port,
				 struct rte_mbuf *m)
{
	struct dp_tx_buf *b = &w->tx[port];
	b->pkts[b->n++] = m;
	if (unlikely(b->n == DP_BURST))
		dp_tx_flush_port(dp, w, port);
}
/* Queue `n` frames for `port` at once. */
static inline void dp_tx_enqueue_bulk(struct dp *dp, struct dp_worker *w, unsigned int port,
				      struct rte_mbuf **pkts, unsigned int n)
{
	struct dp_tx_buf *b = &w->tx[port];
	while (n) {
		unsigned int k = RTE_MIN(n, (unsigned int)DP_BURST - b->n);
		memcpy(&b->pkts[b->n], pkts, k * sizeof(*pkts));
		b->n = (uint16_t)(b->n + k);
		pkts += k;
		n -= k;
		if (b->n == DP_BURST)
			dp_tx_flush_port(dp, w, port);
	}
}
void dp_up_enqueue(struct dp_worker *w, struct rte_mbuf *m);
void dp_ack_schedule(struct dp *dp, struct dp_worker *w, uint32_t slot, struct dp_session *s);
void dp_request_resolve(struct dp *dp, struct dp_worker *w, unsigned int port, rte_be32_t addr);

/* dp_capture.c */
void dp_capture_burst(struct dp *dp, struct dp_worker *w, unsigned int port,
		      struct rte_mbuf **pkts, unsigned int n, bool tx);

/* dp_decap.c / dp_encap.c */
void dp_port_fast_init(struct dp_port_rt *p);
/* Frames received on port index `port` (or handed in from its owner's peers). */
void dp_decap_burst(struct dp *dp, struct dp_worker *w, unsigned int port, struct rte_mbuf **pkts,
		    unsigned int n);
void dp_encap_burst(struct dp *dp, struct dp_worker *w, unsigned int port, struct rte_mbuf **pkts,
		    unsigned int n);
/* Hand a frame of this burst to the session's owner. Consumes `m`. Only for
 * frames of a dispatched burst: it reads the burst's port and origin from the
 * worker (dispatch and poll_handoff in dp_worker.c set them). */
static inline void dp_hand_off(struct dp *dp, struct dp_worker *w, unsigned int owner,
			       struct rte_mbuf *m)
{
	if (w->handed_in) { /* handed in, yet not ours: never loop */
		DP_INC(w->ctr.no_session, 1);
		rte_pktmbuf_free(m);
		return;
	}
	dp_meta(m)->port = w->rx_port;
	if (rte_ring_enqueue(dp->handoff[w->idx][owner], m) != 0) {
		DP_INC(w->ctr.handoff_ring_full, 1);
		rte_pktmbuf_free(m);
		return;
	}
	DP_INC(w->ctr.handoff_out, 1);
}
/* Prepend PPP + GRE + IPv4 + Ethernet to `m` (which starts at the PPP
 * payload when `ppp_proto` != 0, or at the PPP header when it is 0) and queue
 * it on the session's access port. Consumes `m`. */
void dp_encap_send(struct dp *dp, struct dp_worker *w, uint32_t slot, struct dp_session *s,
		   struct rte_mbuf *m, uint16_t ppp_proto);
void dp_send_lone_ack(struct dp *dp, struct dp_worker *w, uint32_t slot, struct dp_session *s);
/* The owner's (re)initialisation of a slot's state for the current generation. */
void dp_session_adopt(struct dp *dp, uint32_t slot, struct dp_session *s);

/* Hand the head of an undeliverable inner packet to the control lcore, which
 * answers with ICMP (dp_icmp.c). Consumes `m`. */
void dp_punt_icmp(struct dp_worker *w, struct rte_mbuf *m, const uint8_t *inner, uint32_t slot,
		  const struct dp_session *s, uint8_t type, uint8_t code, uint8_t toward);
/* dp_icmp.c (control lcore) */
void dp_icmp_input(struct dp *dp, struct rte_mbuf *m);

/* dp_neigh.c (control lcore) */
int dp_neigh_init(struct dp *dp);
void dp_neigh_free(struct dp *dp);
void dp_neigh_learn(struct dp *dp, unsigned int port, rte_be32_t addr,
		    const struct rte_ether_addr *mac);
void dp_neigh_want(struct dp *dp, unsigned int port, rte_be32_t addr);
bool dp_neigh_lookup_ctrl(const struct dp *dp, unsigned int port, rte_be32_t addr,
			  struct rte_ether_addr *mac);
unsigned int dp_neigh_poll(struct dp *dp);
void dp_arp_input(struct dp *dp, unsigned int port, struct rte_mbuf *m);
rte_be32_t dp_next_hop(const struct dp *dp, unsigned int port, rte_be32_t dst);
/* Hand a frame to a worker for transmission on `port` (control lcore). */
int dp_ctrl_send_raw(struct dp *dp, unsigned int port, struct rte_mbuf *m);

/* Worker-side neighbour lookup: the packed MAC, or 0. */
uint64_t dp_neigh_lookup_worker(const struct dp *dp, unsigned int port, rte_be32_t addr);

/* The session as its owner sees it: adopted for the slot's current generation. */
static inline struct dp_session *dp_session_for_owner(struct dp *dp, struct dp_worker *w,
						      uint32_t slot)
{
	struct dp_session *s = &dp->sessions[slot];
	(void)w;
	if (unlikely(s->st.gen != s->cfg.gen))
		dp_session_adopt(dp, slot, s);
	return s;
}

static inline bool dp_same_subnet(const struct dp_port_rt *p, rte_be32_t a)
{
	return ((a ^ p->conf.addr) & p->mask) == 0;
}

#endif /* DPPTP_DP_INTERNAL_H */
