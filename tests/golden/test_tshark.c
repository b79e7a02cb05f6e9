/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Our codecs against tshark's dissectors, field by field.
 *
 *  - golden vectors: captures of the real pptp client (tests/data/ *.pcap, made
 *    by scripts/capture-golden.sh) decoded by both;
 *  - every truncation of every golden PPTP message, GRE packet and PPP
 *    packet gives an error, never a read past the cut (run under ASan);
 *  - synthetic: one frame per PPTP message type and per PPP packet kind,
 *    written by our builders into a pcap, decoded by both.
 *
 * Usage: test_tshark DATA_DIR   (tshark must be on PATH)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "fields.h"
#include "proto/gre.h"
#include "proto/ppp_auth.h"
#include "proto/ppp_cp.h"
#include "proto/ppp_frame.h"
#include "proto/pptp_msg.h"
#include "proto/proto_err.h"
#include "proto/wire.h"

static const char *data_dir;
static const char *const golden_files[] = {
	"pptp-linux-client-stop.pcap",
	"pptp-linux-server-stop.pcap",
};
#define GOLDEN_CLIENT_ADDR 0xC6336402u /* 198.51.100.2, the pptp client */
#define MAX_FRAMES 256
#define LINE_MAX_ 8192

/* ---- tshark ---- */

/* Run tshark over `pcap`; lines[i] is frame i+1's fields (without the number). */
static int tshark_fields(const char *pcap, char **lines, int max)
{
	char cmd[8192];
	size_t k;
	FILE *f;
	char *line = malloc(LINE_MAX_);
	int n = 0;

	k = (size_t)snprintf(cmd, sizeof(cmd),
			     "tshark -n -r '%s' -o tcp.desegment_tcp_streams:TRUE -T fields "
			     "-E separator='|' -E occurrence=a -E aggregator=, -e frame.number",
			     pcap);
	for (int i = 0; i < FIELD_COUNT; i++)
		k += (size_t)snprintf(cmd + k, sizeof(cmd) - k, " -e %s", field_names[i]);
	snprintf(cmd + k, sizeof(cmd) - k, " 2>/dev/null");
	f = popen(cmd, "r");
	assert_non_null(f);
	while (n < max && fgets(line, LINE_MAX_, f)) {
		char *bar = strchr(line, '|');
		line[strcspn(line, "\n")] = '\0';
		assert_non_null(bar);
		assert_int_equal(atoi(line), n + 1);
		lines[n++] = strdup(bar + 1);
	}
	free(line);
	assert_int_equal(pclose(f), 0);
	return n;
}

/* Split a '|' line into per-field pointers (modifies `line`). */
static void split_fields(char *line, char **out)
{
	for (int i = 0; i < FIELD_COUNT; i++) {
		out[i] = line;
		char *bar = line ? strchr(line, '|') : NULL;
		if (bar) {
			*bar = '\0';
			line = bar + 1;
		} else {
			line = NULL;
		}
		if (!out[i])
			out[i] = (char *)"";
	}
}

struct compare_stats {
	int frames;
	int decoded; /* frames where we decoded at least one field */
	unsigned int client_types; /* control types the client sent */
	int client_gre;            /* GRE packets the client sent */
};

