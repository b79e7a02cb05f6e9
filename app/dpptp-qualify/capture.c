/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The two captures of document 000, written with libpcap: what the TX port
 * was given (qualify-tx.pcap) and everything the RX port received
 * (qualify-rx.pcap), for Wireshark or tshark.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <pcap/pcap.h>

#include "qualify.h"

struct qual_capture {
	pcap_t *dead;
	pcap_dumper_t *d[2]; /* tx, rx */
	char path[2][512];
};

struct qual_capture *qual_capture_open(const char *dir)
{
	static const char *const name[2] = { "qualify-tx.pcap", "qualify-rx.pcap" };
	struct qual_capture *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "dpptp-qualify: %s: %s\n", dir, strerror(errno));
		free(c);
		return NULL;
	}
	c->dead = pcap_open_dead(DLT_EN10MB, 65535);
	if (!c->dead) {
		free(c);
		return NULL;
	}
	for (int i = 0; i < 2; i++) {
		snprintf(c->path[i], sizeof(c->path[i]), "%s/%s", dir, name[i]);
		c->d[i] = pcap_dump_open(c->dead, c->path[i]);
		if (!c->d[i]) {
			fprintf(stderr, "dpptp-qualify: %s: %s\n", c->path[i], pcap_geterr(c->dead));
			qual_capture_close(c);
			return NULL;
		}
	}
	return c;
}

static void put(pcap_dumper_t *d, const uint8_t *buf, size_t len)
{
	struct pcap_pkthdr h;

	gettimeofday(&h.ts, NULL);
	h.caplen = h.len = (bpf_u_int32)len;
	pcap_dump((u_char *)d, &h, buf);
}

void qual_capture_tx(struct qual_capture *c, const uint8_t *buf, size_t len)
{
	if (c)
		put(c->d[0], buf, len);
}

void qual_capture_rx(struct qual_capture *c, const uint8_t *buf, size_t len)
{
	if (c)
		put(c->d[1], buf, len);
}

const char *qual_capture_path(const struct qual_capture *c, bool rx)
{
	return c ? c->path[rx ? 1 : 0] : "";
}

void qual_capture_close(struct qual_capture *c)
{
	if (!c)
		return;
	for (int i = 0; i < 2; i++)
		if (c->d[i])
			pcap_dump_close(c->d[i]);
	pcap_close(c->dead);
	free(c);
}
