/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sessions installed and removed while a worker lcore forwards at full speed
 * (a generator lcore keeps its access ring full). Checks: no crash, no mbuf
 * leaked (the pool's in-use count returns to its baseline), and no packet of
 * a removed session forwarded after its removal completed.
 *
 * "Completed" is when dp_ctrl_poll() reports the slot reclaimed. A worker
 * reports a quiescent state only after flushing its TX buffers, so whatever
 * it forwarded under the old lookup is already in the TX ring then: the
 * reclaim hook drains that ring first, and from then on the session's address
 * must never appear again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_launch.h>
#include <rte_lcore.h>

#include "dataplane/dp.h"
#include "proto/gre.h"
#include "rig.h"

#define KEYS 64
#define RUN_MS 2000

enum key_state { K_IDLE, K_LIVE, K_REMOVING, K_DONE };

static struct rig rig;
static struct {
	enum key_state state;
	dp_session_id id;
	uint64_t remove_at;
	uint64_t forwarded;
	uint64_t after_done;
} keys[KEYS];
static volatile int gen_stop;
static uint64_t gen_sent;

static rte_be32_t key_sub(unsigned int k)
{
	return rte_cpu_to_be_32(0x64400100u + k); /* 100.64.1.k */
}

static unsigned int key_of(rte_be32_t sub)
{
	return (rte_be_to_cpu_32(sub) - 0x64400100u) & 0xFF;
}

/* One frame: Ethernet, IPv4 to our access address, GRE with a sequence
 * number, PPP IPv4, and an inner UDP packet from the key's address. */
static struct rte_mbuf *make_frame(unsigned int k, uint32_t seq)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(rig_pool);
	if (!m)
		return NULL;
	const uint16_t inner_len = 20 + 8 + 18;
	uint16_t len = (uint16_t)(14 + 20 + 12 + 4 + inner_len);
	uint8_t *p = (uint8_t *)rte_pktmbuf_append(m, len);
	memset(p, 0, len);
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)p;
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	eth->src_addr.addr_bytes[0] = 2;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(len - 14));
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_GRE;
	ip->src_addr = rig_ip(RIG_PEER);
	ip->dst_addr = rig_ip(RIG_ACCESS);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	uint8_t *g = (uint8_t *)(ip + 1);
	gre_pptp_write(g, (uint16_t)(0x100 + k), (uint16_t)(4 + inner_len), true, seq, false, 0);
	memcpy(g + 12, "\xff\x03\x00\x21", 4);
	struct rte_ipv4_hdr *in = (struct rte_ipv4_hdr *)(g + 16);
	in->version_ihl = RTE_IPV4_VHL_DEF;
	in->total_length = rte_cpu_to_be_16(inner_len);
	in->time_to_live = 64;
	in->next_proto_id = IPPROTO_UDP;
	in->src_addr = key_sub(k);
	in->dst_addr = rig_ip(RIG_GATEWAY);
	in->hdr_checksum = rte_ipv4_cksum(in);
	return m;
}

static int generator(void *arg)
{
	uint32_t seq[KEYS] = { 0 };
	(void)arg;
	while (!gen_stop) {
		for (unsigned int k = 0; k < KEYS && !gen_stop; k++) {
			struct rte_mbuf *m = make_frame(k, ++seq[k]);
			if (!m) {
				rte_pause();
				continue;
			}
			while (rte_ring_enqueue(rig.access.rx[0], m) != 0 && !gen_stop)
				rte_pause();
			if (gen_stop) {
				rte_pktmbuf_free(m);
				break;
			}
			gen_sent++;
		}
	}
	return 0;
}

static int worker(void *arg)
{
	(void)arg;
	return dp_worker_run(rig.dp, 0);
}

static void drain_uplink(void)
{
	struct rte_mbuf *m[64];
	unsigned int n;
	while ((n = rig_collect(&rig.uplink, -1, m, RTE_DIM(m))) > 0) {
		for (unsigned int i = 0; i < n; i++) {
			const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(
				rte_pktmbuf_mtod(m[i], struct rte_ether_hdr *) + 1);
			if (ip->next_proto_id == IPPROTO_UDP) {
				unsigned int k = key_of(ip->src_addr);
				if (k < KEYS) {
					keys[k].forwarded++;
					if (keys[k].state == K_DONE)
						keys[k].after_done++;
				}
			}
			rte_pktmbuf_free(m[i]);
		}
	}
}

