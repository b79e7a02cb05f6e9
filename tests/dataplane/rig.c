/* SPDX-License-Identifier: BSD-3-Clause */
#include "rig.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>
#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

struct rte_mempool *rig_pool;
bool rig_enforce_window;
bool rig_mppe;
unsigned int rig_nb_mppe_resync;
dp_session_id rig_mppe_resync_id;
struct rig_frame rig_up_frames[64];
unsigned int rig_nb_up_frames;
unsigned int rig_nb_reclaimed;
static pcap_t *dump_dead;
static pcap_dumper_t *dumper;
static unsigned int rig_seq;

rte_be32_t rig_ip(const char *dotted)
{
	struct in_addr a;
	if (inet_pton(AF_INET, dotted, &a) != 1)
		abort();
	return a.s_addr;
}

static void hook_ppp(void *arg, dp_session_id id, const uint8_t *frame, size_t len)
{
	(void)arg;
	if (rig_nb_up_frames < RTE_DIM(rig_up_frames) && len <= sizeof(rig_up_frames[0].data)) {
		struct rig_frame *f = &rig_up_frames[rig_nb_up_frames++];
		f->id = id;
		f->len = (uint16_t)len;
		memcpy(f->data, frame, len);
	}
}

static void hook_reclaimed(void *arg, dp_session_id id, uint16_t call_id, rte_be32_t peer,
			   const struct dp_session_counters *final)
{
	(void)arg, (void)id, (void)call_id, (void)peer, (void)final;
	rig_nb_reclaimed++;
}

static void hook_mppe_resync(void *arg, dp_session_id id)
{
	(void)arg;
	rig_mppe_resync_id = id;
	rig_nb_mppe_resync++;
}

const struct dp_ctrl_hooks rig_hooks = { .ppp_frame = hook_ppp,
					 .mppe_resync = hook_mppe_resync,
					 .session_reclaimed = hook_reclaimed };

int rig_eal_init(const char *prog)
{
	char file_prefix[64];
	snprintf(file_prefix, sizeof(file_prefix), "--file-prefix=dpptp-test-%d", (int)getpid());
	char *argv[] = { (char *)prog, "--no-huge", "-m", "1024", "--no-pci", "--no-shconf",
			 file_prefix, "--lcores=0@0,1@(0-1),2@(0-1)", "--log-level=lib.eal:error",
			 "--log-level=pmd.net.ring:error" };
	int rc = rte_eal_init((int)RTE_DIM(argv), argv);
	if (rc < 0)
		return rc;
	rig_pool = rte_pktmbuf_pool_create("rig_pool", 16383, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					   0);
	return rig_pool ? 0 : -1;
}

