/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Neighbours: the data plane answers ARP for its own addresses and resolves
 * its next hops itself, so no MAC address has to be configured. The control
 * lcore is the only writer of the table; workers read a packed MAC word per
 * entry through a lock-free rte_hash. An entry's index is reused only after
 * a grace period (rte_rcu_qsbr defer queue), so a worker never reads the MAC
 * of an address it did not look up.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "dp_internal.h"
#include "dp_log.h"

#define NEIGH_RETRY_MS 1000  /* between requests for an unresolved address */
#define NEIGH_MAX_TRIES 5    /* unanswered requests before giving up */
#define NEIGH_IDLE_S 600     /* unused this long: forget it */
#define NEIGH_SCAN_MS 250

static void neigh_index_free(void *p, void *e, unsigned int n)
{
	struct dp *dp = p;
	const uint32_t *idx = e;
	for (unsigned int i = 0; i < n; i++)
		dp->neigh_free[dp->neigh_nb_free++] = idx[i];
}

int dp_neigh_init(struct dp *dp)
{
	static unsigned int seq;
	char name[64];

	dp->neigh_max = dp->cfg.max_sessions + 1024;
	snprintf(name, sizeof(name), "dp_neigh_%u", seq++);
	struct rte_hash_parameters hp = {
		.name = name,
		.entries = dp->neigh_max + dp->neigh_max / 4,
		.key_len = sizeof(struct dp_neigh_key),
		.hash_func = rte_hash_crc,
		.socket_id = dp->cfg.socket_id,
		.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF,
	};
	dp->neigh_hash = rte_hash_create(&hp);
	dp->neigh_mac = rte_zmalloc_socket("dp_neigh_mac", dp->neigh_max * sizeof(uint64_t),
					   RTE_CACHE_LINE_SIZE, dp->cfg.socket_id);
	dp->neigh = rte_zmalloc_socket("dp_neigh", dp->neigh_max * sizeof(*dp->neigh), 0,
				       dp->cfg.socket_id);
	dp->neigh_free = rte_malloc_socket("dp_neigh_free", dp->neigh_max * sizeof(uint32_t), 0,
					   dp->cfg.socket_id);
	dp->grace = rte_malloc_socket("dp_grace", (dp->cfg.max_sessions + 1) * sizeof(uint32_t),
				      0, dp->cfg.socket_id);
	dp->remove_retry = rte_malloc_socket("dp_rmretry",
					     (dp->cfg.max_sessions + 1) * sizeof(uint32_t), 0,
					     dp->cfg.socket_id);
	if (!dp->neigh_hash || !dp->neigh_mac || !dp->neigh || !dp->neigh_free || !dp->grace ||
	    !dp->remove_retry)
		return -ENOMEM;
	struct rte_hash_rcu_config hrc = { .v = dp->qsbr, .mode = RTE_HASH_QSBR_MODE_DQ };
	if (rte_hash_rcu_qsbr_add(dp->neigh_hash, &hrc) != 0)
		return -EINVAL;
	for (uint32_t i = 0; i < dp->neigh_max; i++)
		dp->neigh_free[i] = dp->neigh_max - 1 - i;
	dp->neigh_nb_free = dp->neigh_max;

	snprintf(name, sizeof(name), "dp_neigh_dq_%u", seq);
	struct rte_rcu_qsbr_dq_parameters dq = {
		.name = name,
		.size = dp->neigh_max,
		.esize = sizeof(uint32_t),
		.trigger_reclaim_limit = 1,
		.max_reclaim_size = dp->neigh_max,
		.free_fn = neigh_index_free,
		.p = dp,
		.v = dp->qsbr,
	};
	dp->neigh_dq = rte_rcu_qsbr_dq_create(&dq);
	if (!dp->neigh_dq)
		return -ENOMEM;
	/* Every gateway is wanted from the start. */
	for (unsigned int i = 0; i < dp->cfg.nb_ports; i++)
		if (dp->ports[i].conf.gateway)
			dp_neigh_want(dp, i, dp->ports[i].conf.gateway);
	return 0;
}

