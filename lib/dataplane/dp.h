/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DPDK data plane of dpptp: poll-mode workers that carry PPTP sessions'
 * IPv4 traffic through enhanced GRE, and the control-lcore side that installs
 * sessions, exchanges PPP control frames with them, and bridges the exception
 * path (ARP, TCP 1723, ICMP to us) to kernel tap interfaces.
 *
 * Threads: workers call dp_worker_run() (or dp_worker_poll() in tests and the
 * benchmark); everything else is called from the single control lcore.
 * The two sides talk only through rte_rings (see docs/dataplane.md).
 *
 * Addresses in this API are IPv4 in network byte order (rte_be32_t), as on
 * the wire, so the fast path compares them without conversion.
 */
#ifndef DPPTP_DP_H
#define DPPTP_DP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_mempool.h>

#include "dataplane/dp_counters.h"

#define DP_MAX_WORKERS 32
#define DP_MAX_PORTS 8
#define DP_NO_PORT UINT16_MAX

enum dp_port_role {
	DP_PORT_ACCESS, /* subscribers' PPTP (GRE and TCP 1723) */
	DP_PORT_UPLINK, /* plain IPv4 towards the Internet */
};

struct dp_port_conf {
	uint16_t port_id;         /* DPDK port, already configured by dp_port_setup() */
	enum dp_port_role role;
	rte_be32_t addr;          /* our address on this port */
	uint8_t prefix_len;       /* on-link subnet */
	rte_be32_t gateway;       /* next hop for off-link destinations; 0: none */
	uint16_t tap_port_id;     /* exception path (net_tap) or DP_NO_PORT */
	struct rte_ether_addr mac; /* filled by dp_create() from the port */
};

struct dp_config {
	unsigned int nb_workers;
	unsigned int nb_ports;
	struct dp_port_conf ports[DP_MAX_PORTS];
	struct rte_mempool *pool;      /* mbufs for everything the data plane makes */
	uint32_t max_sessions;         /* session slots; default 65536 */
	uint32_t ring_size;            /* each ring, a power of two; default 4096 */
	uint32_t lone_ack_delay_us;    /* default 20000 (docs/dataplane.md says why) */
	uint32_t neigh_refresh_s;      /* re-resolve next hops this often; default 60 */
	uint32_t route_tbl8_groups;    /* subscriber /24s with routes (rte_lpm tbl8); default 1024 */
	bool enforce_tx_window;        /* drop beyond the peer's receive window */
	bool verify_ip_checksum;       /* check outer IPv4 checksums the NIC did not */
	uint32_t idle_sleep_us;        /* sleep when a poll found nothing; 0: spin */
	bool mppe;                     /* allocate MPPE state for every session slot */
	int socket_id;
};

/* Defaults for every field; ports, workers and the pool are left empty. */
void dp_config_default(struct dp_config *cfg);

struct dp;

/*
 * Create the data plane over ports already set up with dp_port_setup() and
 * started. Returns NULL with rte_errno set (and a log line) on failure.
 */
struct dp *dp_create(const struct dp_config *cfg);
void dp_free(struct dp *dp);

/*
 * Configure and start a DPDK port for the data plane: `nb_queues` RX and TX
 * queues (one pair per worker), RSS over IPv4 addresses where the PMD has it,
 * promiscuous mode off. Returns 0 or a negative errno.
 */
int dp_port_setup(uint16_t port_id, unsigned int nb_queues, struct rte_mempool *pool,
		  uint16_t nb_rxd, uint16_t nb_txd);

/* ---- workers ---- */

/* Run worker `w` until dp_stop(); meant for rte_eal_remote_launch(). */
int dp_worker_run(struct dp *dp, unsigned int w);
/* One iteration of worker `w`'s loop; returns the packets it handled. */
unsigned int dp_worker_poll(struct dp *dp, unsigned int w);
void dp_stop(struct dp *dp);

/* ---- sessions (control lcore only) ---- */

typedef uint64_t dp_session_id; /* slot index and generation; 0 is never valid */

struct dp_session_params {
	rte_be32_t peer_addr;   /* the client's outer address */
	uint16_t our_call_id;   /* what the peer puts in its GRE headers */
	uint16_t peer_call_id;  /* what we put in ours */
	uint16_t peer_window;   /* the peer's receive window (Outgoing-Call-Request) */
	unsigned int access_port; /* index into dp_config.ports */
	int owner;              /* worker owning the session; -1: the least loaded */
};

/*
 * Install a session for its control phase: GRE from the peer is tracked and
 * its PPP control frames come up to dp_ctrl_poll(); IPv4 is not forwarded yet.
 * Returns 0, -EEXIST (that call ID and peer already have a session) or -ENOSPC.
 */
int dp_session_install(struct dp *dp, const struct dp_session_params *p, dp_session_id *id);

struct dp_session_net {
	rte_be32_t sub_addr;  /* the subscriber's address (IPCP) */
	uint16_t mtu;         /* largest inner packet the peer takes (its MRU; minus 4 with MPPE) */
	bool acfc;            /* the peer accepts address/control compression */
	bool pfc;             /* the peer accepts protocol compression */
	/* MPPE (RFC 3078), negotiated by CCP: IPv4 both ways is encrypted, and
	 * clear IPv4 from the peer is dropped. Keys are the start keys from the
	 * concentrator's side: send = what we encrypt with. */
	bool mppe;
	uint16_t mppe_bits;   /* 40, 56 or 128 */
	bool mppe_stateless;
	uint8_t mppe_send_key[16];
	uint8_t mppe_recv_key[16];
};