static void port_create(struct rig_port *p, const char *what, unsigned int nb_q)
{
	char name[64];
	p->nb_q = nb_q;
	for (unsigned int q = 0; q < nb_q; q++) {
		snprintf(name, sizeof(name), "%s%u_rx%u", what, rig_seq, q);
		p->rx[q] = rte_ring_create(name, 4096, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(name, sizeof(name), "%s%u_tx%u", what, rig_seq, q);
		p->tx[q] = rte_ring_create(name, 4096, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (!p->rx[q] || !p->tx[q])
			abort();
	}
	snprintf(name, sizeof(name), "%s%u", what, rig_seq);
	int id = rte_eth_from_rings(name, p->rx, nb_q, p->tx, nb_q, 0);
	if (id < 0)
		abort();
	p->port_id = (uint16_t)id;
	if (dp_port_setup(p->port_id, nb_q, rig_pool, 512, 512) != 0)
		abort();
	rte_eth_macaddr_get(p->port_id, &p->mac);
}

/* Ports are made once per worker count and reused: net_ring ports are not
 * released by closing them, and EAL has room for few. */
static struct rig_port cached[RIG_MAX_Q + 1][4];
static bool cached_made[RIG_MAX_Q + 1];

void rig_create(struct rig *r, unsigned int nb_workers, uint32_t lone_ack_us,
		uint32_t max_sessions)
{
	struct dp_config cfg;

	memset(r, 0, sizeof(*r));
	if (nb_workers == 0 || nb_workers > RIG_MAX_Q)
		abort();
	r->nb_workers = nb_workers;
	if (!cached_made[nb_workers]) {
		rig_seq++;
		port_create(&cached[nb_workers][0], "acc", nb_workers);
		port_create(&cached[nb_workers][1], "upl", nb_workers);
		port_create(&cached[nb_workers][2], "tapa", 1);
		port_create(&cached[nb_workers][3], "tapu", 1);
		cached_made[nb_workers] = true;
	}
	r->access = cached[nb_workers][0];
	r->uplink = cached[nb_workers][1];
	r->access_tap = cached[nb_workers][2];
	r->uplink_tap = cached[nb_workers][3];

	dp_config_default(&cfg);
	cfg.nb_workers = nb_workers;
	cfg.pool = rig_pool;
	cfg.lone_ack_delay_us = lone_ack_us;
	cfg.enforce_tx_window = rig_enforce_window;
	cfg.mppe = rig_mppe;
	if (max_sessions)
		cfg.max_sessions = max_sessions;
	cfg.nb_ports = 2;
	cfg.ports[0] = (struct dp_port_conf){ .port_id = r->access.port_id,
					      .role = DP_PORT_ACCESS,
					      .addr = rig_ip(RIG_ACCESS),
					      .prefix_len = 24,
					      .tap_port_id = r->access_tap.port_id };
	cfg.ports[1] = (struct dp_port_conf){ .port_id = r->uplink.port_id,
					      .role = DP_PORT_UPLINK,
					      .addr = rig_ip(RIG_UPLINK),
					      .prefix_len = 24,
					      .gateway = rig_ip(RIG_GATEWAY),
					      .tap_port_id = r->uplink_tap.port_id };
	r->dp = dp_create(&cfg);
	if (!r->dp)
		abort();
	rig_nb_up_frames = 0;
	rig_nb_reclaimed = 0;
}

static void drain(struct rig_port *p)
{
	struct rte_mbuf *m[64];
	unsigned int n;
	while ((n = rig_collect(p, -1, m, RTE_DIM(m))) > 0)
		rig_free_all(m, n);
	for (unsigned int q = 0; q < p->nb_q; q++) {
		void *o;
		while (rte_ring_dequeue(p->rx[q], &o) == 0)
			rte_pktmbuf_free(o);
	}
}

void rig_free(struct rig *r)
{
	dp_free(r->dp);
	r->dp = NULL;
	drain(&r->access);
	drain(&r->uplink);
	drain(&r->access_tap);
	drain(&r->uplink_tap);
}

unsigned int rig_inject(struct rte_ring *ring, const char *pcap, int only)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(pcap, err);
	struct pcap_pkthdr *h;
	const u_char *d;
	unsigned int n = 0;
	int idx = 0;

	if (!p) {
		fprintf(stderr, "rig: %s: %s\n", pcap, err);
		abort();
	}
	while (pcap_next_ex(p, &h, &d) == 1) {
		idx++;
		if (only > 0 && idx != only)
			continue;
		struct rte_mbuf *m = rte_pktmbuf_alloc(rig_pool);
		if (!m)
			abort();
		memcpy(rte_pktmbuf_append(m, (uint16_t)h->caplen), d, h->caplen);
		if (rte_ring_enqueue(ring, m) != 0)
			abort();
		n++;
	}
	pcap_close(p);
	return n;
}

void rig_poll(struct rig *r, unsigned int rounds)
{
	for (unsigned int i = 0; i < rounds; i++) {
		for (unsigned int w = 0; w < r->nb_workers; w++)
			dp_worker_poll(r->dp, w);
		dp_ctrl_poll(r->dp, &rig_hooks, NULL);
	}
}

unsigned int rig_collect(struct rig_port *p, int q, struct rte_mbuf **out, unsigned int max)
{
	unsigned int n = 0;
	for (unsigned int i = 0; i < p->nb_q; i++) {
		if (q >= 0 && (unsigned int)q != i)
			continue;
		void *o;
		while (n < max && rte_ring_dequeue(p->tx[i], &o) == 0) {
			out[n] = o;
			rig_dump(out[n]);
			n++;
		}
	}
	return n;
}

void rig_free_all(struct rte_mbuf **m, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		rte_pktmbuf_free(m[i]);
}

void rig_resolve_gateway(struct rig *r, const char *vectors)
{
	char path[1024];
	struct rte_mbuf *m[64];
	snprintf(path, sizeof(path), "%s/arp.pcap", vectors);
	rig_inject(r->uplink.rx[0], path, 1);
	rig_poll(r, 3);
	rig_free_all(m, rig_collect(&r->uplink, -1, m, RTE_DIM(m)));
	rig_free_all(m, rig_collect(&r->uplink_tap, -1, m, RTE_DIM(m)));
	rig_free_all(m, rig_collect(&r->access, -1, m, RTE_DIM(m)));
}

dp_session_id rig_session(struct rig *r, int owner, bool control_only)
{
	struct dp_session_net n = { .sub_addr = rig_ip(RIG_SUB), .mtu = 1400 };
	return rig_session_net(r, owner, control_only ? NULL : &n);
}

dp_session_id rig_session_net(struct rig *r, int owner, const struct dp_session_net *net)
{
	struct dp_session_params p = { .peer_addr = rig_ip(RIG_PEER),
				       .our_call_id = RIG_OUR_CALL,
				       .peer_call_id = RIG_PEER_CALL,
				       .peer_window = 64,
				       .access_port = 0,
				       .owner = owner };
	dp_session_id id;
	if (dp_session_install(r->dp, &p, &id) != 0)
		abort();
	if (net && dp_session_set_network(r->dp, id, net) != 0)
		abort();
	/* The peer's MAC is not known yet: the data plane asks for it. */
	rig_poll(r, 2);
	struct rte_mbuf *m[16];
	unsigned int n = rig_collect(&r->access, -1, m, RTE_DIM(m));
	for (unsigned int i = 0; i < n; i++)
		if (rte_pktmbuf_mtod(m[i], struct rte_ether_hdr *)->ether_type !=
		    rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP))
			abort();
	rig_free_all(m, n);
	return id;
}

void rig_dump_open(const char *path)
{
	dump_dead = pcap_open_dead(DLT_EN10MB, 65535);
	dumper = pcap_dump_open(dump_dead, path);
}

void rig_dump(const struct rte_mbuf *m)
{
	struct pcap_pkthdr h = { 0 };
	if (!dumper)
		return;
	h.caplen = h.len = rte_pktmbuf_pkt_len(m);
	pcap_dump((u_char *)dumper, &h, rte_pktmbuf_mtod(m, const u_char *));
}

void rig_dump_close(void)
{
	if (dumper)
		pcap_dump_close(dumper);
	if (dump_dead)
		pcap_close(dump_dead);
	dumper = NULL;
	dump_dead = NULL;
}
