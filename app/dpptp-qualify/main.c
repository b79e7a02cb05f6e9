/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpptp-qualify: the NIC GRE-version-1 qualification test (docs/qualify.md).
 *
 *   dpptp-qualify [EAL args] -- --tx-port DEV --rx-port DEV | --loopback DEV
 *                 [--rxq N] [--count N] [--pcap-dir DIR] [--json] [--timeout S]
 *                 [--window N] [--lpbk-mode N] [--link-wait S]
 *
 * Exit status: 0 every GRE version 1 class and the controls arrived complete
 * and intact; 1 something was lost, mangled or duplicated (named in the
 * report); 2 usage or set-up error.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "qual_dpdk.h"

#define EXIT_FAIL 1
#define EXIT_SETUP 2
#define NB_DESC 1024

struct opts {
	const char *tx_dev, *rx_dev, *loop_dev, *pcap_dir;
	unsigned int rxq; /* 0: automatic */
	unsigned int count, window;
	double timeout, link_wait;
	uint32_t lpbk_mode;
	bool json;
};

static void usage(const char *prog)
{
	printf("usage: %s [EAL args] -- (--tx-port DEV --rx-port DEV | --loopback DEV) [options]\n"
	       "  DEV                  a PCI address or a vdev string (net_af_packet0,iface=eth1)\n"
	       "  --tx-port DEV        the port that sends\n"
	       "  --rx-port DEV        the port that receives (cabled back to back with it)\n"
	       "  --loopback DEV       one port that receives what it sends\n"
	       "  --rxq N              RX queues on the receiving port, RSS over IPv4\n"
	       "                       (default: af_packet's qpairs, else up to 4)\n"
	       "  --count N            frames per class, 1..%u (default 256)\n"
	       "  --pcap-dir DIR       write DIR/qualify-tx.pcap and DIR/qualify-rx.pcap\n"
	       "  --json               the report as JSON\n"
	       "  --timeout S          wait for stragglers after the last frame (default 2)\n"
	       "  --window N           frames in flight (default 64)\n"
	       "  --lpbk-mode N        the NIC's internal loopback mode (default 0: a cable)\n"
	       "  --link-wait S        wait for the links to come up (default 10)\n"
	       "exit status: 0 pass, 1 frames lost/mangled/duplicated, 2 usage or set-up error\n",
	       prog, QUAL_MAX_COUNT);
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "tx-port", required_argument, NULL, 't' },
		{ "rx-port", required_argument, NULL, 'r' },
		{ "loopback", required_argument, NULL, 'l' },
		{ "rxq", required_argument, NULL, 'q' },
		{ "count", required_argument, NULL, 'c' },
		{ "pcap-dir", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "window", required_argument, NULL, 'w' },
		{ "lpbk-mode", required_argument, NULL, 'L' },
		{ "link-wait", required_argument, NULL, 'W' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	*o = (struct opts){ .count = 256, .window = 64, .timeout = 2, .link_wait = 10 };
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 't': o->tx_dev = optarg; break;
		case 'r': o->rx_dev = optarg; break;
		case 'l': o->loop_dev = optarg; break;
		case 'q': o->rxq = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'c': o->count = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'p': o->pcap_dir = optarg; break;
		case 'j': o->json = true; break;
		case 'T': o->timeout = atof(optarg); break;
		case 'w': o->window = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'L': o->lpbk_mode = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'W': o->link_wait = atof(optarg); break;
		case 'h': usage(argv[0]); exit(0);
		default: usage(argv[0]); return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "dpptp-qualify: unexpected argument %s\n", argv[optind]);
		return -1;
	}
	if (!!o->loop_dev == !!(o->tx_dev || o->rx_dev) ||
	    (!o->loop_dev && (!o->tx_dev || !o->rx_dev))) {
		fprintf(stderr, "dpptp-qualify: give --tx-port and --rx-port, or --loopback\n");
		return -1;
	}
	if (o->count < 1 || o->count > QUAL_MAX_COUNT) {
		fprintf(stderr, "dpptp-qualify: --count %u: expected 1..%u\n", o->count,
			QUAL_MAX_COUNT);
		return -1;
	}
	if (o->rxq > QUAL_MAX_RXQ || o->window < 1 || o->timeout < 0 || o->link_wait < 0) {
		fprintf(stderr, "dpptp-qualify: --rxq 1..%u, --window >= 1, --timeout >= 0\n",
			QUAL_MAX_RXQ);
		return -1;
	}
	return 0;
}

