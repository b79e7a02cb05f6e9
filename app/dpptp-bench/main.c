/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpptp-bench: testpmd-style GRE throughput benchmark of dpptp's data plane.
 *
 *   dpptp-bench [EAL args] -- [--mode decap|encap|bidir|io] [--nb-cores N]
 *               [--sessions N] [--pkt-size BYTES | --imix] [--duration S]
 *               [--stats-period S] [--max-packets N] [--json] [--pcap-dir DIR]
 *               [--write-pcap] [--access-dev DEV] [--uplink-dev DEV] [--burst N]
 *               [--rxq N] [--txq N] [--seed N] [--mppe stateless|stateful]
 *
 * It runs the same worker code as dpptpd (lib/dataplane, dp_worker_poll),
 * with its sessions installed through the same control messages. Traffic
 * comes from captures it writes (traffic.c) replayed by net_pcap with
 * infinite_rx=1; output goes to net_null (or the other pcap port, which
 * drops what it is given), unless real ports are named.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>
#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "bench.h"
#include "mppe/mppe.h"
#include "mppe/mppe_bench.h"

static volatile int quit;
static struct dp *dp;
static struct bench_opts opts;
static uint16_t access_port, uplink_port;

/* io mode: a plain forwarding loop on the same ports, like testpmd's io. */
struct io_stats {
	uint64_t rx;
	uint64_t tx;
	uint64_t drop;
} __rte_cache_aligned;
static struct io_stats io_stats[DP_MAX_WORKERS];

static void on_signal(int sig)
{
	(void)sig;
	quit = 1;
}

static void usage(const char *prog)
{
	printf("usage: %s [EAL args] -- [options]\n"
	       "  --mode decap|encap|bidir|io   what to measure (default decap)\n"
	       "  --nb-cores N                  worker lcores (default 1)\n"
	       "  --rxq N / --txq N             queues per port: must equal --nb-cores\n"
	       "  --burst N                     accepted for testpmd compatibility; the data plane bursts 32\n"
	       "  --sessions N                  sessions, in a random order (default 65536)\n"
	       "  --pkt-size BYTES              inner IPv4 packet size, 28..1400 (default 64)\n"
	       "  --imix                        inner sizes 64/576/1400 in the ratio 7:4:1\n"
	       "  --duration S                  seconds to run (default 10)\n"
	       "  --stats-period S              print figures every S seconds (default 1; 0: end only)\n"
	       "  --max-packets N               stop after N packets received (for callgrind)\n"
	       "  --json                        final report as JSON\n"
	       "  --pcap-dir DIR                where the captures go (default /tmp/dpptp-bench)\n"
	       "  --write-pcap                  write the captures, print their paths, exit\n"
	       "  --access-dev DEV / --uplink-dev DEV   real ports instead of the generated vdevs\n"
	       "  --seed N                      random order seed (default 1)\n"
	       "  --lone-ack-delay-us N         the data plane's lone-ack delay (default 20000)\n"
	       "  --mppe stateless|stateful     sessions encrypt (MPPE-128); decap needs --sessions <= %u\n",
	       prog, BENCH_MPPE_MAX_SESSIONS);
}

