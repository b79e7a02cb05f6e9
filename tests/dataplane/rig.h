/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A test rig around the real data plane: an access port, an uplink port and
 * a tap for each, all net_ring ports whose rings the test fills and drains,
 * so that scapy-made captures go in and the frames that come out can be
 * checked one by one. No hugepages, no NIC, no kernel interface.
 */
#ifndef DPPTP_TEST_RIG_H
#define DPPTP_TEST_RIG_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "dataplane/dp.h"

#define RIG_MAX_Q 4

struct rig_port {
	uint16_t port_id;
	unsigned int nb_q;
	struct rte_ring *rx[RIG_MAX_Q]; /* the test enqueues: the PMD receives */
	struct rte_ring *tx[RIG_MAX_Q]; /* the PMD sends: the test dequeues */
	struct rte_ether_addr mac;
};

struct rig {
	struct dp *dp;
	struct rig_port access, uplink, access_tap, uplink_tap;
	unsigned int nb_workers;
};

/* Lab numbers (network byte order where used with the dp API). */
#define RIG_PEER "198.51.100.2"
#define RIG_ACCESS "198.51.100.1"
#define RIG_UPLINK "203.0.113.1"
#define RIG_GATEWAY "203.0.113.2"
#define RIG_SUB "100.64.0.5"
#define RIG_OUR_CALL 0x4000
#define RIG_PEER_CALL 0x1234

extern struct rte_mempool *rig_pool;
extern bool rig_enforce_window; /* dp_config.enforce_tx_window of the next rig */
extern bool rig_mppe;           /* dp_config.mppe of the next rig */

rte_be32_t rig_ip(const char *dotted);
int rig_eal_init(const char *prog);
void rig_create(struct rig *r, unsigned int nb_workers, uint32_t lone_ack_us,
		uint32_t max_sessions);
void rig_free(struct rig *r);

/* Enqueue every frame of `pcap` (or only frame `only`, 1-based, if > 0) into `ring`. */
unsigned int rig_inject(struct rte_ring *ring, const char *pcap, int only);
/* Poll every worker and the control lcore `rounds` times. */
void rig_poll(struct rig *r, unsigned int rounds);
/* Dequeue what a port sent on queue `q` (all queues if q < 0), in order. */
unsigned int rig_collect(struct rig_port *p, int q, struct rte_mbuf **out, unsigned int max);
void rig_free_all(struct rte_mbuf **m, unsigned int n);

/* Give the uplink its gateway's MAC (an ARP reply) and drain start-up frames. */
void rig_resolve_gateway(struct rig *r, const char *vectors);

/* Install the lab session, network up unless `control_only`. */
dp_session_id rig_session(struct rig *r, int owner, bool control_only);
/* The same with these network settings (NULL: control only). */
dp_session_id rig_session_net(struct rig *r, int owner, const struct dp_session_net *net);

/* Every frame the rig collected is also written here, for tshark. */
void rig_dump_open(const char *path);
void rig_dump(const struct rte_mbuf *m);
void rig_dump_close(void);

/* Recorded by the rig's control hooks. */
struct rig_frame {
	dp_session_id id;
	uint16_t len;
	uint8_t data[1600];
};
extern struct rig_frame rig_up_frames[64];
extern unsigned int rig_nb_mppe_resync; /* mppe_resync hook calls, and the last one's session */
extern dp_session_id rig_mppe_resync_id;
extern unsigned int rig_nb_up_frames;
extern unsigned int rig_nb_reclaimed;
extern const struct dp_ctrl_hooks rig_hooks;

#endif /* DPPTP_TEST_RIG_H */