/* RX queues: as asked, else af_packet's qpairs (every one is a fanout socket
 * that gets frames), else up to 4. */
static int pick_rxq(const struct opts *o, uint16_t port, uint16_t *nb)
{
	char drv[64];
	uint16_t max;

	if (qual_port_driver(port, drv, sizeof(drv), &max) != 0)
		return -1;
	bool afp = !strcmp(drv, "net_af_packet");
	if (o->rxq) {
		if (afp && o->rxq != max) {
			fprintf(stderr, "dpptp-qualify: --rxq %u but the af_packet port has %u "
					"queue pair(s): give its vdev qpairs=%u (every pair receives)\n",
				o->rxq, max, o->rxq);
			return -1;
		}
		*nb = (uint16_t)o->rxq;
		return 0;
	}
	*nb = afp ? max : (uint16_t)RTE_MIN(max, 4);
	if (*nb > QUAL_MAX_RXQ)
		*nb = QUAL_MAX_RXQ;
	return *nb ? 0 : -1;
}

struct setup {
	uint16_t tx, rx, nb_rxq;
	bool tx_started, rx_started;
	struct rte_mempool *pool;
	struct qual_env env;
};

static int set_up(const struct opts *o, struct setup *s)
{
	const char *txd = o->loop_dev ? o->loop_dev : o->tx_dev;
	const char *rxd = o->loop_dev ? o->loop_dev : o->rx_dev;
	bool loop = o->loop_dev != NULL;
	uint64_t rss_hf;
	char dummy[160];

	if (qual_port_resolve(txd, &s->tx) != 0 || qual_port_resolve(rxd, &s->rx) != 0)
		return -1;
	if (!loop && s->tx == s->rx) {
		fprintf(stderr, "dpptp-qualify: --tx-port and --rx-port are the same port: "
				"use --loopback\n");
		return -1;
	}
	if (pick_rxq(o, s->rx, &s->nb_rxq) != 0)
		return -1;
	unsigned int n = (unsigned int)(s->nb_rxq + 2) * NB_DESC + o->window + 4096;
	s->pool = rte_pktmbuf_pool_create("qualify_pool", n, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					  (int)rte_socket_id());
	if (!s->pool) {
		fprintf(stderr, "dpptp-qualify: mbuf pool of %u: %s (give EAL more memory: -m)\n",
			n, rte_strerror(rte_errno));
		return -1;
	}
	struct qual_port_conf rc = { .nb_rxq = s->nb_rxq, .nb_txq = s->nb_rxq, .nb_desc = NB_DESC,
				     .pool = s->pool, .lpbk_mode = o->lpbk_mode,
				     .promiscuous = true };
	if (qual_port_setup(s->rx, &rc, &rss_hf, s->env.rss_desc, sizeof(s->env.rss_desc))) {
		fprintf(stderr, "dpptp-qualify: cannot set up %s\n", rxd);
		return -1;
	}
	s->rx_started = true;
	if (!loop) {
		struct qual_port_conf tc = { .nb_rxq = 1, .nb_txq = 1, .nb_desc = NB_DESC,
					     .pool = s->pool, .lpbk_mode = o->lpbk_mode };
		uint64_t ignored;
		if (qual_port_setup(s->tx, &tc, &ignored, dummy, sizeof(dummy))) {
			fprintf(stderr, "dpptp-qualify: cannot set up %s\n", txd);
			return -1;
		}
		s->tx_started = true;
	}
	s->env.loopback = loop;
	s->env.nb_rxq = s->nb_rxq;
	s->env.rss = rss_hf != 0;
	s->env.rss_hf = rss_hf;
	qual_port_describe(s->tx, txd, s->env.tx_desc, sizeof(s->env.tx_desc));
	qual_port_describe(s->rx, rxd, s->env.rx_desc, sizeof(s->env.rx_desc));
	bool up = qual_port_wait_link(s->tx, o->link_wait);
	up = qual_port_wait_link(s->rx, o->link_wait) && up;
	s->env.links_up = up;
	if (!up)
		fprintf(stderr, "dpptp-qualify: warning: a link is still down after %.0f s; "
				"going on\n", o->link_wait);
	return 0;
}

