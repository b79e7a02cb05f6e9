/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpptp-qualify's loop over a ring-based pair of ports (no root, no NIC):
 * a TX port whose only queue is the "wire" ring and an RX port with four RX
 * rings. Between them the test plays the wire: it hashes frames onto the RX
 * queues (an RSS stand-in over the outer addresses, like the E810), and drops,
 * changes or copies what a scenario says. The tool's classify/compare logic
 * must then report exactly that.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <pcap/pcap.h>
#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "proto/wire.h"
#include "qual_dpdk.h"

#define NB_RXQ 4
#define COUNT 128

enum hash_mode { HASH_OUTER_ADDR, HASH_NONE };

struct wire {
	struct rte_ring *tx;          /* what the TX port sends */
	struct rte_ring *rx[NB_RXQ];  /* what the RX port receives, per queue */
	enum hash_mode hash;
	bool drop_gre, drop_gre1;
	uint32_t drop_classes;        /* bit per class */
	bool ttl_lcp;                 /* a router: TTL - 1 on gre1-lcp */
	bool dup_udp;                 /* every ipv4-udp frame twice */
	uint64_t moved;
};

static struct wire w;
static struct rte_mempool *pool;
static uint16_t tx_port, rx_port;
static const struct qual_net net = { .src_mac = { 0x02, 0, 0, 0, 0, 1 },
				     .dst_mac = { 0x02, 0, 0, 0, 0, 2 } };

static unsigned int pick_queue(const uint8_t *b)
{
	uint32_t h;

	if (w.hash == HASH_NONE)
		return 0;
	/* Outer IPv4 addresses only: what the E810's default DDP does for GRE. */
	h = (wire_get_be32(b + 26) ^ wire_get_be32(b + 30)) * 2654435761u;
	return (h >> 16) % NB_RXQ;
}

static bool drop(const uint8_t *b, size_t len)
{
	enum qual_class c;
	uint32_t i;

	if (w.drop_gre && b[23] == 47)
		return true;
	if (w.drop_gre1 && b[23] == 47 && (b[35] & 7) == 1)
		return true;
	return qual_identify(b, len, COUNT, &c, &i) == QUAL_ID_OURS &&
	       (w.drop_classes & (1u << c));
}

static void pump(void *arg)
{
	struct rte_mbuf *m[32];
	unsigned int n = rte_ring_dequeue_burst(w.tx, (void **)m, 32, NULL);

	(void)arg;
	for (unsigned int k = 0; k < n; k++) {
		uint8_t *b = rte_pktmbuf_mtod(m[k], uint8_t *);
		size_t len = rte_pktmbuf_data_len(m[k]);
		unsigned int q = pick_queue(b);
		enum qual_class c;
		uint32_t i;

		w.moved++;
		if (drop(b, len)) {
			rte_pktmbuf_free(m[k]);
			continue;
		}
		bool ours = qual_identify(b, len, COUNT, &c, &i) == QUAL_ID_OURS;
		if (ours && w.ttl_lcp && c == QC_GRE1_LCP)
			b[22]--;
		if (ours && w.dup_udp && c == QC_UDP) {
			struct rte_mbuf *copy = rte_pktmbuf_copy(m[k], pool, 0, UINT32_MAX);
			if (copy && rte_ring_enqueue(w.rx[q], copy) != 0)
				rte_pktmbuf_free(copy);
		}
		if (rte_ring_enqueue(w.rx[q], m[k]) != 0)
			rte_pktmbuf_free(m[k]);
	}
}

static void scenario(struct qual_tally *t, struct qual_verdict *v, struct qual_capture *cap)
{
	struct qual_run_cfg rc = { .tx_port = tx_port, .rx_port = rx_port, .nb_rxq = NB_RXQ,
				   .drain_tx_port = true, .pool = pool, .window = 64,
				   .stall_s = 0.02, .timeout_s = 0.3, .cap = cap, .pump = pump };

	assert_int_equal(qual_tally_init(t, &net, COUNT, NB_RXQ), 0);
	assert_int_equal(qual_run(&rc, t), 0);
	qual_verdict_compute(t, v);
	assert_int_equal(t->tx_failed, 0);
	assert_int_equal(t->other + t->damaged, 0);
	for (int c = 0; c < QC_COUNT; c++)
		assert_int_equal(t->cls[c].sent, COUNT);
}