/* Compare our decode of every frame of `pcap` with tshark's. */
static void compare_with_tshark(const char *pcap, struct compare_stats *st)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	char *tl[MAX_FRAMES];
	int nt = tshark_fields(pcap, tl, MAX_FRAMES);
	pcap_t *p = pcap_open_offline(pcap, errbuf);
	struct pcap_pkthdr *h;
	const u_char *data;
	struct field_set *fs = malloc(sizeof(*fs));
	char *ours = malloc(LINE_MAX_);
	int mismatches = 0;

	if (!p)
		fail_msg("%s: %s", pcap, errbuf);
	memset(st, 0, sizeof(*st));
	while (pcap_next_ex(p, &h, &data) == 1) {
		char *a[FIELD_COUNT], *b[FIELD_COUNT];
		char *theirs;

		assert_true(st->frames < nt);
		fields_decode_frame(data, h->caplen, fs);
		fields_format(fs, ours, LINE_MAX_);
		if (fs->errors)
			fail_msg("%s frame %d: our codecs reported %d error(s)", pcap,
				 st->frames + 1, fs->errors);
		theirs = strdup(tl[st->frames]);
		char *ours_copy = strdup(ours);
		split_fields(ours_copy, a);
		split_fields(theirs, b);
		bool any = false;
		for (int i = 0; i < FIELD_COUNT; i++) {
			if (a[i][0])
				any = true;
			if (strcmp(a[i], b[i]) != 0) {
				fprintf(stderr, "%s frame %d: %s: ours '%s' tshark '%s'\n", pcap,
					st->frames + 1, field_names[i], a[i], b[i]);
				mismatches++;
			}
		}
		if (any)
			st->decoded++;
		if (fs->ip_src == GOLDEN_CLIENT_ADDR) {
			st->client_types |= fs->pptp_types_seen;
			st->client_gre += (int)fs->gre_packets;
		}
		free(ours_copy);
		free(theirs);
		free(tl[st->frames]);
		st->frames++;
	}
	pcap_close(p);
	free(fs);
	free(ours);
	assert_int_equal(st->frames, nt);
	assert_int_equal(mismatches, 0);
}

static void golden_path(char *out, size_t cap, const char *name)
{
	snprintf(out, cap, "%s/%s", data_dir, name);
}

static void test_golden_vs_tshark(void **state)
{
	unsigned int client_types = 0;
	int client_gre = 0, decoded = 0;
	(void)state;

	for (size_t i = 0; i < sizeof(golden_files) / sizeof(golden_files[0]); i++) {
		char path[1024];
		struct compare_stats st;
		golden_path(path, sizeof(path), golden_files[i]);
		compare_with_tshark(path, &st);
		client_types |= st.client_types;
		client_gre += st.client_gre;
		decoded += st.decoded;
	}
	/* What pptp-linux sends, each seen at least once. */
	const unsigned int want[] = { PPTP_SCCRQ, PPTP_OCRQ, PPTP_ECHORQ, PPTP_ECHORP,
				      PPTP_STOPCCRP, PPTP_CCRQ };
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!(client_types & (1u << want[i])))
			fail_msg("no golden %s from the client", pptp_ctrl_name(want[i]));
	assert_true(client_gre >= 3); /* LCP request, LCP ack, ack-only */
	assert_true(decoded >= 30);
}

/* ---- truncations of every golden vector ---- */

static void truncate_gre(const uint8_t *gre, size_t len)
{
	struct gre_pptp g;
	struct ppp_frame f;
	struct ppp_cp_pkt c;

	assert_int_equal(gre_pptp_parse(gre, len, &g), PROTO_OK);
	for (size_t cut = 0; cut < len; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1); /* exact size: ASan sees any overread */
		memcpy(copy, gre, cut);
		int rc = gre_pptp_parse(copy, cut, &g);
		if (cut < g.hdr_len + g.payload_len)
			assert_true(rc == PROTO_E(TRUNCATED) || rc == PROTO_E(GRE_PAYLOAD_OVERRUN));
		free(copy);
	}
	assert_int_equal(gre_pptp_parse(gre, len, &g), PROTO_OK);
	if (g.payload_len == 0)
		return;
	const uint8_t *ppp = gre + g.hdr_len;
	assert_int_equal(ppp_frame_parse(ppp, g.payload_len, &f), PROTO_OK);
	const uint8_t *cp = ppp + f.hdr_len;
	size_t cp_len = g.payload_len - f.hdr_len;
	assert_int_equal(ppp_cp_parse(f.protocol, cp, cp_len, &c), PROTO_OK);
	for (size_t cut = 0; cut < cp_len; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);
		memcpy(copy, cp, cut);
		int rc = ppp_cp_parse(f.protocol, copy, cut, &c);
		assert_true(rc == PROTO_E(TRUNCATED) || rc == PROTO_E(CP_LENGTH_OVERRUN));
		free(copy);
	}
	for (size_t cut = 0; cut < f.hdr_len; cut++)
		assert_int_equal(ppp_frame_parse(ppp, cut, &f), PROTO_E(TRUNCATED));
}

