/* SPDX-License-Identifier: BSD-3-Clause */
/* dpptp-qualify's DPDK side: the ports and the send/receive loop. */
#ifndef DPPTP_QUAL_DPDK_H
#define DPPTP_QUAL_DPDK_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mempool.h>

#include "qualify.h"

/*
 * The port named by DEV: an existing port (given to EAL with -a or --vdev),
 * a vdev string ("net_af_packet0,iface=eth1") created with rte_vdev_init, or
 * a device (a PCI address) hot-plugged with rte_dev_probe.
 */
int qual_port_resolve(const char *dev, uint16_t *port);

struct qual_port_conf {
	uint16_t nb_rxq;
	uint16_t nb_txq;
	uint16_t nb_desc;    /* per queue, adjusted to what the PMD takes */
	struct rte_mempool *pool;
	uint32_t lpbk_mode;  /* rte_eth_conf.lpbk_mode: 0 = none (a cable or a plug) */
	bool promiscuous;    /* best effort */
};

/*
 * Configure and start a port: RSS over IPv4 (RTE_ETH_RSS_IP masked by what
 * the PMD offers, as lib/dataplane/dp_port.c does) when it has more than one
 * RX queue. `rss_hf` gets what was asked for (0: no RSS); `desc` the RSS in words.
 */
int qual_port_setup(uint16_t port, const struct qual_port_conf *pc, uint64_t *rss_hf,
		    char *desc, size_t cap);

/* Wait up to `secs` for the link to come up; whether it did. */
bool qual_port_wait_link(uint16_t port, double secs);

/* "DEV (port N, driver, MAC)". */
void qual_port_describe(uint16_t port, const char *dev, char *buf, size_t cap);

/* The PMD's name ("net_af_packet") and its RX queue limit. */
int qual_port_driver(uint16_t port, char *name, size_t cap, uint16_t *max_rxq);

void qual_port_stats(uint16_t port, struct qual_port_stats *s);
void qual_port_stats_delta(struct qual_port_stats *d, const struct qual_port_stats *a,
			   const struct qual_port_stats *b);

struct qual_run_cfg {
	uint16_t tx_port;
	uint16_t rx_port;      /* == tx_port in loopback */
	uint16_t nb_rxq;       /* RX queues of rx_port, all polled */
	bool drain_tx_port;    /* two ports: also empty the TX port's RX queue 0 */
	struct rte_mempool *pool;
	unsigned int window;   /* frames in flight before waiting for the receiver */
	double stall_s;        /* how long to wait for them before writing them off */
	double timeout_s;      /* after the last frame: how long to wait for stragglers */
	struct qual_capture *cap; /* NULL: no captures */
	/* Called on every turn of the loop: a test's stand-in for the wire. */
	void (*pump)(void *arg);
	void *pump_arg;
};

/* Send every class's `t->count` frames, receive, tally. Returns 0, or < 0. */
int qual_run(const struct qual_run_cfg *cfg, struct qual_tally *t);

#endif /* DPPTP_QUAL_DPDK_H */