static int parse_opts(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "nb-cores", required_argument, NULL, 'c' },
		{ "rxq", required_argument, NULL, 'r' },
		{ "txq", required_argument, NULL, 't' },
		{ "burst", required_argument, NULL, 'b' },
		{ "sessions", required_argument, NULL, 's' },
		{ "pkt-size", required_argument, NULL, 'p' },
		{ "imix", no_argument, NULL, 'i' },
		{ "duration", required_argument, NULL, 'd' },
		{ "stats-period", required_argument, NULL, 'P' },
		{ "max-packets", required_argument, NULL, 'M' },
		{ "json", no_argument, NULL, 'j' },
		{ "pcap-dir", required_argument, NULL, 'D' },
		{ "write-pcap", no_argument, NULL, 'w' },
		{ "access-dev", required_argument, NULL, 'A' },
		{ "uplink-dev", required_argument, NULL, 'U' },
		{ "seed", required_argument, NULL, 'S' },
		{ "lone-ack-delay-us", required_argument, NULL, 'L' },
		{ "mppe", required_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c, rxq = -1, txq = -1;

	opts = (struct bench_opts){ .mode = MODE_DECAP, .nb_cores = 1, .burst = 32,
				    .stats_period = 1, .sessions = 65536, .pkt_size = 64,
				    .duration = 10, .pcap_dir = "/tmp/dpptp-bench", .seed = 1,
				    .lone_ack_us = 20000 };
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (!strcmp(optarg, "decap"))
				opts.mode = MODE_DECAP;
			else if (!strcmp(optarg, "encap"))
				opts.mode = MODE_ENCAP;
			else if (!strcmp(optarg, "bidir"))
				opts.mode = MODE_BIDIR;
			else if (!strcmp(optarg, "io"))
				opts.mode = MODE_IO;
			else {
				fprintf(stderr, "--mode %s: expected decap, encap, bidir or io\n", optarg);
				return -1;
			}
			break;
		case 'c': opts.nb_cores = (unsigned int)atoi(optarg); break;
		case 'r': rxq = atoi(optarg); break;
		case 't': txq = atoi(optarg); break;
		case 'b': opts.burst = (unsigned int)atoi(optarg); break;
		case 's': opts.sessions = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'p': opts.pkt_size = (uint16_t)atoi(optarg); break;
		case 'i': opts.imix = true; break;
		case 'd': opts.duration = atof(optarg); break;
		case 'P': opts.stats_period = (unsigned int)atoi(optarg); break;
		case 'M': opts.max_packets = strtoull(optarg, NULL, 0); break;
		case 'j': opts.json = true; break;
		case 'D': opts.pcap_dir = optarg; break;
		case 'w': opts.write_only = true; break;
		case 'A': opts.access_dev = optarg; break;
		case 'U': opts.uplink_dev = optarg; break;
		case 'S': opts.seed = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'L': opts.lone_ack_us = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'E':
			if (!strcmp(optarg, "stateless"))
				opts.mppe = MPPE_STATELESS;
			else if (!strcmp(optarg, "stateful"))
				opts.mppe = MPPE_STATEFUL;
			else {
				fprintf(stderr, "--mppe %s: expected stateless or stateful\n", optarg);
				return -1;
			}
			break;
		case 'h': usage(argv[0]); exit(0);
		default: usage(argv[0]); return -1;
		}
	}
	if (opts.nb_cores < 1 || opts.nb_cores > DP_MAX_WORKERS) {
		fprintf(stderr, "--nb-cores %u: expected 1..%u\n", opts.nb_cores, DP_MAX_WORKERS);
		return -1;
	}
	if ((rxq >= 0 && (unsigned int)rxq != opts.nb_cores) ||
	    (txq >= 0 && (unsigned int)txq != opts.nb_cores)) {
		fprintf(stderr, "--rxq/--txq: every worker owns one queue pair per port, so they "
				"must equal --nb-cores (%u)\n", opts.nb_cores);
		return -1;
	}
	if (opts.sessions < 1 || opts.sessions > (1u << 22)) {
		fprintf(stderr, "--sessions %u: expected 1..%u\n", opts.sessions, 1u << 22);
		return -1;
	}
	if (opts.mppe && (opts.imix || opts.mode == MODE_IO)) {
		fprintf(stderr, "--mppe: with a fixed --pkt-size, in decap, encap or bidir mode\n");
		return -1;
	}
	if (opts.mppe && opts.mode != MODE_ENCAP && opts.sessions > BENCH_MPPE_MAX_SESSIONS) {
		fprintf(stderr, "--mppe with decap: --sessions %u: expected 1..%u (each session's "
				"4096 coherency counts are in the capture)\n",
			opts.sessions, BENCH_MPPE_MAX_SESSIONS);
		return -1;
	}
	if (!opts.imix && (opts.pkt_size < 28 || opts.pkt_size > 1400)) {
		fprintf(stderr, "--pkt-size %u: expected 28..1400 (inner IPv4 bytes)\n", opts.pkt_size);
		return -1;
	}
	return 0;
}

