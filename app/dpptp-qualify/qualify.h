/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpptp-qualify: does a NIC (or a path) carry PPTP's GRE version 1?
 *
 * Source document 000: an Intel E810 passed the PPTP control connection
 * (TCP 1723) and silently lost every GRE packet. This tool is that study as
 * one command: it sends every PPTP frame class from one port to another (or
 * to itself in loopback), captures both sides, and reports per class what was
 * sent, received, lost, mangled and duplicated, and the RX queues it landed on.
 *
 * The core (frames, identification, tally, verdict, report) is pure C over
 * byte buffers and is tested without EAL; run.c and port.c are the DPDK part.
 */
#ifndef DPPTP_QUALIFY_H
#define DPPTP_QUALIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- frame classes ---- */

enum qual_class {
	QC_GRE1_SEQ,      /* GRE v1 data, S only */
	QC_GRE1_SEQ_ACK,  /* GRE v1 data, S and A */
	QC_GRE1_ACK_ONLY, /* A only, no payload: 46 bytes, Ethernet-padded to 60 */
	QC_GRE1_LCP,      /* LCP Configure-Request with FF 03 */
	QC_GRE1_ACFC_PFC, /* PPP IPv4 with ACFC and PFC: 1-byte protocol, odd length */
	QC_GRE1_ODD_LEN,  /* frames of 78..1500 bytes, every length mod 8, 0..7 trailer bytes */
	QC_GRE1_CALL_IDS, /* one source, call IDs spread over the 16-bit space */
	QC_GRE1_SOURCES,  /* 256 source addresses, one call ID */
	QC_GRE0,          /* plain GRE (version 0) carrying IPv4: a comparison */
	QC_UDP,           /* control: IPv4/UDP */
	QC_TCP_1723,      /* control: TCP to port 1723 carrying a PPTP Echo-Request */
	QC_COUNT
};

enum qual_kind { QK_GRE1, QK_GRE0, QK_CONTROL };

struct qual_class_info {
	const char *name;
	const char *what;
	enum qual_kind kind;
	bool required; /* its loss fails the qualification */
};

extern const struct qual_class_info qual_classes[QC_COUNT];

/* Addresses: 198.18.0.0/15 (RFC 2544 benchmarking), never routed anywhere. */
#define QUAL_DST_ADDR 0xC6130001u     /* 198.19.0.1: "the concentrator" */
#define QUAL_SRC_BASE 0xC6120000u     /* 198.18.0.0: "clients" */
#define QUAL_INNER_DST 0xCB007102u    /* 203.0.113.2 inside the tunnels */
#define QUAL_INNER_SRC 0x64400000u    /* 100.64.0.0 + n */
#define QUAL_NB_SOURCES 256           /* sources of the gre1-sources class */
#define QUAL_MARKER 0x4450514Cu       /* "DPQL", before the tag in UDP payloads */

#define QUAL_MIN_FRAME 60
#define QUAL_MAX_FRAME 1514
#define QUAL_MAX_COUNT 65536u /* frames per class */
#define QUAL_MAX_RXQ 64

/*
 * Every frame carries a 32-bit tag, (class << 24) | index, where a receiver
 * finds it: the GRE sequence number (or the acknowledgement of an ack-only
 * packet), the TCP sequence number, or after "DPQL" in a UDP payload (GRE
 * version 0, the UDP control). The tag only names the frame: whether it
 * arrived intact is decided by comparing every byte with the frame rebuilt
 * from the tag.
 */
static inline uint32_t qual_tag(enum qual_class c, uint32_t index)
{
	return ((uint32_t)c << 24) | (index & 0xFFFFFFu);
}

struct qual_net {
	uint8_t src_mac[6]; /* the TX port */
	uint8_t dst_mac[6]; /* the RX port */
};

/* Where the layers of a built frame start (offsets from the Ethernet header). */
struct qual_layout {
	uint16_t len;     /* the whole frame */
	uint16_t l3;      /* outer IPv4 */
	uint16_t l4;      /* GRE, UDP or TCP header */
	uint16_t ppp;     /* PPP header (GRE v1 with payload), else 0 */
	uint16_t payload; /* PPP information field / inner packet / TCP or UDP payload */
	uint16_t trailer; /* Ethernet padding after the IPv4 packet; == len if none */
};

/* frames.c: build frame `index` of class `c`; returns its length, 0 on error. */
size_t qual_frame_build(const struct qual_net *net, enum qual_class c, uint32_t index,
			uint8_t *buf, size_t cap, struct qual_layout *lay);

/* The name of the layer holding byte `off` of a frame ("IPv4 header", ...). */
const char *qual_layer_name(const struct qual_layout *lay, enum qual_class c, size_t off);