static int qualify(const struct opts *o, struct setup *s)
{
	struct qual_port_stats tx0, rx0, tx1, rx1;
	struct qual_verdict v;
	struct qual_tally t;
	struct qual_net net;
	struct rte_ether_addr mac;
	struct qual_capture *cap = NULL;

	rte_eth_macaddr_get(s->tx, &mac);
	memcpy(net.src_mac, mac.addr_bytes, 6);
	rte_eth_macaddr_get(s->rx, &mac);
	memcpy(net.dst_mac, mac.addr_bytes, 6);
	if (qual_tally_init(&t, &net, o->count, s->nb_rxq) != 0)
		return EXIT_SETUP;
	if (o->pcap_dir) {
		cap = qual_capture_open(o->pcap_dir);
		if (!cap) {
			qual_tally_free(&t);
			return EXIT_SETUP;
		}
		snprintf(s->env.pcap_tx, sizeof(s->env.pcap_tx), "%s", qual_capture_path(cap, false));
		snprintf(s->env.pcap_rx, sizeof(s->env.pcap_rx), "%s", qual_capture_path(cap, true));
	}
	struct qual_run_cfg rc = { .tx_port = s->tx, .rx_port = s->rx, .nb_rxq = s->nb_rxq,
				   .drain_tx_port = s->tx != s->rx, .pool = s->pool,
				   .window = o->window, .stall_s = 0.02, .timeout_s = o->timeout,
				   .cap = cap };
	qual_port_stats(s->tx, &tx0);
	qual_port_stats(s->rx, &rx0);
	uint64_t t0 = rte_get_timer_cycles();
	if (qual_run(&rc, &t) != 0) {
		qual_capture_close(cap);
		qual_tally_free(&t);
		return EXIT_SETUP;
	}
	s->env.seconds = (double)(rte_get_timer_cycles() - t0) / (double)rte_get_timer_hz();
	qual_port_stats(s->tx, &tx1);
	qual_port_stats(s->rx, &rx1);
	qual_port_stats_delta(&s->env.tx_stats, &tx0, &tx1);
	qual_port_stats_delta(&s->env.rx_stats, &rx0, &rx1);
	s->env.have_stats = true;
	qual_capture_close(cap);

	qual_verdict_compute(&t, &v);
	if (o->json)
		qual_report_json(stdout, &s->env, &t, &v);
	else
		qual_report_text(stdout, &s->env, &t, &v);
	fflush(stdout);
	if (!v.pass && o->json) {
		char lost[256];
		qual_class_list(v.problems[QP_LOST], true, lost, sizeof(lost));
		fprintf(stderr, "dpptp-qualify: FAIL%s%s\n", lost[0] ? ": lost " : "", lost);
	}
	qual_tally_free(&t);
	return v.pass ? 0 : EXIT_FAIL;
}

int main(int argc, char **argv)
{
	struct setup s;
	struct opts o;
	int rc = rte_eal_init(argc, argv);

	if (rc < 0) {
		fprintf(stderr, "dpptp-qualify: EAL initialisation failed: %s\n",
			rte_strerror(rte_errno));
		return EXIT_SETUP;
	}
	argc -= rc;
	argv += rc;
	if (parse_opts(argc, argv, &o) != 0) {
		rte_eal_cleanup();
		return EXIT_SETUP;
	}
	memset(&s, 0, sizeof(s));
	rc = set_up(&o, &s) == 0 ? qualify(&o, &s) : EXIT_SETUP;
	if (s.rx_started)
		rte_eth_dev_stop(s.rx);
	if (s.tx_started)
		rte_eth_dev_stop(s.tx);
	uint16_t p;
	RTE_ETH_FOREACH_DEV(p)
	{
		rte_eth_dev_close(p);
	}
	rte_mempool_free(s.pool);
	rte_eal_cleanup();
	return rc;
}