static void truncate_pptp(const uint8_t *msg, size_t len)
{
	struct pptp_msg m;
	for (size_t cut = 0; cut < len; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);
		memcpy(copy, msg, cut);
		assert_int_equal(pptp_ctrl_parse(copy, cut, &m), PROTO_E(TRUNCATED));
		assert_int_equal(pptp_ctrl_frame(copy, cut), 0);
		free(copy);
	}
}

static void test_golden_truncations(void **state)
{
	int vectors = 0;
	(void)state;
	for (size_t i = 0; i < sizeof(golden_files) / sizeof(golden_files[0]); i++) {
		char path[1024], errbuf[PCAP_ERRBUF_SIZE];
		struct pcap_pkthdr *h;
		const u_char *d;
		golden_path(path, sizeof(path), golden_files[i]);
		pcap_t *p = pcap_open_offline(path, errbuf);
		assert_non_null(p);
		while (pcap_next_ex(p, &h, &d) == 1) {
			const uint8_t *ip = d + 14;
			size_t ihl = (size_t)(ip[0] & 15) * 4, ip_len = wire_get_be16(ip + 2);
			if (ip[9] == 47) {
				truncate_gre(ip + ihl, ip_len - ihl);
				vectors++;
			} else if (ip[9] == 6) {
				const uint8_t *tcp = ip + ihl;
				size_t doff = (size_t)(tcp[12] >> 4) * 4;
				const uint8_t *pl = tcp + doff;
				size_t left = ip_len - ihl - doff;
				while (left > 0) {
					int n = pptp_ctrl_frame(pl, left);
					assert_true(n > 0);
					truncate_pptp(pl, (size_t)n);
					vectors++;
					pl += n;
					left -= (size_t)n;
				}
			}
		}
		pcap_close(p);
	}
	assert_true(vectors >= 30);
}

/* ---- synthetic frames from our builders ---- */

struct synth {
	pcap_dumper_t *dump;
	uint32_t tcp_seq;
	int frames;
};

static uint16_t ip_checksum(const uint8_t *h, size_t n)
{
	uint32_t s = 0;
	for (size_t i = 0; i < n; i += 2)
		s += wire_get_be16(h + i);
	while (s >> 16)
		s = (s & 0xFFFF) + (s >> 16);
	return (uint16_t)~s;
}