static const char *mode_name(enum bench_mode m)
{
	static const char *const n[] = { "decap", "encap", "bidir", "io" };
	return n[m];
}

static const char *mppe_name(enum bench_mppe m)
{
	static const char *const n[] = { "off", "stateless", "stateful" };
	return n[m];
}

static void pcap_path(char *out, size_t cap, const char *what)
{
	const char *m = opts.mppe && !strcmp(what, "decap") ? mppe_name(opts.mppe) : "";
	if (opts.imix)
		snprintf(out, cap, "%s/%s%s-%u-imix.pcap", opts.pcap_dir, what, m, opts.sessions);
	else
		snprintf(out, cap, "%s/%s%s-%u-%u.pcap", opts.pcap_dir, what, m, opts.sessions,
			 opts.pkt_size);
}

/* A port: the one named, or a vdev replaying `pcap` (NULL: net_null, no RX). */
static int make_port(const char *dev, const char *name, const char *pcap, uint16_t *port)
{
	char args[4096];
	size_t k = 0;

	if (dev) {
		if (rte_eth_dev_get_port_by_name(dev, port) == 0)
			return 0;
		fprintf(stderr, "dpptp-bench: no port %s (give it to EAL with -a or --vdev)\n", dev);
		return -ENODEV;
	}
	if (pcap) {
		for (unsigned int q = 0; q < opts.nb_cores; q++)
			k += (size_t)snprintf(args + k, sizeof(args) - k, "%srx_pcap=%s",
					      q ? "," : "", pcap);
		snprintf(args + k, sizeof(args) - k, ",infinite_rx=1");
	} else {
		snprintf(args, sizeof(args), "no-rx=1");
	}
	char vname[64];
	snprintf(vname, sizeof(vname), "%s_%s", pcap ? "net_pcap" : "net_null", name);
	int rc = rte_vdev_init(vname, args);
	if (rc != 0) {
		fprintf(stderr, "dpptp-bench: cannot create %s,%s: %s\n", vname, args, strerror(-rc));
		return rc;
	}
	return rte_eth_dev_get_port_by_name(vname, port);
}

static int install_sessions(void)
{
	for (uint32_t i = 0; i < opts.sessions; i++) {
		struct dp_session_params p = { .peer_addr = bench_peer_addr(i),
					       .our_call_id = bench_call_id(i),
					       .peer_call_id = bench_call_id(i),
					       .peer_window = 64,
					       .access_port = 0,
					       .owner = -1 };
		struct dp_session_net n = { .sub_addr = bench_sub_addr(i), .mtu = 1400 };
		if (opts.mppe) {
			/* A peer with an MRU of 1404, so that 1400-byte inner
			 * packets still fit under MPPE's 4 bytes. */
			n.mtu = 1400;
			n.mppe = true;
			n.mppe_bits = 128;
			n.mppe_stateless = opts.mppe == MPPE_STATELESS;
			bench_mppe_keys(i, n.mppe_send_key, n.mppe_recv_key);
		}
		dp_session_id id;
		int rc = dp_session_install(dp, &p, &id);
		if (rc == 0)
			rc = dp_session_set_network(dp, id, &n);
		if (rc != 0) {
			fprintf(stderr, "dpptp-bench: session %u: %s\n", i, strerror(-rc));
			return rc;
		}
		/* Workers are not running yet: drain their message rings here. */
		if ((i & 511) == 511 || i + 1 == opts.sessions)
			for (unsigned int w = 0; w < opts.nb_cores; w++)
				for (int k = 0; k < 64; k++)
					dp_worker_poll(dp, w);
	}
	return 0;
}

static int worker_main(void *arg)
{
	return dp_worker_run(dp, (unsigned int)(uintptr_t)arg);
}

static int io_main(void *arg)
{
	unsigned int q = (unsigned int)(uintptr_t)arg;
	struct io_stats *st = &io_stats[q];
	struct rte_mbuf *pkts[32];
	const uint16_t ports[2] = { access_port, uplink_port };

	while (!quit) {
		for (int i = 0; i < 2; i++) {
			uint16_t n = rte_eth_rx_burst(ports[i], (uint16_t)q, pkts, 32);
			if (!n)
				continue;
			uint16_t s = rte_eth_tx_burst(ports[!i], (uint16_t)q, pkts, n);
			st->rx += n;
			st->tx += s;
			if (s < n) {
				st->drop += n - s;
				rte_pktmbuf_free_bulk(&pkts[s], n - s);
			}
		}
	}
	return 0;
}