void dp_neigh_free(struct dp *dp)
{
	if (dp->neigh_dq)
		rte_rcu_qsbr_dq_delete(dp->neigh_dq);
	rte_hash_free(dp->neigh_hash);
	rte_free(dp->neigh_mac);
	rte_free(dp->neigh);
	rte_free(dp->neigh_free);
	rte_free(dp->grace);
	rte_free(dp->remove_retry);
}

static int neigh_find(const struct dp *dp, unsigned int port, rte_be32_t addr)
{
	struct dp_neigh_key k = { .addr = addr, .port = port };
	void *data;
	if (rte_hash_lookup_data(dp->neigh_hash, &k, &data) < 0)
		return -1;
	return (int)(uintptr_t)data;
}

uint64_t dp_neigh_lookup_worker(const struct dp *dp, unsigned int port, rte_be32_t addr)
{
	int i = neigh_find(dp, port, addr);
	return i < 0 ? 0 : __atomic_load_n(&dp->neigh_mac[i], __ATOMIC_RELAXED);
}

bool dp_neigh_lookup_ctrl(const struct dp *dp, unsigned int port, rte_be32_t addr,
			  struct rte_ether_addr *mac)
{
	int i = neigh_find(dp, port, addr);
	if (i < 0 || !dp->neigh_mac[i])
		return false;
	dp_mac_unpack(dp->neigh_mac[i], mac);
	return true;
}

rte_be32_t dp_next_hop(const struct dp *dp, unsigned int port, rte_be32_t dst)
{
	const struct dp_port_rt *p = &dp->ports[port];
	return dp_same_subnet(p, dst) || !p->conf.gateway ? dst : p->conf.gateway;
}

static int neigh_create(struct dp *dp, unsigned int port, rte_be32_t addr)
{
	struct dp_neigh_key k = { .addr = addr, .port = port };
	uint32_t idx;

	if (dp->neigh_nb_free == 0)
		rte_rcu_qsbr_dq_reclaim(dp->neigh_dq, dp->neigh_max, NULL, NULL, NULL);
	if (dp->neigh_nb_free == 0)
		return -1;
	idx = dp->neigh_free[--dp->neigh_nb_free];
	memset(&dp->neigh[idx], 0, sizeof(dp->neigh[idx]));
	dp->neigh[idx].addr = addr;
	dp->neigh[idx].port = (uint8_t)port;
	dp->neigh[idx].in_use = 1;
	__atomic_store_n(&dp->neigh_mac[idx], 0, __ATOMIC_RELAXED);
	if (rte_hash_add_key_data(dp->neigh_hash, &k, (void *)(uintptr_t)idx) != 0) {
		dp->neigh_free[dp->neigh_nb_free++] = idx;
		return -1;
	}
	return (int)idx;
}

static void neigh_delete(struct dp *dp, uint32_t idx)
{
	struct dp_neigh_key k = { .addr = dp->neigh[idx].addr, .port = dp->neigh[idx].port };
	rte_hash_del_key(dp->neigh_hash, &k);
	dp->neigh[idx].in_use = 0;
	if (rte_rcu_qsbr_dq_enqueue(dp->neigh_dq, &idx) != 0)
		DP_LOG(WARNING, "neighbour index %u leaked: defer queue full", idx);
}

/* ---- ARP frames ---- */

static struct rte_mbuf *arp_build(struct dp *dp, unsigned int port, uint16_t op,
				  const struct rte_ether_addr *dst_mac, rte_be32_t tip,
				  const struct rte_ether_addr *tha)
{
	const struct dp_port_rt *p = &dp->ports[port];
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp->cfg.pool);
	if (!m)
		return NULL;
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)rte_pktmbuf_append(
		m, sizeof(struct rte_ether_hdr) + sizeof(struct rte_arp_hdr));
	struct rte_arp_hdr *arp = (struct rte_arp_hdr *)(eth + 1);
	eth->dst_addr = *dst_mac;
	eth->src_addr = p->conf.mac;
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP);
	arp->arp_hardware = rte_cpu_to_be_16(RTE_ARP_HRD_ETHER);
	arp->arp_protocol = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	arp->arp_hlen = RTE_ETHER_ADDR_LEN;
	arp->arp_plen = 4;
	arp->arp_opcode = rte_cpu_to_be_16(op);
	arp->arp_data.arp_sha = p->conf.mac;
	arp->arp_data.arp_sip = p->conf.addr;
	arp->arp_data.arp_tha = *tha;
	arp->arp_data.arp_tip = tip;
	return m;
}