static void reset(enum hash_mode hash)
{
	struct rte_ring *tx = w.tx, *rx[NB_RXQ];

	memcpy(rx, w.rx, sizeof(rx));
	memset(&w, 0, sizeof(w));
	w.tx = tx;
	memcpy(w.rx, rx, sizeof(rx));
	w.hash = hash;
}

static int group_setup(void **state)
{
	char prefix[64];
	struct rte_ring *t_rx, *r_tx[NB_RXQ];
	char name[32];

	(void)state;
	snprintf(prefix, sizeof(prefix), "--file-prefix=dpptp-qual-ring-%d", (int)getpid());
	char *argv[] = { "test_ring", "--no-huge", "-m", "512", "--no-pci", "--no-shconf",
			 "--no-telemetry", prefix, "-l", "0", "--log-level=lib.eal:error",
			 "--log-level=pmd.net.ring:error" };
	if (rte_eal_init((int)RTE_DIM(argv), argv) < 0)
		return -1;
	pool = rte_pktmbuf_pool_create("qual_ring_pool", 16383, 256, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE, 0);
	w.tx = rte_ring_create("qual_wire", 4096, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
	t_rx = rte_ring_create("qual_t_rx", 64, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (!pool || !w.tx || !t_rx)
		return -1;
	for (int q = 0; q < NB_RXQ; q++) {
		snprintf(name, sizeof(name), "qual_r_rx%d", q);
		w.rx[q] = rte_ring_create(name, 4096, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(name, sizeof(name), "qual_r_tx%d", q);
		r_tx[q] = rte_ring_create(name, 64, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (!w.rx[q] || !r_tx[q])
			return -1;
	}
	int t = rte_eth_from_rings("qual_tx", &t_rx, 1, &w.tx, 1, 0);
	int r = rte_eth_from_rings("qual_rx", w.rx, NB_RXQ, r_tx, NB_RXQ, 0);
	if (t < 0 || r < 0)
		return -1;
	tx_port = (uint16_t)t;
	rx_port = (uint16_t)r;

	struct qual_port_conf tc = { .nb_rxq = 1, .nb_txq = 1, .nb_desc = 512, .pool = pool };
	struct qual_port_conf rcf = { .nb_rxq = NB_RXQ, .nb_txq = NB_RXQ, .nb_desc = 512,
				      .pool = pool, .promiscuous = true };
	uint64_t hf;
	char desc[160];
	if (qual_port_setup(tx_port, &tc, &hf, desc, sizeof(desc)) != 0 ||
	    qual_port_setup(rx_port, &rcf, &hf, desc, sizeof(desc)) != 0)
		return -1;
	/* net_ring offers no RSS: the wire above is the hash. */
	return strstr(desc, "net_ring offers no IPv4 RSS") ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	rte_eth_dev_stop(tx_port);
	rte_eth_dev_stop(rx_port);
	rte_eal_cleanup();
	return 0;
}

static void test_clean_wire_passes(void **state)
{
	struct qual_tally t;
	struct qual_verdict v;
	unsigned int used = 0;

	(void)state;
	reset(HASH_OUTER_ADDR);
	scenario(&t, &v, NULL);
	assert_true(v.pass);
	for (int c = 0; c < QC_COUNT; c++) {
		assert_int_equal(t.cls[c].received, COUNT);
		assert_int_equal(t.cls[c].intact, COUNT);
	}
	for (int q = 0; q < NB_RXQ; q++)
		used += t.cls[QC_GRE1_SOURCES].queue[q] != 0;
	assert_true(used > 1);
	/* One source, many call IDs: one queue, as on an E810. */
	assert_non_null(strstr(v.rss_note, "RSS hashes the outer addresses only"));
	assert_int_equal(w.moved, (uint64_t)COUNT * QC_COUNT);
	qual_tally_free(&t);
}

static void test_protocol_47_dropped(void **state)
{
	struct qual_tally t;
	struct qual_verdict v;
	char list[256];

	(void)state;
	reset(HASH_OUTER_ADDR);
	w.drop_gre = true;
	scenario(&t, &v, NULL);
	assert_false(v.pass);
	qual_class_list(v.problems[QP_LOST], true, list, sizeof(list));
	assert_string_equal(list, "gre1-seq,gre1-seq-ack,gre1-ack-only,gre1-lcp,gre1-acfc-pfc,"
				  "gre1-odd-len,gre1-call-ids,gre1-sources");
	assert_true(v.class_ok[QC_UDP]);
	assert_true(v.class_ok[QC_TCP_1723]);
	assert_int_equal(t.cls[QC_GRE0].received, 0);
	assert_non_null(strstr(v.diagnosis, "IP protocol 47"));
	qual_tally_free(&t);
}

static void test_gre1_dropped_is_document_000(void **state)
{
	struct qual_tally t;
	struct qual_verdict v;

	(void)state;
	reset(HASH_NONE);
	w.drop_gre1 = true;
	scenario(&t, &v, NULL);
	assert_false(v.pass);
	assert_true(v.class_ok[QC_GRE0]);
	assert_true(v.class_ok[QC_TCP_1723]);
	assert_non_null(strstr(v.diagnosis, "document 000"));
	assert_non_null(strstr(v.rss_note, "everything landed on queue 0"));
	qual_tally_free(&t);
}

static void test_one_class_dropped(void **state)
{
	struct qual_tally t;
	struct qual_verdict v;

	(void)state;
	reset(HASH_OUTER_ADDR);
	w.drop_classes = 1u << QC_GRE1_ACK_ONLY;
	scenario(&t, &v, NULL);
	assert_false(v.pass);
	assert_int_equal(v.problems[QP_LOST], 1u << QC_GRE1_ACK_ONLY);
	assert_non_null(strstr(v.diagnosis, "lost entirely: gre1-ack-only"));
	qual_tally_free(&t);
}

static void test_mangled_and_duplicated(void **state)
{
	struct qual_tally t;
	struct qual_verdict v;

	(void)state;
	reset(HASH_OUTER_ADDR);
	w.ttl_lcp = true;
	w.dup_udp = true;
	scenario(&t, &v, NULL);
	assert_false(v.pass);
	assert_int_equal(t.cls[QC_GRE1_LCP].mangled, COUNT);
	assert_int_equal(t.cls[QC_GRE1_LCP].mangled_offset, 22);
	assert_int_equal(t.cls[QC_UDP].duplicated, COUNT);
	assert_int_equal(v.problems[QP_LOST], 0);
	assert_int_equal(v.problems[QP_MANGLED], 1u << QC_GRE1_LCP);
	assert_int_equal(v.problems[QP_DUPLICATED], 1u << QC_UDP);
	qual_tally_free(&t);
}

static unsigned int pcap_frames(const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	unsigned int n = 0;
	pcap_t *p = pcap_open_offline(path, err);

	assert_non_null(p);
	while (pcap_next_ex(p, &h, &d) == 1)
		n++;
	pcap_close(p);
	return n;
}

static void test_captures(void **state)
{
	char dir[] = "/tmp/dpptp-qual-ring-XXXXXX", path[256];
	struct qual_tally t;
	struct qual_verdict v;
	struct qual_capture *cap;

	(void)state;
	assert_non_null(mkdtemp(dir));
	reset(HASH_OUTER_ADDR);
	w.drop_gre1 = true;
	cap = qual_capture_open(dir);
	assert_non_null(cap);
	scenario(&t, &v, cap);
	qual_capture_close(cap);
	snprintf(path, sizeof(path), "%s/qualify-tx.pcap", dir);
	assert_int_equal(pcap_frames(path), COUNT * QC_COUNT);
	unlink(path);
	snprintf(path, sizeof(path), "%s/qualify-rx.pcap", dir);
	assert_int_equal(pcap_frames(path), COUNT * 3); /* gre0 and the controls */
	unlink(path);
	rmdir(dir);
	qual_tally_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_wire_passes),
		cmocka_unit_test(test_protocol_47_dropped),
		cmocka_unit_test(test_gre1_dropped_is_document_000),
		cmocka_unit_test(test_one_class_dropped),
		cmocka_unit_test(test_mangled_and_duplicated),
		cmocka_unit_test(test_captures),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
