/* SPDX-License-Identifier: BSD-3-Clause */
/* dpptp-bench: a testpmd-style GRE throughput benchmark of dpptp's data plane. */
#ifndef DPPTP_BENCH_H
#define DPPTP_BENCH_H

#include <stdbool.h>
#include <stdint.h>

#include "dataplane/dp.h"

enum bench_mode { MODE_DECAP, MODE_ENCAP, MODE_BIDIR, MODE_IO };
enum bench_mppe { MPPE_OFF, MPPE_STATELESS, MPPE_STATEFUL };

struct bench_opts {
	enum bench_mode mode;
	unsigned int nb_cores;     /* workers */
	unsigned int burst;        /* informational: the data plane's burst is 32 */
	unsigned int stats_period; /* seconds; 0: only the final report */
	uint32_t sessions;
	uint16_t pkt_size;         /* inner IPv4 packet, bytes */
	bool imix;                 /* 7:4:1 of 64, 576 and 1400-byte inner packets */
	double duration;           /* seconds */
	uint64_t max_packets;      /* stop after this many received (callgrind); 0: no limit */
	bool json;
	const char *pcap_dir;      /* where the generated captures go */
	bool write_only;           /* write the captures and exit (for testpmd) */
	const char *access_dev;    /* an existing port (PCI or vdev), else a generated vdev */
	const char *uplink_dev;
	uint32_t seed;
	uint32_t lone_ack_us;
	enum bench_mppe mppe;      /* sessions encrypt with 128-bit MPPE */
};

/* Addresses of the benchmark's made-up network (network byte order). */
#define BENCH_ACCESS_ADDR 0xC6336401u /* 198.51.100.1, peers are 10.0.0.0/8 behind .254 */
#define BENCH_ACCESS_GW 0xC63364FEu
#define BENCH_UPLINK_ADDR 0xCB007101u /* 203.0.113.1, gateway .2 */
#define BENCH_UPLINK_GW 0xCB007102u
#define BENCH_PEER_BASE 0x0A000001u   /* 10.0.0.1 + session index */
#define BENCH_SUB_BASE 0x64400000u    /* 100.64.0.0 + session index */
#define BENCH_REMOTE 0xC6120001u      /* 198.18.0.1: the Internet host */
#define BENCH_SEQ_PASSES 4            /* see traffic.c */
#define BENCH_MPPE_LAP 4096           /* MPPE's coherency counts: passes with --mppe */
#define BENCH_MPPE_MAX_SESSIONS 16    /* x 4096 frames held in mbufs */

/* traffic.c: write the captures; return the number of frames written. */
uint64_t bench_write_decap_pcap(const struct bench_opts *o, const char *path);
uint64_t bench_write_encap_pcap(const struct bench_opts *o, const char *path);
uint16_t bench_max_frame(const struct bench_opts *o);

/* The same session parameters traffic.c put in the frames. */
uint32_t bench_peer_addr(uint32_t i);
uint32_t bench_sub_addr(uint32_t i);
uint16_t bench_call_id(uint32_t i);
/* Session i's MPPE start keys, ours: the peer sends with `recv`. */
void bench_mppe_keys(uint32_t i, uint8_t send[16], uint8_t recv[16]);

#endif /* DPPTP_BENCH_H */
