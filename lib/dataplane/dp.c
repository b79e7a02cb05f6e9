/* SPDX-License-Identifier: BSD-3-Clause */
/* Creating and destroying the data plane: tables, rings, RCU, workers. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_lpm.h>
#include <rte_malloc.h>
#include <rte_mbuf_dyn.h>
#include <rte_rcu_qsbr.h>

#include "dp_internal.h"
#include "dp_log.h"

RTE_LOG_REGISTER_DEFAULT(dp_logtype, INFO);

int dp_meta_offset = -1;
static unsigned int dp_instances;

void dp_config_default(struct dp_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->max_sessions = 65536;
	cfg->ring_size = 4096;
	cfg->lone_ack_delay_us = 20000;
	cfg->neigh_refresh_s = 60;
	cfg->route_tbl8_groups = 1024;
	cfg->verify_ip_checksum = true;
	cfg->socket_id = SOCKET_ID_ANY;
}

static int register_meta(void)
{
	static const struct rte_mbuf_dynfield desc = {
		.name = "dpptp_dp_meta",
		.size = sizeof(struct dp_meta),
		.align = __alignof__(struct dp_meta),
	};
	if (dp_meta_offset < 0)
		dp_meta_offset = rte_mbuf_dynfield_register(&desc);
	return dp_meta_offset < 0 ? -rte_errno : 0;
}

static uint32_t pow2_at_least(uint32_t v)
{
	uint32_t p = 1;
	while (p < v)
		p <<= 1;
	return p;
}

static struct rte_ring *make_ring(const char *what, unsigned int id, unsigned int a,
				  unsigned int b, uint32_t size, int socket)
{
	char name[RTE_RING_NAMESIZE];
	snprintf(name, sizeof(name), "dp%u_%.4s_%u_%u", id % 10000, what, a % 100, b % 100);
	return rte_ring_create(name, size, socket, RING_F_SP_ENQ | RING_F_SC_DEQ);
}

static int check_config(const struct dp_config *cfg)
{
	if (cfg->nb_workers == 0 || cfg->nb_workers > DP_MAX_WORKERS) {
		DP_LOG(ERR, "nb_workers %u: must be 1..%u", cfg->nb_workers, DP_MAX_WORKERS);
		return -EINVAL;
	}
	if (cfg->nb_ports == 0 || cfg->nb_ports > DP_MAX_PORTS || !cfg->pool) {
		DP_LOG(ERR, "need 1..%u ports and an mbuf pool", DP_MAX_PORTS);
		return -EINVAL;
	}
	if (cfg->max_sessions == 0 || cfg->max_sessions > (1u << 24)) {
		DP_LOG(ERR, "max_sessions %u: must be 1..%u", cfg->max_sessions, 1u << 24);
		return -EINVAL;
	}
	if (cfg->ring_size < 64 || !rte_is_power_of_2(cfg->ring_size)) {
		DP_LOG(ERR, "ring_size %u: must be a power of two >= 64", cfg->ring_size);
		return -EINVAL;
	}
	for (unsigned int i = 0; i < cfg->nb_ports; i++) {
		const struct dp_port_conf *p = &cfg->ports[i];
		if (!rte_eth_dev_is_valid_port(p->port_id) || p->prefix_len > 32 || p->addr == 0) {
			DP_LOG(ERR, "port %u: invalid port id, address or prefix", i);
			return -EINVAL;
		}
		if (p->tap_port_id != DP_NO_PORT && !rte_eth_dev_is_valid_port(p->tap_port_id)) {
			DP_LOG(ERR, "port %u: invalid tap port id %u", i, p->tap_port_id);
			return -EINVAL;
		}
	}
	return 0;
}

static int create_tables(struct dp *dp, unsigned int id)
{
	const struct dp_config *cfg = &dp->cfg;
	char name[64];
	size_t qsz = rte_rcu_qsbr_get_memsize(cfg->nb_workers);

	dp->qsbr = rte_zmalloc_socket("dp_qsbr", qsz, RTE_CACHE_LINE_SIZE, cfg->socket_id);
	if (!dp->qsbr || rte_rcu_qsbr_init(dp->qsbr, cfg->nb_workers) != 0)
		return -ENOMEM;

	snprintf(name, sizeof(name), "dp%u_decap", id);
	struct rte_hash_parameters hp = {
		.name = name,
		/* Cuckoo tables fill to ~90%; leave room so inserts never fail. */
		.entries = RTE_MAX(pow2_at_least(cfg->max_sessions + cfg->max_sessions / 4), 64u),
		.key_len = sizeof(struct dp_decap_key),
		.hash_func = rte_hash_crc,
		.socket_id = cfg->socket_id,
		.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF,
	};
	dp->decap_hash = rte_hash_create(&hp);
	if (!dp->decap_hash)
		return -rte_errno;
	struct rte_hash_rcu_config hrc = { .v = dp->qsbr, .mode = RTE_HASH_QSBR_MODE_DQ };
	if (rte_hash_rcu_qsbr_add(dp->decap_hash, &hrc) != 0)
		return -rte_errno;

	snprintf(name, sizeof(name), "dp%u_encap", id);
	struct rte_lpm_config lc = {
		.max_rules = cfg->max_sessions,
		.number_tbl8s = cfg->route_tbl8_groups,
	};
	dp->encap_lpm = rte_lpm_create(name, cfg->socket_id, &lc);
	if (!dp->encap_lpm)
		return -rte_errno;
	struct rte_lpm_rcu_config lrc = { .v = dp->qsbr, .mode = RTE_LPM_QSBR_MODE_DQ };
	if (rte_lpm_rcu_qsbr_add(dp->encap_lpm, &lrc) != 0)
		return -rte_errno;
	return 0;
}