/* ---- figures ---- */

struct sample {
	uint64_t tsc;
	uint64_t rx[DP_MAX_WORKERS];
	uint64_t fwd[DP_MAX_WORKERS];
	uint64_t bytes[DP_MAX_WORKERS]; /* forwarded frames, Ethernet header included */
	uint64_t inner[DP_MAX_WORKERS]; /* the inner IPv4 packets' bytes */
	uint64_t obytes;                /* every port's output, from the PMDs */
	uint64_t opackets;
	struct dp_worker_counters all;
};

static void take_sample(struct sample *s)
{
	struct rte_eth_stats es;

	memset(s, 0, sizeof(*s));
	s->tsc = rte_rdtsc();
	for (unsigned int w = 0; w < opts.nb_cores; w++) {
		if (opts.mode == MODE_IO) {
			s->rx[w] = io_stats[w].rx;
			s->fwd[w] = io_stats[w].tx;
			s->bytes[w] = 0;
			continue;
		}
		struct dp_worker_counters c;
		dp_read_worker_counters(dp, (int)w, &c);
		s->rx[w] = c.access_rx + c.uplink_rx;
		s->fwd[w] = c.decap_pkts + c.encap_pkts;
		/* decap: Ethernet + inner; encap: Ethernet, IPv4, GRE (seq), PPP + inner */
		s->bytes[w] = c.decap_bytes + 14 * c.decap_pkts + c.encap_bytes +
			      (14 + 20 + 12 + 4) * c.encap_pkts;
		s->inner[w] = c.decap_bytes + c.encap_bytes;
		if (opts.mppe && opts.mode != MODE_ENCAP) {
			/* Decap with MPPE counts packets decrypted: after the
			 * capture's first lap they decrypt to noise (traffic.c). */
			s->fwd[w] = c.mppe_decrypted + c.encap_pkts;
			s->bytes[w] = (uint64_t)(14 + opts.pkt_size) * c.mppe_decrypted +
				      c.encap_bytes + (14 + 20 + 12 + 4 + 4) * c.encap_pkts;
			s->inner[w] = (uint64_t)opts.pkt_size * c.mppe_decrypted + c.encap_bytes;
		} else if (opts.mppe) {
			s->bytes[w] += 4 * c.encap_pkts; /* MPPE header and 0x0021 */
		}
	}
	if (dp)
		dp_read_worker_counters(dp, -1, &s->all);
	const uint16_t ports[2] = { access_port, uplink_port };
	for (int i = 0; i < 2; i++)
		if (rte_eth_stats_get(ports[i], &es) == 0) {
			s->obytes += es.obytes;
			s->opackets += es.opackets;
		}
}

struct figures {
	double mpps[DP_MAX_WORKERS], gbps[DP_MAX_WORKERS], cpp[DP_MAX_WORKERS];
	double total_mpps, total_gbps, rx_mpps, wire_gbps, inner_gbps;
	double secs;
};

static void compute(const struct sample *a, const struct sample *b, struct figures *f)
{
	double hz = (double)rte_get_tsc_hz();
	memset(f, 0, sizeof(*f));
	f->secs = (double)(b->tsc - a->tsc) / hz;
	if (f->secs <= 0)
		return;
	for (unsigned int w = 0; w < opts.nb_cores; w++) {
		double fwd = (double)(b->fwd[w] - a->fwd[w]);
		f->mpps[w] = fwd / f->secs / 1e6;
		f->gbps[w] = (double)(b->bytes[w] - a->bytes[w]) * 8 / f->secs / 1e9;
		/* A polling worker is always busy: its cycles are the elapsed TSC. */
		f->cpp[w] = fwd > 0 ? (double)(b->tsc - a->tsc) / fwd : 0;
		f->total_mpps += f->mpps[w];
		f->total_gbps += f->gbps[w];
		f->inner_gbps += (double)(b->inner[w] - a->inner[w]) * 8 / f->secs / 1e9;
		f->rx_mpps += (double)(b->rx[w] - a->rx[w]) / f->secs / 1e6;
	}
	f->wire_gbps = (double)(b->obytes - a->obytes) * 8 / f->secs / 1e9;
	if (opts.mode == MODE_IO)
		f->total_gbps = f->wire_gbps;
}