/* Internet checksum (RFC 1071) of `len` bytes, folded, not complemented. */
uint32_t qual_csum_add(uint32_t sum, const uint8_t *p, size_t len);
uint16_t qual_csum_fold(uint32_t sum);

/* ---- identification (identify.c) ---- */

enum qual_id {
	QUAL_ID_OURS,    /* class and index found */
	QUAL_ID_DAMAGED, /* addressed like ours, but no valid tag */
	QUAL_ID_OTHER,   /* not ours: the kernel's noise, someone else's traffic */
};

enum qual_id qual_identify(const uint8_t *buf, size_t len, uint32_t count,
			   enum qual_class *c, uint32_t *index);

/* ---- the tally (tally.c) ---- */

struct qual_class_tally {
	uint64_t sent;
	uint64_t received; /* distinct frames that arrived, intact or not */
	uint64_t intact;
	uint64_t mangled;
	uint64_t duplicated; /* copies beyond the first */
	uint64_t queue[QUAL_MAX_RXQ];
	/* The first mangled frame, for the report. */
	bool has_mangled_example;
	uint32_t mangled_index;
	uint16_t mangled_sent_len, mangled_recv_len;
	int32_t mangled_offset; /* first differing byte; -1: only the length differs */
	const char *mangled_layer;
};

struct qual_tally {
	uint32_t count;
	uint16_t nb_rxq;
	struct qual_net net;
	struct qual_class_tally cls[QC_COUNT];
	uint8_t *seen[QC_COUNT]; /* per index: 0 not yet, 1 intact, 2 mangled */
	uint64_t other;          /* frames that are not ours */
	uint64_t damaged;        /* ours by address, but unidentifiable */
	uint64_t ours;           /* identified frames, copies included */
	uint64_t unique;         /* distinct identified frames */
	uint64_t tx_failed;      /* frames the TX port would not take */
};

int qual_tally_init(struct qual_tally *t, const struct qual_net *net, uint32_t count,
		    uint16_t nb_rxq);
void qual_tally_free(struct qual_tally *t);
void qual_tally_sent(struct qual_tally *t, enum qual_class c);

/* Account one received frame (queue: the RX queue it came from). */
void qual_tally_rx(struct qual_tally *t, const uint8_t *buf, size_t len, uint16_t queue);

/* Whether every frame sent has arrived (more may still come as copies). */
static inline bool qual_tally_complete(const struct qual_tally *t, uint64_t total_sent)
{
	return t->unique >= total_sent;
}

/* ---- the verdict (verdict.c) ---- */

enum qual_problem { QP_LOST, QP_MANGLED, QP_DUPLICATED, QP_NOT_SENT, QP_COUNT };

struct qual_verdict {
	bool pass;
	bool class_ok[QC_COUNT];
	uint32_t problems[QP_COUNT]; /* bit c: class c has that problem */
	char diagnosis[768];         /* why, in words */
	char rss_note[384];          /* what the RX queue histogram says */
};

void qual_verdict_compute(const struct qual_tally *t, struct qual_verdict *v);

/* "gre1-seq,gre1-ack-only" for the classes in `mask`, required ones only if asked. */
void qual_class_list(uint32_t mask, bool required_only, char *buf, size_t cap);

/* ---- the report (report.c) ---- */

struct qual_port_stats {
	uint64_t ipackets, opackets, imissed, ierrors, oerrors, rx_nombuf;
};

struct qual_env {
	char tx_desc[192];
	char rx_desc[192];
	bool loopback;
	bool links_up;       /* both links came up before the run */
	uint16_t nb_rxq;
	bool rss;            /* RSS configured on the RX port */
	uint64_t rss_hf;     /* what was asked for (RTE_ETH_RSS_IP masked by the PMD) */
	char rss_desc[160];  /* in words */
	double seconds;
	bool have_stats;
	struct qual_port_stats tx_stats, rx_stats; /* deltas over the run */
	char pcap_tx[512], pcap_rx[512];           /* "": no captures */
};

void qual_report_text(FILE *f, const struct qual_env *e, const struct qual_tally *t,
		      const struct qual_verdict *v);
int qual_report_json(FILE *f, const struct qual_env *e, const struct qual_tally *t,
		     const struct qual_verdict *v);

/* ---- captures (capture.c, libpcap) ---- */

struct qual_capture;

/* Open DIR/qualify-tx.pcap and DIR/qualify-rx.pcap (DIR is made if missing). */
struct qual_capture *qual_capture_open(const char *dir);
void qual_capture_tx(struct qual_capture *c, const uint8_t *buf, size_t len);
void qual_capture_rx(struct qual_capture *c, const uint8_t *buf, size_t len);
const char *qual_capture_path(const struct qual_capture *c, bool rx);
void qual_capture_close(struct qual_capture *c);

#endif /* DPPTP_QUALIFY_H */