/* IPCP opened: forward IPv4 both ways (anti-spoofing, MSS clamping at mtu - 40). */
int dp_session_set_network(struct dp *dp, dp_session_id id, const struct dp_session_net *n);
/* IPCP left the Opened state: stop forwarding IPv4. */
int dp_session_clear_network(struct dp *dp, dp_session_id id);

/*
 * Remove a session. Its lookups end at once; its slot is reused only after
 * every worker has passed a quiescent state, when dp_ctrl_poll() reports it
 * through hooks->session_reclaimed (with its final counters).
 */
int dp_session_remove(struct dp *dp, dp_session_id id);

/* The peer sent CCP Reset-Request (stateful MPPE): our next packet re-keys
 * and carries the flushed bit. */
int dp_session_mppe_flush(struct dp *dp, dp_session_id id);

/* The MPPE cipher counters of a session's two directions (lib/mppe's
 * struct mppe_counters: re-keys, reordered, lost, drops by reason, flushes).
 * -ENOTSUP when the data plane keeps no MPPE state; zero before MPPE. */
struct mppe_counters;
int dp_session_read_mppe(const struct dp *dp, dp_session_id id, struct mppe_counters *tx,
			 struct mppe_counters *rx);

/* Send a PPP frame (header included) inside the session's GRE, numbered from
 * the same sequence counter as its data. Returns 0 or a negative errno. */
int dp_session_send(struct dp *dp, dp_session_id id, const uint8_t *frame, size_t len);

/* A snapshot of the session's counters, read without stopping its worker. */
int dp_session_read_counters(const struct dp *dp, dp_session_id id,
			     struct dp_session_counters *out);

struct dp_session_info {
	rte_be32_t peer_addr;
	rte_be32_t sub_addr;
	uint16_t our_call_id;
	uint16_t peer_call_id;
	unsigned int owner;
	bool network_up;
	uint32_t tx_seq;  /* last sequence number sent */
	uint32_t rx_seq;  /* highest sequence number received in order */
	uint32_t peer_ack; /* highest acknowledgement received */
};
int dp_session_read_info(const struct dp *dp, dp_session_id id, struct dp_session_info *out);

/* ---- the control lcore's poll ---- */

struct dp_ctrl_hooks {
	/* A PPP control frame (header included) from a session's peer. */
	void (*ppp_frame)(void *arg, dp_session_id id, const uint8_t *frame, size_t len);
	/* Stateful MPPE lost sync on a session's receive side: send CCP
	 * Reset-Request (at most once per 500 ms per session). */
	void (*mppe_resync)(void *arg, dp_session_id id);
	/* A removed session's slot was reclaimed: its call ID may be reused. */
	void (*session_reclaimed)(void *arg, dp_session_id id, uint16_t our_call_id,
				  rte_be32_t peer_addr, const struct dp_session_counters *final);
};

/*
 * Do the control lcore's share: drain the rings from the workers, bridge the
 * exception path to the taps, answer and learn ARP, resolve and refresh next
 * hops, reclaim removed sessions. Returns the amount of work done (0: idle).
 */
unsigned int dp_ctrl_poll(struct dp *dp, const struct dp_ctrl_hooks *hooks, void *arg);

/* ---- neighbours ---- */

/* A static neighbour (configuration override): never aged, never asked for. */
int dp_neigh_set_static(struct dp *dp, unsigned int port, rte_be32_t addr,
			const struct rte_ether_addr *mac);

/* ---- capture ---- */

struct dp_capture_filter {
	rte_be32_t peer_addr;  /* 0: any */
	uint16_t call_id;      /* ours (0: any) ... */
	uint16_t peer_call_id; /* ... or the peer's: the GRE key either way */
};

/* Start (or change the filter of) the capture of `port`, both directions. */
int dp_capture_start(struct dp *dp, unsigned int port, const struct dp_capture_filter *f);
int dp_capture_stop(struct dp *dp, unsigned int port);

/* Drain the captured frames: fn(arg, port, is_tx, frame, len, tsc). */
typedef void (*dp_capture_fn)(void *arg, unsigned int port, bool tx, const uint8_t *frame,
			      uint32_t len, uint64_t tsc);
unsigned int dp_capture_poll(struct dp *dp, dp_capture_fn fn, void *arg);

/* ---- counters ---- */

/* The sum of every worker's counters. */
void dp_read_worker_counters(const struct dp *dp, int worker, struct dp_worker_counters *out);
unsigned int dp_nb_workers(const struct dp *dp);
unsigned int dp_nb_sessions(const struct dp *dp);

struct dp_ring_stats {
	uint64_t up_full;       /* enqueue failures towards the control lcore */
	uint64_t down_full;     /* enqueue failures towards workers */
	unsigned int up_used;   /* entries waiting now, summed over rings */
	unsigned int down_used;
};
void dp_read_ring_stats(const struct dp *dp, struct dp_ring_stats *out);

#endif /* DPPTP_DP_H */
