/* SPDX-License-Identifier: BSD-3-Clause */
/* Port set-up for the data plane: one RX/TX queue pair per worker, RSS over
 * the IPv4 addresses and IPv4 checksum checking where the PMD offers them. */
#include <errno.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_log.h>

#include "dataplane/dp.h"
#include "dp_log.h"

int dp_port_setup(uint16_t port_id, unsigned int nb_queues, struct rte_mempool *pool,
		  uint16_t nb_rxd, uint16_t nb_txd)
{
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	int rc;

	memset(&conf, 0, sizeof(conf));
	rc = rte_eth_dev_info_get(port_id, &info);
	if (rc != 0)
		return rc;
	if (nb_queues > info.max_rx_queues || nb_queues > info.max_tx_queues) {
		DP_LOG(ERR, "port %u (%s): %u queues wanted, the PMD has %u RX / %u TX",
			port_id, info.driver_name, nb_queues, info.max_rx_queues,
			info.max_tx_queues);
		return -EINVAL;
	}
	if (nb_queues > 1) {
		/* GRE carries no ports: hash the IPv4 addresses. On i40e this also
		 * selects NONFRAG_IPV4_OTHER, without which GRE is not hashed at all. */
		uint64_t want = RTE_ETH_RSS_IP;
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = want & info.flow_type_rss_offloads;
		if (conf.rx_adv_conf.rss_conf.rss_hf == 0)
			conf.rxmode.mq_mode = RTE_ETH_MQ_RX_NONE;
	}
	/* The NIC's verdict on outer IPv4 checksums spares the workers theirs
	 * (dp_outer_ipv4 and the fast paths read RTE_MBUF_F_RX_IP_CKSUM_*). */
	if (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_IPV4_CKSUM)
		conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_IPV4_CKSUM;
	DP_LOG(INFO, "port %u (%s): %u queue pair(s), RSS %s, IPv4 checksum offload %s", port_id,
	       info.driver_name, nb_queues,
	       conf.rxmode.mq_mode == RTE_ETH_MQ_RX_RSS ? "on addresses" : "off",
	       conf.rxmode.offloads & RTE_ETH_RX_OFFLOAD_IPV4_CKSUM ? "on" : "not offered");
	rc = rte_eth_dev_configure(port_id, (uint16_t)nb_queues, (uint16_t)nb_queues, &conf);
	if (rc != 0)
		return rc;
	rc = rte_eth_dev_adjust_nb_rx_tx_desc(port_id, &nb_rxd, &nb_txd);
	if (rc != 0)
		return rc;
	int socket = rte_eth_dev_socket_id(port_id);
	if (socket < 0)
		socket = 0;
	for (unsigned int q = 0; q < nb_queues; q++) {
		rc = rte_eth_rx_queue_setup(port_id, (uint16_t)q, nb_rxd, (unsigned int)socket,
					    NULL, pool);
		if (rc != 0)
			return rc;
		struct rte_eth_txconf txc = info.default_txconf;
		txc.offloads = conf.txmode.offloads;
		rc = rte_eth_tx_queue_setup(port_id, (uint16_t)q, nb_txd, (unsigned int)socket,
					    &txc);
		if (rc != 0)
			return rc;
	}
	rc = rte_eth_dev_start(port_id);
	if (rc != 0)
		return rc;
	/* Promiscuous mode stays off: the NIC drops what is not for our MAC. */
	return 0;
}