static void print_period(const struct figures *f, double elapsed)
{
	for (unsigned int w = 0; w < opts.nb_cores; w++)
		printf("  lcore %-2u worker %-2u  %8.3f Mpps  %7.3f Gbit/s  %7.1f cycles/pkt\n",
		       rte_get_next_lcore(w == 0 ? rte_get_main_lcore() : 0, 1, 0), w, f->mpps[w],
		       f->gbps[w], f->cpp[w]);
	printf("  total                %8.3f Mpps  %7.3f Gbit/s  (rx %.3f Mpps)  [%.0f/%.0f s]\n",
	       f->total_mpps, f->total_gbps, f->rx_mpps, elapsed, opts.duration);
	fflush(stdout);
}

/* The counters that mean a packet did not make it, by name. */
static void drops(const struct dp_worker_counters *a, const struct dp_worker_counters *b,
		  json_t *j)
{
	static const char *const skip[] = { "access_rx", "uplink_rx", "access_tx", "uplink_tx",
					    "decap_pkts", "decap_bytes", "encap_pkts", "encap_bytes",
					    "seq_lost", "lone_acks", "handoff_in", "handoff_out",
					    "mss_clamped", "down_frames", "gre_rejected",
					    "mppe_encrypted", "mppe_decrypted" };
	const uint64_t *x = (const uint64_t *)a, *y = (const uint64_t *)b;
	for (unsigned int i = 0; i < dp_worker_counter_count; i++) {
		bool drop = true;
		for (size_t k = 0; k < sizeof(skip) / sizeof(skip[0]); k++)
			if (!strcmp(skip[k], dp_worker_counter_names[i]))
				drop = false;
		uint64_t d = y[i] - x[i];
		if (!drop || d == 0)
			continue;
		if (j)
			json_object_set_new(j, dp_worker_counter_names[i], json_integer((json_int_t)d));
		else
			printf("  drop %-20s %" PRIu64 "\n", dp_worker_counter_names[i], d);
	}
	for (int r = 1; r < PROTO_ERR_MAX; r++) {
		uint64_t d = b->gre_reject[r] - a->gre_reject[r];
		if (!d)
			continue;
		if (j)
			json_object_set_new(j, proto_errname(-r), json_integer((json_int_t)d));
		else
			printf("  drop gre %-16s %" PRIu64 "\n", proto_errname(-r), d);
	}
}

/* --mppe: the crypto alone on this machine, measured on the main lcore once
 * the workers have stopped: the ceiling the data plane is compared with. */
static double ref_rc4_gbps, ref_mppe_gbps;

static void measure_crypto_refs(void)
{
	size_t len = (size_t)opts.pkt_size + 2; /* what MPPE encrypts: 0x0021 + packet */
	ref_rc4_gbps = mppe_bench_raw_rc4_gbps(len, 1.0);
	if (opts.mppe == MPPE_STATELESS)
		ref_mppe_gbps = mppe_bench_stateless_pps(len, opts.mode != MODE_ENCAP, 1.0) *
				(double)opts.pkt_size * 8 / 1e9;
}