static int create_workers(struct dp *dp, unsigned int id)
{
	const struct dp_config *cfg = &dp->cfg;
	uint32_t ackq = pow2_at_least(cfg->max_sessions + 1);

	for (unsigned int w = 0; w < cfg->nb_workers; w++) {
		struct dp_worker *wk = &dp->workers[w];
		wk->idx = w;
		wk->down = make_ring("down", id, w, 0, cfg->ring_size, cfg->socket_id);
		wk->up = make_ring("up", id, w, 0, cfg->ring_size, cfg->socket_id);
		wk->capture = make_ring("cap", id, w, 0, cfg->ring_size, cfg->socket_id);
		wk->ackq = rte_zmalloc_socket("dp_ackq", ackq * sizeof(*wk->ackq),
					      RTE_CACHE_LINE_SIZE, cfg->socket_id);
		if (!wk->down || !wk->up || !wk->capture || !wk->ackq)
			return -ENOMEM;
		wk->ackq_mask = ackq - 1;
		for (unsigned int to = 0; to < cfg->nb_workers; to++) {
			if (to == w)
				continue;
			dp->handoff[w][to] = make_ring("hand", id, w, to, cfg->ring_size,
						       cfg->socket_id);
			if (!dp->handoff[w][to])
				return -ENOMEM;
		}
		if (rte_rcu_qsbr_thread_register(dp->qsbr, w) != 0)
			return -EINVAL;
		rte_rcu_qsbr_thread_online(dp->qsbr, w);
	}
	return 0;
}

static int init_ports(struct dp *dp)
{
	memset(dp->port_index, 0xFF, sizeof(dp->port_index));
	memset(dp->tap_index, 0xFF, sizeof(dp->tap_index));
	dp->uplink = dp->cfg.nb_ports;
	for (unsigned int i = 0; i < dp->cfg.nb_ports; i++) {
		struct dp_port_rt *p = &dp->ports[i];
		p->conf = dp->cfg.ports[i];
		p->mask = p->conf.prefix_len ? rte_cpu_to_be_32(~0u << (32 - p->conf.prefix_len)) : 0;
		if (rte_eth_macaddr_get(p->conf.port_id, &p->conf.mac) != 0)
			return -EINVAL;
		dp->cfg.ports[i].mac = p->conf.mac;
		dp_port_fast_init(p);
		dp->port_index[p->conf.port_id] = (uint8_t)i;
		if (p->conf.role == DP_PORT_UPLINK && dp->uplink == dp->cfg.nb_ports)
			dp->uplink = i;
		if (p->conf.tap_port_id != DP_NO_PORT)
			dp->tap_index[p->conf.tap_port_id] = (uint8_t)i;
	}
	return 0;
}

struct dp *dp_create(const struct dp_config *cfg)
{
	unsigned int id = dp_instances++;
	struct dp *dp;
	int rc;

	rc = check_config(cfg);
	if (rc == 0)
		rc = register_meta();
	if (rc != 0) {
		rte_errno = -rc;
		return NULL;
	}
	dp = rte_zmalloc_socket("dp", sizeof(*dp), RTE_CACHE_LINE_SIZE, cfg->socket_id);
	if (!dp) {
		rte_errno = ENOMEM;
		return NULL;
	}
	dp->cfg = *cfg;
	dp->tsc_hz = rte_get_tsc_hz();
	dp->lone_ack_tsc = dp->tsc_hz / 1000000 * cfg->lone_ack_delay_us;

