/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpptp-qualify's core without EAL: every frame of every class parses with
 * lib/proto's parsers and carries correct checksums; identification finds the
 * class and index; the tally counts losses, mangling and copies; the verdict
 * names the right cause; the JSON report has the documented shape.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "proto/gre.h"
#include "proto/ppp_cp.h"
#include "proto/ppp_frame.h"
#include "proto/pptp_msg.h"
#include "proto/wire.h"
#include "qualify.h"

#define N 512

static const struct qual_net net = { .src_mac = { 0x02, 0, 0, 0, 0, 1 },
				     .dst_mac = { 0x02, 0, 0, 0, 0, 2 } };

static bool csum_ok(const uint8_t *p, size_t len)
{
	return qual_csum_fold(qual_csum_add(0, p, len)) == 0xFFFF;
}

/* UDP or TCP checksum of the IPv4 packet at `ip`. */
static bool l4_ok(const uint8_t *ip)
{
	uint16_t total = wire_get_be16(ip + 2), l4len = (uint16_t)(total - 20);
	uint32_t sum = qual_csum_add(0, ip + 12, 8) + ip[9] + l4len;

	return qual_csum_fold(qual_csum_add(sum, ip + 20, l4len)) == 0xFFFF;
}

static void check_inner(const uint8_t *p, size_t len)
{
	assert_true(len >= 28);
	assert_int_equal(p[0], 0x45);
	assert_int_equal(wire_get_be16(p + 2), len);
	assert_true(csum_ok(p, 20));
	assert_true(l4_ok(p));
}

static void check_gre1(enum qual_class c, const uint8_t *g, size_t len, uint32_t tag)
{
	struct gre_pptp h;
	struct ppp_frame f;
	struct ppp_cp_pkt cp;

	assert_int_equal(gre_pptp_parse(g, len, &h), PROTO_OK);
	assert_int_equal(h.has_seq, c != QC_GRE1_ACK_ONLY);
	assert_int_equal(h.has_ack, c == QC_GRE1_SEQ_ACK || c == QC_GRE1_ACK_ONLY);
	assert_int_equal(h.has_seq ? h.seq : h.ack, tag);
	assert_int_equal(h.payload_len, len - h.hdr_len);
	if (c == QC_GRE1_ACK_ONLY) {
		assert_int_equal(h.payload_len, 0);
		return;
	}
	assert_int_equal(ppp_frame_parse(g + h.hdr_len, h.payload_len, &f), PROTO_OK);
	assert_int_equal(f.has_acf, c != QC_GRE1_ACFC_PFC);
	assert_int_equal(f.pfc, c == QC_GRE1_ACFC_PFC);
	if (c == QC_GRE1_LCP) {
		assert_int_equal(f.protocol, PPP_LCP);
		assert_int_equal(ppp_cp_parse(PPP_LCP, g + h.hdr_len + f.hdr_len,
					      h.payload_len - f.hdr_len, &cp),
				 PROTO_OK);
		assert_int_equal(cp.code, PPP_CONF_REQ);
		return;
	}
	assert_int_equal(f.protocol, PPP_IP);
	check_inner(g + h.hdr_len + f.hdr_len, h.payload_len - f.hdr_len);
}

static void check_frame(enum qual_class c, uint32_t i, const uint8_t *b, size_t len)
{
	const uint8_t *ip = b + 14, *l4 = ip + 20;
	uint16_t total = wire_get_be16(ip + 2);
	struct pptp_msg m;
	enum qual_class ic;
	uint32_t ii;

	assert_true(len >= QUAL_MIN_FRAME && len <= 1500);
	assert_memory_equal(b, net.dst_mac, 6);
	assert_memory_equal(b + 6, net.src_mac, 6);
	assert_int_equal(wire_get_be16(b + 12), 0x0800);
	assert_int_equal(ip[0], 0x45);
	assert_true(csum_ok(ip, 20));
	assert_true(14u + total <= len);
	assert_int_equal(wire_get_be32(ip + 16), QUAL_DST_ADDR);
	assert_int_equal(qual_identify(b, len, N, &ic, &ii), QUAL_ID_OURS);
	assert_int_equal(ic, c);
	assert_int_equal(ii, i);
	switch (qual_classes[c].kind) {
	case QK_GRE1:
		assert_int_equal(ip[9], 47);
		check_gre1(c, l4, total - 20u, qual_tag(c, i));
		break;
	case QK_GRE0:
		assert_int_equal(ip[9], 47);
		assert_int_equal(wire_get_be16(l4), 0);
		assert_int_equal(wire_get_be16(l4 + 2), 0x0800);
		check_inner(l4 + 4, total - 24u);
		break;
	case QK_CONTROL:
		assert_true(l4_ok(ip));
		if (c == QC_UDP) {
			assert_int_equal(ip[9], 17);
			break;
		}
		assert_int_equal(ip[9], 6);
		assert_int_equal(wire_get_be16(l4 + 2), PPTP_TCP_PORT);
		assert_int_equal(pptp_ctrl_parse(l4 + 20, total - 40u, &m), PROTO_OK);
		assert_int_equal(m.type, PPTP_ECHORQ);
		assert_int_equal(m.u.echorq.id, qual_tag(c, i));
		break;
	}
}