static void final_report(const struct sample *a, const struct sample *b)
{
	struct figures f;
	compute(a, b, &f);
	double per_core = f.inner_gbps / opts.nb_cores;
	if (!opts.json) {
		printf("\n=== dpptp-bench %s%s%s: %u session(s), %s inner, %u worker(s), %.1f s ===\n",
		       mode_name(opts.mode), opts.mppe ? ", MPPE-128 " : "",
		       opts.mppe ? mppe_name(opts.mppe) : "", opts.sessions,
		       opts.imix ? "imix" : "fixed", opts.nb_cores, f.secs);
		print_period(&f, f.secs);
		printf("  wire output          %7.3f Gbit/s (the ports' obytes)\n", f.wire_gbps);
		if (opts.mppe) {
			printf("  MPPE-128 %s: %.3f Gbit/s of inner packets per core%s\n",
			       mppe_name(opts.mppe), per_core,
			       opts.mode != MODE_ENCAP ? " (decap: packets decrypted)" : "");
			printf("  raw RC4 on this machine, %u-byte buffers: %.3f Gbit/s per core "
			       "(ratio %.2f)\n", opts.pkt_size + 2, ref_rc4_gbps,
			       ref_rc4_gbps > 0 ? per_core / ref_rc4_gbps : 0.0);
			if (ref_mppe_gbps > 0)
				printf("  stateless MPPE crypto alone (re-key + RC4): %.3f Gbit/s per "
				       "core (ratio %.2f)\n", ref_mppe_gbps, per_core / ref_mppe_gbps);
		}
		if (opts.mode != MODE_IO) {
			printf("  lone acks sent       %" PRIu64 "\n", b->all.lone_acks - a->all.lone_acks);
			drops(&a->all, &b->all, NULL);
		}
		printf("RESULT mode=%s sessions=%u size=%s cores=%u mpps=%.3f gbps=%.3f cycles_per_pkt=%.1f "
		       "packets=%" PRIu64,
		       mode_name(opts.mode), opts.sessions, opts.imix ? "imix" : "fixed",
		       opts.nb_cores, f.total_mpps, f.total_gbps,
		       opts.nb_cores == 1 ? f.cpp[0] : 0.0, b->rx[0] - a->rx[0]);
		if (opts.mppe)
			printf(" mppe=%s inner_gbps_per_core=%.3f raw_rc4_gbps=%.3f mppe_crypto_gbps=%.3f",
			       mppe_name(opts.mppe), per_core, ref_rc4_gbps, ref_mppe_gbps);
		printf("\n");
		return;
	}
	json_t *j = json_object(), *lc = json_array(), *dr = json_object();
	json_object_set_new(j, "mode", json_string(mode_name(opts.mode)));
	json_object_set_new(j, "sessions", json_integer(opts.sessions));
	json_object_set_new(j, "pkt_size", opts.imix ? json_string("imix")
						      : json_integer(opts.pkt_size));
	json_object_set_new(j, "nb_cores", json_integer(opts.nb_cores));
	json_object_set_new(j, "seconds", json_real(f.secs));
	json_object_set_new(j, "mpps", json_real(f.total_mpps));
	json_object_set_new(j, "gbps", json_real(f.total_gbps));
	json_object_set_new(j, "rx_mpps", json_real(f.rx_mpps));
	json_object_set_new(j, "wire_gbps", json_real(f.wire_gbps));
	json_object_set_new(j, "inner_gbps", json_real(f.inner_gbps));
	json_object_set_new(j, "mppe", json_string(mppe_name(opts.mppe)));
	if (opts.mppe) {
		json_object_set_new(j, "raw_rc4_gbps", json_real(ref_rc4_gbps));
		json_object_set_new(j, "mppe_crypto_gbps", json_real(ref_mppe_gbps));
	}
	for (unsigned int w = 0; w < opts.nb_cores; w++) {
		json_t *o = json_object();
		json_object_set_new(o, "worker", json_integer(w));
		json_object_set_new(o, "mpps", json_real(f.mpps[w]));
		json_object_set_new(o, "gbps", json_real(f.gbps[w]));
		json_object_set_new(o, "cycles_per_packet", json_real(f.cpp[w]));
		json_array_append_new(lc, o);
	}
	json_object_set_new(j, "lcores", lc);
	if (opts.mode != MODE_IO) {
		drops(&a->all, &b->all, dr);
		json_object_set_new(j, "lone_acks",
				    json_integer((json_int_t)(b->all.lone_acks - a->all.lone_acks)));
	}
	json_object_set_new(j, "drops", dr);
	json_dumpf(j, stdout, JSON_INDENT(2));
	printf("\n");
	json_decref(j);
}