static void arp_request(struct dp *dp, unsigned int port, rte_be32_t addr)
{
	static const struct rte_ether_addr bcast = { .addr_bytes = { 0xff, 0xff, 0xff, 0xff, 0xff,
								      0xff } };
	static const struct rte_ether_addr zero;
	struct rte_mbuf *m = arp_build(dp, port, RTE_ARP_OP_REQUEST, &bcast, addr, &zero);
	if (m)
		dp_ctrl_send_raw(dp, port, m);
}

/* Sessions whose peer is reached through `addr` follow its new MAC. */
static void sessions_follow_mac(struct dp *dp, unsigned int port, rte_be32_t addr,
				const struct rte_ether_addr *mac)
{
	for (uint32_t slot = 1; slot <= dp->cfg.max_sessions; slot++) {
		const struct dp_session *s = &dp->sessions[slot];
		if (dp->slots[slot].state != DP_SLOT_LIVE || s->cfg.port != port ||
		    dp_next_hop(dp, port, s->cfg.peer_addr) != addr)
			continue;
		struct rte_mbuf *m = rte_pktmbuf_alloc(dp->cfg.pool);
		if (!m)
			return;
		*(struct rte_ether_addr *)rte_pktmbuf_append(m, sizeof(*mac)) = *mac;
		struct dp_meta *meta = dp_meta(m);
		memset(meta, 0, sizeof(*meta));
		meta->type = DP_DOWN_SET_MAC;
		meta->slot = slot;
		meta->gen = s->cfg.gen;
		if (rte_ring_enqueue(dp->workers[s->cfg.owner].down, m) != 0) {
			dp->down_full++;
			rte_pktmbuf_free(m);
		}
	}
}

void dp_neigh_learn(struct dp *dp, unsigned int port, rte_be32_t addr,
		    const struct rte_ether_addr *mac)
{
	int i = neigh_find(dp, port, addr);
	uint64_t packed = dp_mac_pack(mac);

	if (i < 0)
		i = neigh_create(dp, port, addr);
	if (i < 0 || dp->neigh[i].is_static)
		return;
	uint64_t old = dp->neigh_mac[i];
	dp->neigh[i].updated_tsc = rte_rdtsc();
	dp->neigh[i].tries = 0;
	__atomic_store_n(&dp->neigh_mac[i], packed, __ATOMIC_RELEASE);
	if (addr == dp->ports[port].conf.gateway)
		__atomic_store_n(&dp->ports[port].gw_mac, packed, __ATOMIC_RELEASE);
	if (old != packed) {
		char ip[16];
		uint32_t a = rte_be_to_cpu_32(addr);
		snprintf(ip, sizeof(ip), "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255,
			 a & 255);
		DP_LOG(INFO, "neighbour %s on port %u is " RTE_ETHER_ADDR_PRT_FMT, ip, port,
		       RTE_ETHER_ADDR_BYTES(mac));
		if (old && dp->ports[port].conf.role == DP_PORT_ACCESS)
			sessions_follow_mac(dp, port, addr, mac);
	}
}

int dp_neigh_set_static(struct dp *dp, unsigned int port, rte_be32_t addr,
			const struct rte_ether_addr *mac)
{
	if (port >= dp->cfg.nb_ports || addr == 0 || !rte_is_unicast_ether_addr(mac))
		return -EINVAL;
	int i = neigh_find(dp, port, addr);
	if (i >= 0)
		dp->neigh[i].is_static = 0; /* a new static MAC replaces the old */
	dp_neigh_learn(dp, port, addr, mac);
	i = neigh_find(dp, port, addr);
	if (i < 0)
		return -ENOSPC;
	dp->neigh[i].is_static = 1;
	return 0;
}

void dp_neigh_want(struct dp *dp, unsigned int port, rte_be32_t addr)
{
	int i = neigh_find(dp, port, addr);
	uint64_t now = rte_rdtsc();

	if (i < 0)
		i = neigh_create(dp, port, addr);
	if (i < 0)
		return;
	dp->neigh[i].wanted_tsc = now;
	if (!dp->neigh_mac[i] && now - dp->neigh[i].asked_tsc > dp->tsc_hz * NEIGH_RETRY_MS / 1000) {
		dp->neigh[i].asked_tsc = now;
		dp->neigh[i].tries++;
		arp_request(dp, port, addr);
	}
}