static void test_every_frame_is_valid(void **state)
{
	uint8_t b[QUAL_MAX_FRAME];
	struct qual_layout lay;

	(void)state;
	for (int c = 0; c < QC_COUNT; c++)
		for (uint32_t i = 0; i < N; i++) {
			size_t len = qual_frame_build(&net, (enum qual_class)c, i, b, sizeof(b), &lay);
			assert_int_equal(len, lay.len);
			check_frame((enum qual_class)c, i, b, len);
		}
}

static void test_class_coverage(void **state)
{
	uint8_t b[QUAL_MAX_FRAME], residues = 0, trailers = 0;
	static uint8_t call_seen[65536], src_seen[256];
	size_t lo = 10000, hi = 0;
	unsigned int calls = 0, srcs = 0;
	struct qual_layout lay;

	(void)state;
	for (uint32_t i = 0; i < 256; i++) {
		size_t len = qual_frame_build(&net, QC_GRE1_ACK_ONLY, i, b, sizeof(b), &lay);
		assert_int_equal(len, 60); /* 46 bytes, padded */
		assert_int_equal(lay.trailer, 46);

		len = qual_frame_build(&net, QC_GRE1_ODD_LEN, i, b, sizeof(b), &lay);
		lo = len < lo ? len : lo;
		hi = len > hi ? len : hi;
		residues |= (uint8_t)(1u << (wire_get_be16(b + 34 + 4) % 8));
		trailers |= (uint8_t)(1u << (len - lay.trailer));

		qual_frame_build(&net, QC_GRE1_CALL_IDS, i, b, sizeof(b), NULL);
		assert_int_equal(wire_get_be32(b + 26), 0xC6120101u); /* one source */
		calls += !call_seen[wire_get_be16(b + 34 + 6)]++;

		qual_frame_build(&net, QC_GRE1_SOURCES, i, b, sizeof(b), NULL);
		assert_int_equal(wire_get_be16(b + 34 + 6), 0x4000); /* one call ID */
		srcs += !src_seen[b[29]]++;

		len = qual_frame_build(&net, QC_GRE1_ACFC_PFC, i, b, sizeof(b), NULL);
		assert_int_equal(b[34 + 12], 0x21); /* the 1-byte protocol */
		assert_true(len % 2 == 1);
	}
	assert_int_equal(lo, 78);
	assert_int_equal(hi, 1500);
	assert_int_equal(residues, 0xFF);
	assert_int_equal(trailers, 0xFF);
	assert_int_equal(calls, 256);
	assert_int_equal(srcs, 256);
}

