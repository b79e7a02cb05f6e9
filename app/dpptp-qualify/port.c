/* SPDX-License-Identifier: BSD-3-Clause */
/* Ports: find or create them, configure them with RSS, watch their counters. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_ethdev.h>

#include "qual_dpdk.h"

/* A port whose device is called `name`, or "0000:" + `name` (short PCI form). */
static int find_by_device(const char *name, uint16_t *port)
{
	char full[RTE_ETH_NAME_MAX_LEN + 8];
	uint16_t p;

	snprintf(full, sizeof(full), "0000:%s", name);
	RTE_ETH_FOREACH_DEV(p)
	{
		struct rte_eth_dev_info info;
		const char *dn;

		if (rte_eth_dev_info_get(p, &info) != 0 || !info.device)
			continue;
		dn = rte_dev_name(info.device);
		if (dn && (!strcmp(dn, name) || !strcmp(dn, full))) {
			*port = p;
			return 0;
		}
	}
	return -ENODEV;
}

int qual_port_resolve(const char *dev, uint16_t *port)
{
	const char *comma = strchr(dev, ',');
	size_t n = comma ? (size_t)(comma - dev) : strlen(dev);
	char name[RTE_ETH_NAME_MAX_LEN];
	int rc;

	if (n == 0 || n >= sizeof(name))
		return -EINVAL;
	memcpy(name, dev, n);
	name[n] = '\0';
	if (rte_eth_dev_get_port_by_name(name, port) == 0 || find_by_device(name, port) == 0)
		return 0;
	if (!strncmp(name, "net_", 4) || !strncmp(name, "eth_", 4)) {
		rc = rte_vdev_init(name, comma ? comma + 1 : "");
		if (rc != 0) {
			fprintf(stderr, "dpptp-qualify: cannot create %s: %s\n", dev, strerror(-rc));
			return rc;
		}
		return rte_eth_dev_get_port_by_name(name, port);
	}
	rc = rte_dev_probe(dev);
	if (rc == 0 && (rte_eth_dev_get_port_by_name(name, port) == 0 ||
			find_by_device(name, port) == 0))
		return 0;
	fprintf(stderr, "dpptp-qualify: no port %s (give it to EAL with -a or --vdev)\n", dev);
	return rc ? rc : -ENODEV;
}

int qual_port_driver(uint16_t port, char *name, size_t cap, uint16_t *max_rxq)
{
	struct rte_eth_dev_info info;
	int rc = rte_eth_dev_info_get(port, &info);

	if (rc != 0)
		return rc;
	snprintf(name, cap, "%s", info.driver_name ? info.driver_name : "?");
	*max_rxq = info.max_rx_queues;
	return 0;
}

int qual_port_setup(uint16_t port, const struct qual_port_conf *pc, uint64_t *rss_hf,
		    char *desc, size_t cap)
{
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	uint16_t nb_rxd = pc->nb_desc, nb_txd = pc->nb_desc;
	int rc, socket;

	memset(&conf, 0, sizeof(conf));
	*rss_hf = 0;
	rc = rte_eth_dev_info_get(port, &info);
	if (rc != 0)
		return rc;
	if (pc->nb_rxq > info.max_rx_queues || pc->nb_txq > info.max_tx_queues) {
		fprintf(stderr, "dpptp-qualify: port %u (%s): %u RX / %u TX queues wanted, it has "
				"%u / %u\n",
			port, info.driver_name, pc->nb_rxq, pc->nb_txq, info.max_rx_queues,
			info.max_tx_queues);
		return -EINVAL;
	}
	snprintf(desc, cap, "not needed (one RX queue)");
	if (pc->nb_rxq > 1) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IP & info.flow_type_rss_offloads;
		*rss_hf = conf.rx_adv_conf.rss_conf.rss_hf;
		if (*rss_hf == 0) {
			conf.rxmode.mq_mode = RTE_ETH_MQ_RX_NONE;
			snprintf(desc, cap, "none: %s offers no IPv4 RSS%s", info.driver_name,
				 strcmp(info.driver_name, "net_af_packet")
					 ? ""
					 : " (its queues are PACKET_FANOUT sockets: the kernel's "
					   "flow hash spreads them)");
		} else {
			snprintf(desc, cap, "IPv4 addresses (rss_hf 0x%" PRIx64 ")", *rss_hf);
		}
	}
	conf.lpbk_mode = pc->lpbk_mode;
	rc = rte_eth_dev_configure(port, pc->nb_rxq, pc->nb_txq, &conf);
	if (rc != 0)
		return rc;
	rc = rte_eth_dev_adjust_nb_rx_tx_desc(port, &nb_rxd, &nb_txd);
	if (rc != 0)
		return rc;
	socket = rte_eth_dev_socket_id(port);
	if (socket < 0)
		socket = 0;
	for (uint16_t q = 0; q < pc->nb_rxq; q++) {
		rc = rte_eth_rx_queue_setup(port, q, nb_rxd, (unsigned int)socket, NULL, pc->pool);
		if (rc != 0)
			return rc;
	}
	for (uint16_t q = 0; q < pc->nb_txq; q++) {
		rc = rte_eth_tx_queue_setup(port, q, nb_txd, (unsigned int)socket, NULL);
		if (rc != 0)
			return rc;
	}
	rc = rte_eth_dev_start(port);
	if (rc != 0)
		return rc;
	if (pc->promiscuous)
		rte_eth_promiscuous_enable(port); /* frames go to its MAC anyway */
	return 0;
}

bool qual_port_wait_link(uint16_t port, double secs)
{
	uint64_t end = rte_get_timer_cycles() + (uint64_t)(secs * (double)rte_get_timer_hz());
	struct rte_eth_link link;

	for (;;) {
		memset(&link, 0, sizeof(link));
		if (rte_eth_link_get_nowait(port, &link) == 0 && link.link_status)
			return true;
		if (rte_get_timer_cycles() >= end)
			return false;
		rte_delay_us_sleep(100 * 1000);
	}
}

void qual_port_describe(uint16_t port, const char *dev, char *buf, size_t cap)
{
	struct rte_ether_addr mac;
	char name[64] = "?", m[RTE_ETHER_ADDR_FMT_SIZE] = "?";
	uint16_t maxq = 0;

	qual_port_driver(port, name, sizeof(name), &maxq);
	if (rte_eth_macaddr_get(port, &mac) == 0)
		rte_ether_format_addr(m, sizeof(m), &mac);
	snprintf(buf, cap, "%s (port %u, %s, %s)", dev, port, name, m);
}

void qual_port_stats(uint16_t port, struct qual_port_stats *s)
{
	struct rte_eth_stats es;

	memset(s, 0, sizeof(*s));
	if (rte_eth_stats_get(port, &es) != 0)
		return;
	s->ipackets = es.ipackets;
	s->opackets = es.opackets;
	s->imissed = es.imissed;
	s->ierrors = es.ierrors;
	s->oerrors = es.oerrors;
	s->rx_nombuf = es.rx_nombuf;
}

void qual_port_stats_delta(struct qual_port_stats *d, const struct qual_port_stats *a,
			   const struct qual_port_stats *b)
{
	d->ipackets = b->ipackets - a->ipackets;
	d->opackets = b->opackets - a->opackets;
	d->imissed = b->imissed - a->imissed;
	d->ierrors = b->ierrors - a->ierrors;
	d->oerrors = b->oerrors - a->oerrors;
	d->rx_nombuf = b->rx_nombuf - a->rx_nombuf;
}