/* ---- set-up ---- */

/* Data room per mbuf: the largest frame, with room for what encap prepends. */
static uint16_t mbuf_room(void)
{
	return (uint16_t)RTE_MAX(RTE_ALIGN_CEIL(bench_max_frame(&opts) + 64, 64) +
				 RTE_PKTMBUF_HEADROOM, 256);
}

static struct rte_mempool *make_pool(uint64_t preload)
{
	/* infinite_rx keeps the whole capture in mbufs: room for it, for the
	 * rings and descriptors, and for what the data plane makes. */
	uint32_t n = (uint32_t)(preload + 32768u + opts.nb_cores * 8192u);
	uint16_t room = mbuf_room();
	return rte_pktmbuf_pool_create("bench_pool", n, 256, 0, room, (int)rte_socket_id());
}

int main(int argc, char **argv)
{
	char decap_pcap[1024], encap_pcap[1024];
	uint64_t nd = 0, ne = 0;
	int rc = rte_eal_init(argc, argv);

	if (rc < 0) {
		fprintf(stderr, "dpptp-bench: EAL initialisation failed\n");
		return 1;
	}
	argc -= rc;
	argv += rc;
	if (parse_opts(argc, argv) != 0)
		return 2;
	if (rte_lcore_count() < opts.nb_cores + 1) {
		fprintf(stderr, "dpptp-bench: %u worker(s) need %u lcores (EAL -l), have %u\n",
			opts.nb_cores, opts.nb_cores + 1, rte_lcore_count());
		return 2;
	}
	mkdir(opts.pcap_dir, 0755);
	pcap_path(decap_pcap, sizeof(decap_pcap), "decap");
	pcap_path(encap_pcap, sizeof(encap_pcap), "encap");
	bool want_decap = opts.mode != MODE_ENCAP, want_encap = opts.mode == MODE_ENCAP ||
								opts.mode == MODE_BIDIR;
	if (want_decap || opts.write_only)
		nd = bench_write_decap_pcap(&opts, decap_pcap);
	if (want_encap || opts.write_only)
		ne = bench_write_encap_pcap(&opts, encap_pcap);
	if (opts.write_only) {
		/* What testpmd needs to replay the same captures with the same mbufs. */
		printf("decap %s %" PRIu64 " frames\nencap %s %" PRIu64 " frames\nmbuf_size %u\n",
		       decap_pcap, nd, encap_pcap, ne, mbuf_room());
		return nd && ne ? 0 : 1;
	}
	if ((want_decap && !nd) || (want_encap && !ne))
		return 1;

	struct rte_mempool *pool = make_pool(((want_decap ? nd : 0) + (want_encap ? ne : 0)) *
					     opts.nb_cores);
	if (!pool) {
		fprintf(stderr, "dpptp-bench: mbuf pool: %s (give EAL more memory: -m)\n",
			rte_strerror(rte_errno));
		return 1;
	}
	if (make_port(opts.access_dev, "access", want_decap ? decap_pcap : NULL, &access_port) ||
	    make_port(opts.uplink_dev, "uplink", want_encap ? encap_pcap : NULL, &uplink_port))
		return 1;
	if (dp_port_setup(access_port, opts.nb_cores, pool, 1024, 1024) != 0 ||
	    dp_port_setup(uplink_port, opts.nb_cores, pool, 1024, 1024) != 0) {
		fprintf(stderr, "dpptp-bench: port set-up failed\n");
		return 1;
	}

	if (opts.mode != MODE_IO) {
		struct dp_config cfg;
		dp_config_default(&cfg);
		cfg.nb_workers = opts.nb_cores;
		cfg.pool = pool;
		cfg.max_sessions = opts.sessions;
		cfg.ring_size = 4096;
		cfg.lone_ack_delay_us = opts.lone_ack_us;
		cfg.route_tbl8_groups = (opts.sessions >> 8) + 16;
		cfg.nb_ports = 2;
		cfg.mppe = opts.mppe != MPPE_OFF;
		cfg.ports[0] = (struct dp_port_conf){ .port_id = access_port, .role = DP_PORT_ACCESS,
						      .addr = rte_cpu_to_be_32(BENCH_ACCESS_ADDR),
						      .prefix_len = 24,
						      .gateway = rte_cpu_to_be_32(BENCH_ACCESS_GW),
						      .tap_port_id = DP_NO_PORT };
		cfg.ports[1] = (struct dp_port_conf){ .port_id = uplink_port, .role = DP_PORT_UPLINK,
						      .addr = rte_cpu_to_be_32(BENCH_UPLINK_ADDR),
						      .prefix_len = 24,
						      .gateway = rte_cpu_to_be_32(BENCH_UPLINK_GW),
						      .tap_port_id = DP_NO_PORT };
		dp = dp_create(&cfg);
		if (!dp)
			return 1;
		/* Nobody answers ARP here: static next hops, as an operator may set. */
		struct rte_ether_addr gw = { { 0x02, 0, 0, 0, 0, 0xfe } };
		dp_neigh_set_static(dp, 0, rte_cpu_to_be_32(BENCH_ACCESS_GW), &gw);
		gw.addr_bytes[5] = 0x02;
		dp_neigh_set_static(dp, 1, rte_cpu_to_be_32(BENCH_UPLINK_GW), &gw);
		uint64_t t0 = rte_rdtsc();
		if (install_sessions() != 0)
			return 1;
		if (!opts.json)
			printf("dpptp-bench: %u sessions installed in %.2f s\n", opts.sessions,
			       (double)(rte_rdtsc() - t0) / (double)rte_get_tsc_hz());
	}

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	unsigned int lcore = rte_get_main_lcore();
	for (unsigned int w = 0; w < opts.nb_cores; w++) {
		lcore = rte_get_next_lcore(lcore, 1, 0);
		rte_eal_remote_launch(opts.mode == MODE_IO ? io_main : worker_main,
				      (void *)(uintptr_t)w, lcore);
	}

	/* Figures are taken after one second of warm-up (caches, the TX rings). */
	struct sample start, prev, now;
	uint64_t hz = rte_get_tsc_hz(), t_start = rte_rdtsc();
	uint64_t warm = t_start + hz, end = t_start + (uint64_t)(opts.duration * (double)hz) + hz;
	uint64_t next = warm + hz * RTE_MAX(opts.stats_period, 1u);
	bool started = false;
	while (!quit) {
		uint64_t t = rte_rdtsc();
		if (dp)
			dp_ctrl_poll(dp, NULL, NULL);
		if (!started && t >= warm) {
			take_sample(&start);
			prev = start;
			started = true;
		}
		if (started && opts.stats_period && t >= next && !opts.json) {
			struct figures f;
			take_sample(&now);
			compute(&prev, &now, &f);
			print_period(&f, (double)(now.tsc - start.tsc) / (double)hz);
			prev = now;
			next += hz * opts.stats_period;
		}
		if (opts.max_packets) {
			take_sample(&now);
			uint64_t rx = 0;
			for (unsigned int w = 0; w < opts.nb_cores; w++)
				rx += now.rx[w];
			if (rx >= opts.max_packets) {
				if (!started) {
					memset(&start, 0, sizeof(start));
					start.tsc = t_start;
					started = true;
				}
				break;
			}
		} else if (t >= end) {
			break;
		}
		rte_delay_us_sleep(opts.max_packets ? 1000 : 10000);
	}
	take_sample(&now);
	quit = 1;
	if (dp)
		dp_stop(dp);
	rte_eal_mp_wait_lcore();
	if (!started) {
		memset(&start, 0, sizeof(start));
		start.tsc = t_start;
	}
	if (opts.mppe)
		measure_crypto_refs();
	final_report(&start, &now);
	/* Every packet the workers received from start to exit, counted after
	 * they stopped: the denominator for instructions per packet. */
	struct sample last;
	take_sample(&last);
	uint64_t all_rx = 0;
	for (unsigned int w = 0; w < opts.nb_cores; w++)
		all_rx += last.rx[w];
	if (!opts.json)
		printf("TOTAL_RX %" PRIu64 "\n", all_rx);
	dp_free(dp);
	rte_eal_cleanup();
	return 0;
}