static void on_reclaimed(void *arg, dp_session_id id, uint16_t call_id, rte_be32_t peer,
			 const struct dp_session_counters *final)
{
	(void)arg, (void)peer, (void)final;
	drain_uplink(); /* everything forwarded before completion */
	unsigned int k = (unsigned int)(call_id - 0x100);
	if (k < KEYS && keys[k].id == id)
		keys[k].state = K_DONE;
}

static const struct dp_ctrl_hooks churn_hooks = { .session_reclaimed = on_reclaimed };

static void test_churn_under_load(void **state)
{
	(void)state;
	unsigned int baseline = rte_mempool_in_use_count(rig_pool);
	unsigned int lw = rte_get_next_lcore(-1, 1, 0);
	unsigned int lg = rte_get_next_lcore(lw, 1, 0);
	assert_true(lw < RTE_MAX_LCORE && lg < RTE_MAX_LCORE);

	rig_create(&rig, 1, 20000, 1024);
	rig_resolve_gateway(&rig, getenv("DP_VECTORS"));
	srand(7);
	gen_stop = 0;
	assert_int_equal(rte_eal_remote_launch(worker, NULL, lw), 0);
	assert_int_equal(rte_eal_remote_launch(generator, NULL, lg), 0);

	uint64_t hz = rte_get_tsc_hz(), start = rte_rdtsc(), end = start + hz * RUN_MS / 1000;
	unsigned int installed = 0, removed = 0;
	while (rte_rdtsc() < end) {
		uint64_t now = rte_rdtsc();
		unsigned int k = (unsigned int)rand() % KEYS;
		if (keys[k].state == K_IDLE && now < start + hz * RUN_MS / 2000) {
			struct dp_session_params p = { .peer_addr = rig_ip(RIG_PEER),
						       .our_call_id = (uint16_t)(0x100 + k),
						       .peer_call_id = 1,
						       .access_port = 0,
						       .owner = 0 };
			struct dp_session_net n = { .sub_addr = key_sub(k), .mtu = 1400 };
			if (dp_session_install(rig.dp, &p, &keys[k].id) == 0 &&
			    dp_session_set_network(rig.dp, keys[k].id, &n) == 0) {
				keys[k].state = K_LIVE;
				keys[k].remove_at = now + (uint64_t)(rand() % 500) * hz / 1000;
				installed++;
			}
		} else if (keys[k].state == K_LIVE && now >= keys[k].remove_at && (k % 4) != 0) {
			/* One key in four stays: traffic keeps flowing to the end. */
			assert_int_equal(dp_session_remove(rig.dp, keys[k].id), 0);
			keys[k].state = K_REMOVING;
			removed++;
		}
		dp_ctrl_poll(rig.dp, &churn_hooks, NULL);
		drain_uplink();
	}

	gen_stop = 1;
	rte_eal_wait_lcore(lg);
	for (int i = 0; i < 1000; i++) {
		dp_ctrl_poll(rig.dp, &churn_hooks, NULL);
		drain_uplink();
	}
	dp_stop(rig.dp);
	rte_eal_wait_lcore(lw);

	unsigned int done = 0, violations = 0;
	uint64_t forwarded = 0;
	for (unsigned int k = 0; k < KEYS; k++) {
		done += keys[k].state == K_DONE;
		violations += (unsigned int)keys[k].after_done;
		forwarded += keys[k].forwarded;
	}
	struct dp_worker_counters c;
	dp_read_worker_counters(rig.dp, 0, &c);
	fprintf(stderr, "churn: %u installed, %u removed, %u reclaimed; %" PRIu64 " sent, %" PRIu64
			" forwarded, %" PRIu64 " for no session\n",
		installed, removed, done, gen_sent, forwarded, c.no_session);
	assert_true(installed >= 40);
	assert_true(removed >= 20);
	assert_int_equal(done, removed);
	assert_int_equal(violations, 0);
	assert_true(forwarded > 1000);
	rig_free(&rig);
	assert_int_equal(rte_mempool_in_use_count(rig_pool), baseline);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s VECTOR_DIR\n", argv[0]);
		return 2;
	}
	setenv("DP_VECTORS", argv[1], 1);
	if (rig_eal_init(argv[0]) != 0)
		return 1;
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_churn_under_load) };
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	rte_eal_cleanup();
	return rc;
}