static void synth_frame(struct synth *s, uint8_t ipproto, const uint8_t *l4, size_t l4_len)
{
	uint8_t f[2048] = { 0 };
	struct pcap_pkthdr h = { 0 };
	uint8_t *ip = f + 14;

	assert_true(l4_len + 34 <= sizeof(f));
	memcpy(f, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x08\x00", 14);
	ip[0] = 0x45;
	wire_put_be16(ip + 2, (uint16_t)(20 + l4_len));
	ip[8] = 64;
	ip[9] = ipproto;
	memcpy(ip + 12, "\xc6\x33\x64\x02\xc6\x33\x64\x01", 8);
	wire_put_be16(ip + 10, ip_checksum(ip, 20));
	memcpy(ip + 20, l4, l4_len);
	h.caplen = h.len = (uint32_t)(34 + l4_len);
	h.ts.tv_sec = 1700000000 + s->frames;
	pcap_dump((u_char *)s->dump, &h, f);
	s->frames++;
}

static void synth_pptp(struct synth *s, const struct pptp_msg *m)
{
	uint8_t seg[20 + PPTP_MAX_MSG_LEN] = { 0 };
	int n = pptp_ctrl_build(m, seg + 20, PPTP_MAX_MSG_LEN);
	assert_true(n > 0);
	wire_put_be16(seg, 40000);
	wire_put_be16(seg + 2, PPTP_TCP_PORT);
	wire_put_be32(seg + 4, s->tcp_seq);
	wire_put_be32(seg + 8, 1);
	seg[12] = 5 << 4;
	seg[13] = 0x18; /* PSH ACK */
	wire_put_be16(seg + 14, 65535);
	s->tcp_seq += (uint32_t)n;
	synth_frame(s, 6, seg, 20 + (size_t)n);
}

static void synth_ppp(struct synth *s, uint16_t proto, bool acfc, bool pfc, const uint8_t *info,
		      size_t info_len, bool has_ack)
{
	uint8_t pkt[1500];
	size_t hdr = gre_pptp_hdr_len(true, has_ack);
	size_t ph = ppp_frame_write(pkt + hdr, proto, acfc, pfc);
	memcpy(pkt + hdr + ph, info, info_len);
	gre_pptp_write(pkt, 0x1234, (uint16_t)(ph + info_len), true, (uint32_t)s->frames, has_ack,
		       7);
	synth_frame(s, 47, pkt, hdr + ph + info_len);
}

static struct pptp_msg msg_of(unsigned int type)
{
	struct pptp_msg m;
	memset(&m, 0, sizeof(m));
	m.type = (uint16_t)type;
	switch (type) {
	case PPTP_SCCRQ:
		m.u.sccrq.version = PPTP_PROTO_VERSION;
		m.u.sccrq.framing_caps = 1;
		m.u.sccrq.bearer_caps = 1;
		m.u.sccrq.max_channels = 8;
		m.u.sccrq.firmware_rev = 2;
		strcpy(m.u.sccrq.host_name, "host");
		strcpy(m.u.sccrq.vendor, "vendor");
		break;
	case PPTP_SCCRP:
		m.u.sccrp.version = PPTP_PROTO_VERSION;
		m.u.sccrp.result = PPTP_SCCRP_GENERAL_ERROR;
		m.u.sccrp.error = PPTP_ERROR_NO_RESOURCE;
		m.u.sccrp.framing_caps = 3;
		m.u.sccrp.bearer_caps = 3;
		m.u.sccrp.max_channels = 0xFFFF;
		m.u.sccrp.firmware_rev = 0x0100;
		strcpy(m.u.sccrp.host_name, "dpptp");
		strcpy(m.u.sccrp.vendor, "dpptp");
		break;
	case PPTP_STOPCCRQ:
		m.u.stopccrq.reason = PPTP_STOP_PROTOCOL;
		break;
	case PPTP_STOPCCRP:
		m.u.stopccrp.result = 2;
		m.u.stopccrp.error = 1;
		break;
	case PPTP_ECHORQ:
		m.u.echorq.id = 77;
		break;
	case PPTP_ECHORP:
		m.u.echorp.id = 77;
		m.u.echorp.result = 2;
		m.u.echorp.error = 6;
		break;
	case PPTP_OCRQ:
		m.u.ocrq.call_id = 100;
		m.u.ocrq.call_serial = 101;
		m.u.ocrq.min_bps = 300;
		m.u.ocrq.max_bps = 100000000;
		m.u.ocrq.bearer_type = 3;
		m.u.ocrq.framing_type = 3;
		m.u.ocrq.recv_window = 64;
		m.u.ocrq.proc_delay = 1;
		m.u.ocrq.phone_len = 4;
		strcpy(m.u.ocrq.phone, "1234");
		strcpy(m.u.ocrq.subaddress, "sub");
		break;
	case PPTP_OCRP:
		m.u.ocrp.call_id = 200;
		m.u.ocrp.peer_call_id = 100;
		m.u.ocrp.result = 1;
		m.u.ocrp.cause = 3;
		m.u.ocrp.connect_speed = 1000000;
		m.u.ocrp.recv_window = 64;
		m.u.ocrp.phys_channel_id = 9;
		break;
	case PPTP_ICRQ:
		m.u.icrq.call_id = 5;
		m.u.icrq.call_serial = 6;
		m.u.icrq.bearer_type = 2;
		m.u.icrq.phys_channel_id = 7;
		m.u.icrq.dialed_len = 3;
		m.u.icrq.dialing_len = 2;
		strcpy(m.u.icrq.dialed, "555");
		strcpy(m.u.icrq.dialing, "66");
		strcpy(m.u.icrq.subaddress, "s");
		break;
	case PPTP_ICRP:
		m.u.icrp.call_id = 8;
		m.u.icrp.peer_call_id = 5;
		m.u.icrp.result = PPTP_ICRP_DO_NOT_ACCEPT;
		m.u.icrp.recv_window = 16;
		m.u.icrp.transmit_delay = 3;
		break;
	case PPTP_ICCN:
		m.u.iccn.peer_call_id = 8;
		m.u.iccn.connect_speed = 64000;
		m.u.iccn.recv_window = 16;
		m.u.iccn.transmit_delay = 2;
		m.u.iccn.framing_type = 2;
		break;
	case PPTP_CCRQ:
		m.u.ccrq.call_id = 100;
		break;
	case PPTP_CDN:
		m.u.cdn.call_id = 200;
		m.u.cdn.result = PPTP_CDN_ADMIN_SHUTDOWN;
		m.u.cdn.cause = 4;
		strcpy(m.u.cdn.call_stats, "stats");
		break;
	case PPTP_WEN:
		m.u.wen.peer_call_id = 100;
		m.u.wen.crc_errors = 1;
		m.u.wen.framing_errors = 2;
		m.u.wen.hw_overruns = 3;
		m.u.wen.buf_overruns = 4;
		m.u.wen.timeout_errors = 5;
		m.u.wen.alignment_errors = 6;
		break;
	case PPTP_SLI:
		m.u.sli.peer_call_id = 100;
		m.u.sli.send_accm = 0xFFFFFFFF;
		m.u.sli.recv_accm = 0xA0000;
		break;
	}
	return m;
}

static void synth_ppp_packets(struct synth *s)
{
	uint8_t b[256];
	struct ppp_cp_writer w;
	int n;
	const uint8_t chap_mschapv2[] = { 0xc2, 0x23, CHAP_ALG_MSCHAPV2 };

	/* LCP Configure-Request, Windows-like, FF03 and 2-byte protocol. */
	ppp_cp_writer_init(&w, b, sizeof(b), PPP_CONF_REQ, 1);
	ppp_cp_put_opt_u16(&w, LCP_OPT_MRU, 1400);
	ppp_cp_put_opt_u32(&w, LCP_OPT_ACCM, 0);
	ppp_cp_put_opt(&w, LCP_OPT_AUTH, chap_mschapv2, sizeof(chap_mschapv2));
	ppp_cp_put_opt_u32(&w, LCP_OPT_MAGIC, 0x12345678);
	ppp_cp_put_opt(&w, LCP_OPT_PFC, NULL, 0);
	ppp_cp_put_opt(&w, LCP_OPT_ACFC, NULL, 0);
	n = ppp_cp_writer_finish(&w);
	synth_ppp(s, PPP_LCP, false, false, b, (size_t)n, true);

	/* LCP Echo-Request, Identification, Time-Remaining, Protocol-Reject. */
	ppp_cp_writer_init(&w, b, sizeof(b), PPP_ECHO_REQ, 2);
	ppp_cp_put_u32(&w, 0xCAFEBABE);
	n = ppp_cp_writer_finish(&w);
	synth_ppp(s, PPP_LCP, false, false, b, (size_t)n, false);
	ppp_cp_writer_init(&w, b, sizeof(b), PPP_IDENTIFICATION, 3);
	ppp_cp_put_u32(&w, 0);
	ppp_cp_put_bytes(&w, "MSRASV5.20", 10);
	n = ppp_cp_writer_finish(&w);
	synth_ppp(s, PPP_LCP, false, false, b, (size_t)n, false);
	ppp_cp_writer_init(&w, b, sizeof(b), PPP_TIME_REMAINING, 4);
	ppp_cp_put_u32(&w, 1);
	ppp_cp_put_u32(&w, 3600);
	n = ppp_cp_writer_finish(&w);
	synth_ppp(s, PPP_LCP, false, false, b, (size_t)n, false);
	ppp_cp_writer_init(&w, b, sizeof(b), PPP_PROTO_REJ, 5);
	ppp_cp_put_u16(&w, PPP_IPV6CP);
	ppp_cp_put_bytes(&w, "\x01\x01\x00\x04", 4);
	n = ppp_cp_writer_finish(&w);
	synth_ppp(s, PPP_LCP, false, false, b, (size_t)n, false);

	/* IPCP Configure-Nak with address and DNS/NBNS; compressed header forms. */
	ppp_cp_writer_init(&w, b, sizeof(b), PPP_CONF_NAK, 6);
	ppp_cp_put_opt(&w, IPCP_OPT_ADDRESS, "\x64\x40\x00\x05", 4);
	ppp_cp_put_opt(&w, IPCP_OPT_DNS1, "\x08\x08\x08\x08", 4);
	ppp_cp_put_opt(&w, IPCP_OPT_NBNS1, "\x0a\x00\x00\x01", 4);
	ppp_cp_put_opt(&w, IPCP_OPT_DNS2, "\x08\x08\x04\x04", 4);
	ppp_cp_put_opt(&w, IPCP_OPT_NBNS2, "\x0a\x00\x00\x02", 4);
	n = ppp_cp_writer_finish(&w);
	synth_ppp(s, PPP_IPCP, true, false, b, (size_t)n, true);
	ppp_cp_writer_init(&w, b, sizeof(b), PPP_CONF_REJ, 7);
	ppp_cp_put_opt(&w, IPCP_OPT_COMPRESSION, "\x00\x2d\x0f\x01", 4);
	n = ppp_cp_writer_finish(&w);
	synth_ppp(s, PPP_IPCP, false, true, b, (size_t)n, false);

	/* CCP Configure-Request with MPPE-128 stateless. */
	ppp_cp_writer_init(&w, b, sizeof(b), PPP_CONF_REQ, 8);
	ppp_cp_put_opt_u32(&w, CCP_OPT_MPPE, 0x01000040);
	n = ppp_cp_writer_finish(&w);
	synth_ppp(s, PPP_CCP, false, false, b, (size_t)n, false);

	/* PAP request and Nak, CHAP challenge, response and failure. */
	n = pap_build_request(b, sizeof(b), 9, "lab", 3, "lab-secret", 10);
	synth_ppp(s, PPP_PAP, false, false, b, (size_t)n, false);
	n = pap_build_reply(b, sizeof(b), PAP_AUTH_NAK, 9, "bad", 3);
	synth_ppp(s, PPP_PAP, false, false, b, (size_t)n, false);
	n = chap_build_value(b, sizeof(b), CHAP_CHALLENGE, 10,
			     "\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff", 16,
			     "dpptp", 5);
	synth_ppp(s, PPP_CHAP, false, false, b, (size_t)n, false);
	uint8_t resp[MSCHAPV2_RESPONSE_LEN];
	struct mschapv2_response r;
	memset(&r, 0x5a, sizeof(r));
	r.flags = 0;
	mschapv2_response_write(resp, &r);
	n = chap_build_value(b, sizeof(b), CHAP_RESPONSE, 10, resp, sizeof(resp), "lab", 3);
	synth_ppp(s, PPP_CHAP, false, false, b, (size_t)n, false);
	n = chap_build_status(b, sizeof(b), CHAP_FAILURE, 10, "E=691 R=0 V=3 M=failed", 22);
	synth_ppp(s, PPP_CHAP, false, false, b, (size_t)n, false);

	/* The ack-only packet. */
	uint8_t ack[12];
	gre_pptp_write(ack, 0x1234, 0, false, 0, true, 99);
	synth_frame(s, 47, ack, sizeof(ack));
}

static void test_synthetic_vs_tshark(void **state)
{
	char path[] = "/tmp/dpptp-synth-XXXXXX";
	int fd = mkstemp(path);
	struct synth s = { .tcp_seq = 1 };
	struct compare_stats st;
	(void)state;

	assert_true(fd >= 0);
	close(fd);
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
	s.dump = pcap_dump_open(dead, path);
	assert_non_null(s.dump);
	for (unsigned int t = 1; t <= PPTP_CTRL_TYPE_MAX; t++) {
		struct pptp_msg m = msg_of(t);
		synth_pptp(&s, &m);
	}
	synth_ppp_packets(&s);
	pcap_dump_close(s.dump);
	pcap_close(dead);

	compare_with_tshark(path, &st);
	assert_int_equal(st.frames, s.frames);
	assert_int_equal(st.decoded, s.frames);
	unlink(path);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DATA_DIR\n", argv[0]);
		return 2;
	}
	data_dir = argv[1];
	if (system("tshark -v >/dev/null 2>&1") != 0) {
		fprintf(stderr, "test_tshark: tshark not found (scripts/deps.sh installs it)\n");
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_vs_tshark),
		cmocka_unit_test(test_golden_truncations),
		cmocka_unit_test(test_synthetic_vs_tshark),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