void dp_arp_input(struct dp *dp, unsigned int port, struct rte_mbuf *m)
{
	const struct dp_port_rt *p = &dp->ports[port];
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_arp_hdr *arp = (struct rte_arp_hdr *)(eth + 1);

	if (rte_pktmbuf_data_len(m) < sizeof(*eth) + sizeof(*arp) ||
	    arp->arp_hardware != rte_cpu_to_be_16(RTE_ARP_HRD_ETHER) ||
	    arp->arp_protocol != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) ||
	    arp->arp_hlen != RTE_ETHER_ADDR_LEN || arp->arp_plen != 4) {
		rte_pktmbuf_free(m);
		return;
	}
	rte_be32_t sip = arp->arp_data.arp_sip, tip = arp->arp_data.arp_tip;
	uint16_t op = rte_be_to_cpu_16(arp->arp_opcode);
	bool for_us = tip == p->conf.addr;
	bool known = neigh_find(dp, port, sip) >= 0;

	/* Learn those who talk to us and those we asked about; ignore the rest
	 * of the LAN, so that an ARP scan cannot fill the table. */
	if (sip != 0 && dp_same_subnet(p, sip) && rte_is_unicast_ether_addr(&arp->arp_data.arp_sha) &&
	    (for_us || known))
		dp_neigh_learn(dp, port, sip, &arp->arp_data.arp_sha);

	if (op == RTE_ARP_OP_REQUEST && for_us) {
		struct rte_mbuf *r = arp_build(dp, port, RTE_ARP_OP_REPLY, &arp->arp_data.arp_sha,
					       sip, &arp->arp_data.arp_sha);
		if (r)
			dp_ctrl_send_raw(dp, port, r);
		rte_pktmbuf_free(m);
		return;
	}
	/* Replies also go to the kernel, which may be resolving for TCP. */
	if (op == RTE_ARP_OP_REPLY && p->conf.tap_port_id != DP_NO_PORT) {
		if (rte_eth_tx_burst(p->conf.tap_port_id, 0, &m, 1) == 1)
			return;
	}
	rte_pktmbuf_free(m);
}

unsigned int dp_neigh_poll(struct dp *dp)
{
	uint64_t now = rte_rdtsc();
	unsigned int work = 0;

	if (now - dp->neigh_scan_tsc < dp->tsc_hz * NEIGH_SCAN_MS / 1000)
		return 0;
	dp->neigh_scan_tsc = now;
	for (uint32_t i = 0; i < dp->neigh_max; i++) {
		struct dp_neigh_ctrl *n = &dp->neigh[i];
		if (!n->in_use || n->is_static)
			continue;
		bool gateway = n->addr == dp->ports[n->port].conf.gateway;
		uint64_t mac = dp->neigh_mac[i];
		uint64_t idle = now - RTE_MAX(n->wanted_tsc, n->updated_tsc);
		if (!gateway && idle > dp->tsc_hz * NEIGH_IDLE_S) {
			neigh_delete(dp, i);
			work++;
			continue;
		}
		bool stale = mac && now - n->updated_tsc > dp->tsc_hz * dp->cfg.neigh_refresh_s;
		if (stale && n->tries >= NEIGH_MAX_TRIES) {
			/* Refreshes unanswered: the MAC is no longer trusted. */
			__atomic_store_n(&dp->neigh_mac[i], 0, __ATOMIC_RELEASE);
			if (gateway)
				__atomic_store_n(&dp->ports[n->port].gw_mac, 0, __ATOMIC_RELEASE);
			mac = 0;
			n->tries = 0;
		}
		bool due = now - n->asked_tsc > dp->tsc_hz * NEIGH_RETRY_MS / 1000;
		if ((!mac || stale) && due && (gateway || n->tries < NEIGH_MAX_TRIES)) {
			n->asked_tsc = now;
			n->tries++;
			arp_request(dp, n->port, n->addr);
			work++;
		}
	}
	return work;
}