static void test_identify_rejects(void **state)
{
	uint8_t b[QUAL_MAX_FRAME];
	enum qual_class c;
	uint32_t i;

	(void)state;
	memset(b, 0, sizeof(b));
	wire_put_be16(b + 12, 0x0806); /* ARP */
	assert_int_equal(qual_identify(b, 60, N, &c, &i), QUAL_ID_OTHER);
	wire_put_be16(b + 12, 0x86DD); /* IPv6 */
	assert_int_equal(qual_identify(b, 60, N, &c, &i), QUAL_ID_OTHER);
	assert_int_equal(qual_identify(b, 20, N, &c, &i), QUAL_ID_OTHER);

	size_t len = qual_frame_build(&net, QC_GRE1_SEQ, 7, b, sizeof(b), NULL);
	b[33] ^= 1; /* another destination */
	assert_int_equal(qual_identify(b, len, N, &c, &i), QUAL_ID_OTHER);
	b[33] ^= 1;
	b[34 + 8] = 0x7F; /* the tag's class byte: no such class */
	assert_int_equal(qual_identify(b, len, N, &c, &i), QUAL_ID_DAMAGED);
	assert_int_equal(qual_identify(b, 36, N, &c, &i), QUAL_ID_DAMAGED);
	/* An index beyond --count is not ours either. */
	len = qual_frame_build(&net, QC_UDP, 300, b, sizeof(b), NULL);
	assert_int_equal(qual_identify(b, len, 256, &c, &i), QUAL_ID_DAMAGED);
	/* A GRE v1 header the parser rejects still names its frame. */
	len = qual_frame_build(&net, QC_GRE1_SEQ_ACK, 9, b, sizeof(b), NULL);
	b[34] |= 0x80; /* C bit */
	assert_int_equal(qual_identify(b, len, N, &c, &i), QUAL_ID_OURS);
	assert_int_equal(c, QC_GRE1_SEQ_ACK);
	assert_int_equal(i, 9);
}

/* Feed the tally every frame of every class, through `fate`. */
typedef size_t (*fate_fn)(enum qual_class c, uint32_t i, uint8_t *b, size_t len, int *copies);

static void run_sim(struct qual_tally *t, uint32_t count, fate_fn fate)
{
	uint8_t b[QUAL_MAX_FRAME + 8];

	assert_int_equal(qual_tally_init(t, &net, count, 4), 0);
	for (uint32_t i = 0; i < count; i++)
		for (int c = 0; c < QC_COUNT; c++) {
			int copies = 1;
			size_t len = qual_frame_build(&net, (enum qual_class)c, i, b, sizeof(b),
						      NULL);
			qual_tally_sent(t, (enum qual_class)c);
			len = fate ? fate((enum qual_class)c, i, b, len, &copies) : len;
			for (int k = 0; k < copies; k++)
				qual_tally_rx(t, b, len, (uint16_t)(b[29] % 4));
		}
}

static size_t drop_gre(enum qual_class c, uint32_t i, uint8_t *b, size_t len, int *copies)
{
	(void)c, (void)i, (void)len;
	if (b[14 + 9] == 47)
		*copies = 0;
	return len;
}

static size_t drop_gre1(enum qual_class c, uint32_t i, uint8_t *b, size_t len, int *copies)
{
	(void)c, (void)i;
	if (b[14 + 9] == 47 && (b[35] & 7) == 1)
		*copies = 0;
	return len;
}

static size_t drop_ack_only(enum qual_class c, uint32_t i, uint8_t *b, size_t len, int *copies)
{
	(void)i, (void)b;
	if (c == QC_GRE1_ACK_ONLY)
		*copies = 0;
	return len;
}

static size_t damage(enum qual_class c, uint32_t i, uint8_t *b, size_t len, int *copies)
{
	if (c == QC_GRE1_LCP && i == 3)
		b[22]--; /* TTL: a router on the way */
	if (c == QC_GRE1_ODD_LEN && i == 5) {
		memset(b + len, 0, 4); /* four bytes grown at the end */
		len += 4;
	}
	if (c == QC_GRE1_ACK_ONLY && i == 2)
		len = 46; /* the Ethernet padding stripped */
	if (c == QC_TCP_1723 && i == 1)
		*copies = 2;
	return len;
}

static void test_verdicts(void **state)
{
	struct qual_tally t;
	struct qual_verdict v;
	char list[256];

	(void)state;
	run_sim(&t, 64, NULL);
	qual_verdict_compute(&t, &v);
	assert_true(v.pass);
	assert_non_null(strstr(v.diagnosis, "complete and intact"));
	assert_int_equal(t.unique, 64 * QC_COUNT);
	qual_tally_free(&t);

	run_sim(&t, 64, drop_gre);
	qual_verdict_compute(&t, &v);
	assert_false(v.pass);
	assert_non_null(strstr(v.diagnosis, "IP protocol 47"));
	assert_true(v.class_ok[QC_UDP] && v.class_ok[QC_TCP_1723]);
	qual_class_list(v.problems[QP_LOST], true, list, sizeof(list));
	assert_string_equal(list, "gre1-seq,gre1-seq-ack,gre1-ack-only,gre1-lcp,gre1-acfc-pfc,"
				  "gre1-odd-len,gre1-call-ids,gre1-sources");
	assert_true(v.problems[QP_LOST] & (1u << QC_GRE0));
	qual_tally_free(&t);

	run_sim(&t, 64, drop_gre1);
	qual_verdict_compute(&t, &v);
	assert_false(v.pass);
	assert_true(v.class_ok[QC_GRE0]);
	assert_non_null(strstr(v.diagnosis, "document 000"));
	qual_tally_free(&t);

	run_sim(&t, 64, drop_ack_only);
	qual_verdict_compute(&t, &v);
	assert_false(v.pass);
	assert_int_equal(v.problems[QP_LOST], 1u << QC_GRE1_ACK_ONLY);
	assert_non_null(strstr(v.diagnosis, "lost entirely: gre1-ack-only"));
	qual_tally_free(&t);
}

