/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Captures to pcap files, started and stopped at run time (telemetry
 * /dpptp/capture, dpptpctl capture):
 *
 *   start,<port>,<file>[,peer=<a.b.c.d>][,call=<id>][,packets=<n>][,bytes=<n>]
 *   stop[,<port>]
 *   status
 *
 * The data plane copies matching frames of the port (both directions) into
 * rings; here they are written with libpcap, with a packet or byte limit
 * that stops the capture by itself.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <pcap/pcap.h>
#include <rte_cycles.h>
#include <rte_telemetry.h>

#include "dpptpd.h"

struct capture {
	bool on;
	pcap_t *dead;
	pcap_dumper_t *dump;
	char file[256];
	struct dp_capture_filter filter;
	uint64_t max_packets; /* 0: no limit */
	uint64_t max_bytes;
	uint64_t packets;
	uint64_t bytes;
	struct timeval t0;    /* wall clock at tsc0 */
	uint64_t tsc0;
};

static struct capture caps[DP_MAX_PORTS];

static int find_port(struct dpptpd *d, const char *name)
{
	for (unsigned int i = 0; i < d->nb_ports; i++)
		if (!strcmp(d->ports[i].name, name))
			return (int)i;
	return -1;
}

static void capture_close(struct dpptpd *d, unsigned int port, const char *why)
{
	struct capture *c = &caps[port];
	if (!c->on)
		return;
	dp_capture_stop(d->dp, port);
	/* Frames already copied are still in the rings: write them first. */
	dpptpd_capture_drain(d);
	pcap_dump_close(c->dump);
	pcap_close(c->dead);
	c->on = false;
	DLOG(NOTICE, "capture of port %s stopped (%s): %" PRIu64 " packets, %" PRIu64 " bytes in %s",
	     d->ports[port].name, why, c->packets, c->bytes, c->file);
}

static void write_frame(void *arg, unsigned int port, bool tx, const uint8_t *frame, uint32_t len,
			uint64_t tsc)
{
	struct dpptpd *d = arg;
	struct capture *c = &caps[port];
	struct pcap_pkthdr h;
	(void)tx;

	if (port >= DP_MAX_PORTS || !c->on)
		return;
	uint64_t us = tsc > c->tsc0 ? (tsc - c->tsc0) * 1000000 / rte_get_tsc_hz() : 0;
	h.ts.tv_sec = c->t0.tv_sec + (time_t)((c->t0.tv_usec + us) / 1000000);
	h.ts.tv_usec = (suseconds_t)((c->t0.tv_usec + us) % 1000000);
	h.caplen = h.len = len;
	pcap_dump((u_char *)c->dump, &h, frame);
	c->packets++;
	c->bytes += len;
	if ((c->max_packets && c->packets >= c->max_packets) ||
	    (c->max_bytes && c->bytes >= c->max_bytes)) {
		dp_capture_stop(d->dp, port);
		pcap_dump_close(c->dump);
		pcap_close(c->dead);
		c->on = false;
		DLOG(NOTICE, "capture of port %s stopped (limit reached): %" PRIu64 " packets, %" PRIu64
			     " bytes in %s",
		     d->ports[port].name, c->packets, c->bytes, c->file);
	}
}

unsigned int dpptpd_capture_drain(struct dpptpd *d)
{
	return dp_capture_poll(d->dp, write_frame, d);
}

static int capture_start(struct dpptpd *d, char *args, struct rte_tel_data *out)
{
	char *save = NULL;
	char *pname = strtok_r(args, ",", &save), *file = strtok_r(NULL, ",", &save), *opt;
	struct capture c;
	int port;

	if (!pname || !file)
		return -EINVAL;
	port = find_port(d, pname);
	if (port < 0)
		return -ENODEV;
	memset(&c, 0, sizeof(c));
	while ((opt = strtok_r(NULL, ",", &save))) {
		struct in_addr a;
		if (!strncmp(opt, "peer=", 5) && inet_pton(AF_INET, opt + 5, &a) == 1)
			c.filter.peer_addr = a.s_addr;
		else if (!strncmp(opt, "call=", 5))
			c.filter.call_id = (uint16_t)strtoul(opt + 5, NULL, 0);
		else if (!strncmp(opt, "packets=", 8))
			c.max_packets = strtoull(opt + 8, NULL, 0);
		else if (!strncmp(opt, "bytes=", 6))
			c.max_bytes = strtoull(opt + 6, NULL, 0);
		else
			return -EINVAL;
	}
	/* A session's GRE carries our call ID inbound and the peer's outbound. */
	if (c.filter.call_id)
		for (uint32_t s = 1; s < d->nb_slots; s++)
			if (d->by_slot[s] && d->by_slot[s]->call_id == c.filter.call_id) {
				c.filter.peer_call_id = d->by_slot[s]->peer_call_id;
				if (!c.filter.peer_addr)
					c.filter.peer_addr = htonl(d->by_slot[s]->peer_addr);
				break;
			}
	capture_close(d, (unsigned int)port, "replaced");
	snprintf(c.file, sizeof(c.file), "%s", file);
	c.dead = pcap_open_dead(DLT_EN10MB, 65535);
	c.dump = c.dead ? pcap_dump_open(c.dead, c.file) : NULL;
	if (!c.dump) {
		if (c.dead)
			pcap_close(c.dead);
		return -EACCES;
	}
	gettimeofday(&c.t0, NULL);
	c.tsc0 = rte_rdtsc();
	c.on = true;
	caps[port] = c;
	dp_capture_start(d->dp, (unsigned int)port, &c.filter);
	DLOG(NOTICE, "capture of port %s started into %s", pname, c.file);
	rte_tel_data_start_dict(out);
	rte_tel_data_add_dict_string(out, "started", pname);
	rte_tel_data_add_dict_string(out, "file", c.file);
	return 0;
}

static void status(struct dpptpd *d, struct rte_tel_data *out)
{
	rte_tel_data_start_dict(out);
	for (unsigned int i = 0; i < d->nb_ports; i++) {
		struct rte_tel_data *t = rte_tel_data_alloc();
		if (!t)
			return;
		rte_tel_data_start_dict(t);
		rte_tel_data_add_dict_string(t, "state", caps[i].on ? "capturing" : "off");
		rte_tel_data_add_dict_string(t, "file", caps[i].file);
		rte_tel_data_add_dict_u64(t, "packets", caps[i].packets);
		rte_tel_data_add_dict_u64(t, "bytes", caps[i].bytes);
		char key[48];
		dpptpd_tel_key(key, sizeof(key), "", d->ports[i].name);
		rte_tel_data_add_dict_container(out, key, t, 0);
	}
}

int dpptpd_capture_command(struct dpptpd *d, const char *params, struct rte_tel_data *out)
{
	char args[512];

	snprintf(args, sizeof(args), "%s", params ? params : "");
	if (!strncmp(args, "start,", 6))
		return capture_start(d, args + 6, out);
	if (!strcmp(args, "stop") || !strncmp(args, "stop,", 5)) {
		int port = args[4] ? find_port(d, args + 5) : -1;
		if (args[4] && port < 0)
			return -ENODEV;
		for (unsigned int i = 0; i < d->nb_ports; i++)
			if (port < 0 || (unsigned int)port == i)
				capture_close(d, i, "asked");
		status(d, out);
		return 0;
	}
	if (!strcmp(args, "status") || !args[0]) {
		status(d, out);
		return 0;
	}
	return -EINVAL;
}

void dpptpd_capture_stop_all(struct dpptpd *d)
{
	for (unsigned int i = 0; i < d->nb_ports; i++)
		capture_close(d, i, "shutdown");
}