	uint32_t slots = cfg->max_sessions + 1;
	dp->sessions = rte_zmalloc_socket("dp_sessions", slots * sizeof(*dp->sessions),
					  RTE_CACHE_LINE_SIZE, cfg->socket_id);
	dp->slots = rte_zmalloc_socket("dp_slots", slots * sizeof(*dp->slots), 0, cfg->socket_id);
	dp->free_slots = rte_malloc_socket("dp_free", slots * sizeof(uint32_t), 0,
					   cfg->socket_id);
	dp->by_call_id = rte_zmalloc_socket("dp_by_call_id", 65536 * sizeof(uint32_t),
					    RTE_CACHE_LINE_SIZE, cfg->socket_id);
	if (cfg->mppe)
		dp->mppe = rte_zmalloc_socket("dp_mppe", slots * sizeof(*dp->mppe),
					      RTE_CACHE_LINE_SIZE, cfg->socket_id);
	if (!dp->sessions || !dp->slots || !dp->free_slots || !dp->by_call_id ||
	    (cfg->mppe && !dp->mppe)) {
		rc = -ENOMEM;
		goto fail;
	}
	/* Hand out low slots first: LIFO over a stack filled high to low. */
	for (uint32_t i = 0; i < cfg->max_sessions; i++)
		dp->free_slots[i] = cfg->max_sessions - i;
	dp->nb_free = cfg->max_sessions;

	rc = init_ports(dp);
	if (rc == 0)
		rc = create_tables(dp, id);
	if (rc == 0)
		rc = create_workers(dp, id);
	if (rc == 0)
		rc = dp_neigh_init(dp);
	if (rc != 0)
		goto fail;
	DP_LOG(INFO, "created: %u workers, %u ports, %u session slots (%zu bytes each%s)",
	       cfg->nb_workers, cfg->nb_ports, cfg->max_sessions,
	       sizeof(struct dp_session) + (cfg->mppe ? sizeof(struct dp_mppe) : 0),
	       cfg->mppe ? ", MPPE state included" : "");
	return dp;
fail:
	DP_LOG(ERR, "create failed: %s", strerror(-rc));
	dp_free(dp);
	rte_errno = -rc;
	return NULL;
}

static void drain_ring(struct rte_ring *r)
{
	void *objs[DP_BURST];
	unsigned int n;
	if (!r)
		return;
	while ((n = rte_ring_dequeue_burst(r, objs, DP_BURST, NULL)) > 0)
		rte_pktmbuf_free_bulk((struct rte_mbuf **)objs, n);
}

void dp_free(struct dp *dp)
{
	if (!dp)
		return;
	for (unsigned int w = 0; w < DP_MAX_WORKERS; w++) {
		struct dp_worker *wk = &dp->workers[w];
		drain_ring(wk->down);
		drain_ring(wk->up);
		drain_ring(wk->capture);
		rte_ring_free(wk->down);
		rte_ring_free(wk->up);
		rte_ring_free(wk->capture);
		for (unsigned int p = 0; p < DP_MAX_PORTS; p++)
			rte_pktmbuf_free_bulk(wk->tx[p].pkts, wk->tx[p].n);
		rte_free(wk->ackq);
		for (unsigned int to = 0; to < DP_MAX_WORKERS; to++) {
			drain_ring(dp->handoff[w][to]);
			rte_ring_free(dp->handoff[w][to]);
		}
	}
	dp_neigh_free(dp);
	rte_lpm_free(dp->encap_lpm);
	rte_hash_free(dp->decap_hash);
	rte_free(dp->qsbr);
	rte_free(dp->sessions);
	rte_free(dp->slots);
	rte_free(dp->free_slots);
	rte_free(dp->by_call_id);
	if (dp->mppe) /* keys of sessions still live at shutdown */
		explicit_bzero(dp->mppe, ((size_t)dp->cfg.max_sessions + 1) * sizeof(*dp->mppe));
	rte_free(dp->mppe);
	rte_free(dp);
}

void dp_stop(struct dp *dp)
{
	__atomic_store_n(&dp->quit, 1, __ATOMIC_RELEASE);
}

unsigned int dp_nb_workers(const struct dp *dp)
{
	return dp->cfg.nb_workers;
}

unsigned int dp_nb_sessions(const struct dp *dp)
{
	return dp->nb_live;
}

void dp_read_worker_counters(const struct dp *dp, int worker, struct dp_worker_counters *out)
{
	const unsigned int n = sizeof(*out) / sizeof(uint64_t);
	uint64_t *o = (uint64_t *)out;

	memset(out, 0, sizeof(*out));
	for (unsigned int w = 0; w < dp->cfg.nb_workers; w++) {
		if (worker >= 0 && (unsigned int)worker != w)
			continue;
		const uint64_t *c = (const uint64_t *)&dp->workers[w].ctr;
		for (unsigned int i = 0; i < n; i++)
			o[i] += __atomic_load_n(&c[i], __ATOMIC_RELAXED);
	}
}

void dp_read_ring_stats(const struct dp *dp, struct dp_ring_stats *out)
{
	memset(out, 0, sizeof(*out));
	out->down_full = dp->down_full;
	for (unsigned int w = 0; w < dp->cfg.nb_workers; w++) {
		out->up_full += __atomic_load_n(&dp->workers[w].up_full, __ATOMIC_RELAXED);
		out->up_used += rte_ring_count(dp->workers[w].up);
		out->down_used += rte_ring_count(dp->workers[w].down);
	}
}