static void test_mangled_and_copies(void **state)
{
	struct qual_tally t;
	struct qual_verdict v;
	const struct qual_class_tally *ct;

	(void)state;
	run_sim(&t, 16, damage);
	qual_verdict_compute(&t, &v);
	assert_false(v.pass);
	ct = &t.cls[QC_GRE1_LCP];
	assert_int_equal(ct->received, 16);
	assert_int_equal(ct->mangled, 1);
	assert_int_equal(ct->mangled_index, 3);
	assert_int_equal(ct->mangled_offset, 22);
	assert_string_equal(ct->mangled_layer, "IPv4 header");
	ct = &t.cls[QC_GRE1_ODD_LEN];
	assert_int_equal(ct->mangled, 1);
	assert_int_equal(ct->mangled_offset, -1);
	assert_int_equal(ct->mangled_recv_len, ct->mangled_sent_len + 4);
	assert_string_equal(ct->mangled_layer, "beyond the frame sent");
	ct = &t.cls[QC_GRE1_ACK_ONLY];
	assert_int_equal(ct->mangled_recv_len, 46);
	assert_string_equal(ct->mangled_layer, "Ethernet padding");
	assert_int_equal(t.cls[QC_TCP_1723].duplicated, 1);
	assert_int_equal(t.cls[QC_TCP_1723].received, 16);
	assert_int_equal(v.problems[QP_DUPLICATED], 1u << QC_TCP_1723);
	assert_int_equal(v.problems[QP_LOST], 0);
	assert_non_null(strstr(v.diagnosis, "gre1-lcp (first at byte 22: IPv4 header)"));
	qual_tally_free(&t);
}

static void test_json_report(void **state)
{
	struct qual_env e = { .tx_desc = "tx", .rx_desc = "rx", .nb_rxq = 4 };
	struct qual_tally t;
	struct qual_verdict v;
	json_error_t err;
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	(void)state;
	run_sim(&t, 32, drop_gre1);
	qual_verdict_compute(&t, &v);
	assert_int_equal(qual_report_json(f, &e, &t, &v), 0);
	fclose(f);
	json_t *j = json_loads(text, 0, &err), *cls = json_object_get(j, "classes");
	assert_non_null(j);
	assert_false(json_boolean_value(json_object_get(j, "pass")));
	assert_int_equal(json_array_size(cls), QC_COUNT);
	json_t *first = json_array_get(cls, 0);
	assert_string_equal(json_string_value(json_object_get(first, "name")), "gre1-seq");
	assert_int_equal(json_integer_value(json_object_get(first, "sent")), 32);
	assert_int_equal(json_integer_value(json_object_get(first, "lost")), 32);
	assert_int_equal(json_array_size(json_object_get(first, "rx_queues")), 4);
	assert_int_equal(json_array_size(json_object_get(j, "failed_classes")), 8);
	json_t *udp = json_array_get(cls, QC_UDP);
	assert_true(json_boolean_value(json_object_get(udp, "pass")));
	json_decref(j);
	free(text);

	/* The text report ends in one greppable line. */
	text = NULL;
	f = open_memstream(&text, &size);
	qual_report_text(f, &e, &t, &v);
	fclose(f);
	assert_non_null(strstr(text, "RESULT FAIL lost=gre1-seq,gre1-seq-ack,gre1-ack-only,"));
	free(text);
	qual_tally_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_frame_is_valid),
		cmocka_unit_test(test_class_coverage),
		cmocka_unit_test(test_identify_rejects),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_mangled_and_copies),
		cmocka_unit_test(test_json_report),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
